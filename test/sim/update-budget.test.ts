/** Several services' UpdateService calls played through ECS's account bucket (burst 50, 5 per second). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUpdateBudget } from "../../shared/sim/update-budget.ts";

const every = (n: number, step: number, from = 0) => Array.from({ length: n }, (_, i) => from + i * step);

describe("the account's UpdateService budget", () => {
  it.each([
    { name: "no calls", times: [], peak: 0, throttled: 0 },
    { name: "4 a second for a minute: under the sustained rate, never throttled", times: every(240, 0.25), peak: 4, throttled: 0 },
    { name: "50 at once: the burst, never throttled", times: every(50, 0), peak: 50, throttled: 0 },
    { name: "60 at once: 10 over the burst", times: every(60, 0), peak: 60, throttled: 10 },
    { name: "60 at once after 10 quiet seconds: the bucket holds 50, not more", times: every(60, 0, 10), peak: 60, throttled: 10 },
    { name: "8 a second for 20 s: the burst runs out after about 16 s, then 3 of 8 are refused", times: every(160, 0.125), peak: 8, throttled: 11 },
  ])("$name", ({ times, peak, throttled }) => {
    const check = checkUpdateBudget(times);
    expect(check).toMatchObject({ calls: times.length, peakPerSecond: peak, throttled });
  });

  it("the order the services' calls are given in does not matter", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 300 }), (times) => {
        const reversed = [...times].sort((a, b) => b - a);
        expect(checkUpdateBudget(reversed)).toEqual(checkUpdateBudget(times));
      }),
    );
  });

  it("never throttles more calls than are over what the bucket can give in the run", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 60, noNaN: true }), { maxLength: 600 }), (times) => {
        const { throttled } = checkUpdateBudget(times);
        const span = times.length === 0 ? 0 : Math.max(...times);
        expect(throttled).toBeGreaterThanOrEqual(Math.max(0, times.length - (50 + 5 * span)) - 1e-9);
        expect(throttled).toBeLessThanOrEqual(Math.max(0, times.length - 50));
      }),
    );
  });
});
