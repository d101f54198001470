/** The token bucket behind the ECS limiters: its invariants, checked in virtual time with fast-check. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../shared/aws/token-bucket.ts";
import { virtualClock } from "./virtual-clock.ts";

/** Grants one caller who arrives after each gap (ms); returns the virtual time of every grant. */
async function grantTimes(rate: number, burst: number, gaps: number[]): Promise<number[]> {
  const clock = virtualClock();
  const bucket = new TokenBucket({ ratePerSecond: rate, burst, clock });
  const times: number[] = [];
  for (const gap of gaps) {
    await clock.sleep(gap);
    await bucket.acquire();
    times.push(clock.elapsedMs());
  }
  return times;
}

const scenario = fc.record({
  rate: fc.integer({ min: 1, max: 20 }),
  burst: fc.integer({ min: 1, max: 50 }),
  gaps: fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 120 }),
});

describe("TokenBucket", () => {
  it("never grants more than burst + rate × elapsed in any stretch of time", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rate, burst, gaps }) => {
        const times = await grantTimes(rate, burst, gaps);
        for (let i = 0; i < times.length; i++) {
          for (let j = i; j < times.length; j++) {
            const elapsed = ((times[j] as number) - (times[i] as number)) / 1000;
            expect(j - i + 1).toBeLessThanOrEqual(burst + rate * elapsed + 1e-9);
          }
        }
      }),
    );
  });

  it("lets a caller through at once while tokens are left", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), async (burst) => {
        const times = await grantTimes(
          1,
          burst,
          Array.from({ length: burst }, () => 0),
        );
        expect(times.every((t) => t === 0)).toBe(true);
      }),
    );
  });

  it("makes callers wait, in total, no longer than the calls beyond the burst need at the rate", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rate, burst, gaps }) => {
        const times = await grantTimes(rate, burst, gaps);
        // Each caller arrives `gap` after the previous grant, so the last grant minus all gaps is the total wait;
        // 1 ms per call allows for rounding each wait up to whole milliseconds.
        const totalWait = (times.at(-1) as number) - gaps.reduce((sum, g) => sum + g, 0);
        const worst = Math.ceil(Math.max(0, gaps.length - burst) * (1000 / rate)) + gaps.length;
        expect(totalWait).toBeLessThanOrEqual(worst);
      }),
    );
  });

  it("serves concurrent callers in the order they asked", async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 2, clock });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 8 }, (_, i) => bucket.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(clock.elapsedMs()).toBe(1500);
  });

  it.each([
    { options: { ratePerSecond: 0, burst: 1 }, error: /ratePerSecond must be a positive number/ },
    { options: { ratePerSecond: Number.POSITIVE_INFINITY, burst: 1 }, error: /ratePerSecond must be a positive number/ },
    { options: { ratePerSecond: 1, burst: 0 }, error: /burst must be an integer >= 1/ },
    { options: { ratePerSecond: 1, burst: 2.5 }, error: /burst must be an integer >= 1/ },
  ])("refuses $options", ({ options, error }) => {
    expect(() => new TokenBucket(options)).toThrow(error);
  });
});
