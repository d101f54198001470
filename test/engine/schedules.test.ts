/**
 * Schedules: windows [start, end) from 5-field cron in an IANA zone, DST-correct, and the overlap rule.
 * Boundary cases follow KEDA's cron scaler (kedacore/keda pkg/scalers/cron_scaler.go), derived by hand.
 */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../shared/config/policy.ts";
import { effectiveBounds } from "../../shared/engine/bounds.ts";
import { queueUrl } from "./build.ts";

type ScheduleInput = { name: string; start: string; end: string; timezone?: string; minTasks?: number; maxTasks?: number };
const policy = (schedules: ScheduleInput[], minTasks = 2, maxTasks = 50) => policySchema.parse({ minTasks, maxTasks, triggers: [{ type: "sqs", queueUrl }], schedules });

describe("a day window 06:00–20:00 UTC raising the minimum to 10", () => {
  const day = policy([{ name: "day", start: "0 6 * * *", end: "0 20 * * *", minTasks: 10 }]);
  it.each([
    { at: "2026-03-02T10:00:00Z", min: 10, name: "inside at 10:00" },
    { at: "2026-03-02T21:00:00Z", min: 2, name: "outside at 21:00" },
    { at: "2026-03-02T05:59:00Z", min: 2, name: "outside at 05:59" },
    { at: "2026-03-02T06:00:00Z", min: 10, name: "the start instant is inside" },
    { at: "2026-03-02T20:00:00Z", min: 2, name: "the end instant is outside" },
  ])("$name → min $min", ({ at, min }) => {
    expect(effectiveBounds(day, new Date(at)).min).toBe(min);
  });
});

describe("windows across DST changes", () => {
  // 22:00–06:00 local, every night. In UTC its edges move by an hour across each change.
  const night = (timezone: string) => policy([{ name: "night", start: "0 22 * * *", end: "0 6 * * *", timezone, minTasks: 0, maxTasks: 0 }]);
  it.each([
    // Europe/Berlin: CET (+1) → CEST (+2) on 2026-03-29 at 02:00; back on 2026-10-25 at 03:00.
    { zone: "Europe/Berlin", at: "2026-03-28T20:59:00Z", off: false, name: "Berlin, March: 21:59 CET is before the window" },
    { zone: "Europe/Berlin", at: "2026-03-28T21:00:00Z", off: true, name: "Berlin, March: 22:00 CET opens it" },
    { zone: "Europe/Berlin", at: "2026-03-29T03:59:00Z", off: true, name: "Berlin, March: 05:59 CEST is still inside (a 7-hour night)" },
    { zone: "Europe/Berlin", at: "2026-03-29T04:00:00Z", off: false, name: "Berlin, March: 06:00 CEST closes it" },
    { zone: "Europe/Berlin", at: "2026-10-24T19:59:00Z", off: false, name: "Berlin, October: 21:59 CEST is before the window" },
    { zone: "Europe/Berlin", at: "2026-10-24T20:00:00Z", off: true, name: "Berlin, October: 22:00 CEST opens it" },
    { zone: "Europe/Berlin", at: "2026-10-25T04:59:00Z", off: true, name: "Berlin, October: 05:59 CET is still inside (a 9-hour night)" },
    { zone: "Europe/Berlin", at: "2026-10-25T05:00:00Z", off: false, name: "Berlin, October: 06:00 CET closes it" },
    // America/New_York: EST (−5) → EDT (−4) on 2026-03-08 at 02:00; back on 2026-11-01 at 02:00.
    { zone: "America/New_York", at: "2026-03-08T02:59:00Z", off: false, name: "New York, March: 21:59 EST is before the window" },
    { zone: "America/New_York", at: "2026-03-08T03:00:00Z", off: true, name: "New York, March: 22:00 EST opens it" },
    { zone: "America/New_York", at: "2026-03-08T09:59:00Z", off: true, name: "New York, March: 05:59 EDT is still inside" },
    { zone: "America/New_York", at: "2026-03-08T10:00:00Z", off: false, name: "New York, March: 06:00 EDT closes it" },
    { zone: "America/New_York", at: "2026-11-01T01:59:00Z", off: false, name: "New York, November: 21:59 EDT is before the window" },
    { zone: "America/New_York", at: "2026-11-01T02:00:00Z", off: true, name: "New York, November: 22:00 EDT opens it" },
    { zone: "America/New_York", at: "2026-11-01T10:59:00Z", off: true, name: "New York, November: 05:59 EST is still inside" },
    { zone: "America/New_York", at: "2026-11-01T11:00:00Z", off: false, name: "New York, November: 06:00 EST closes it" },
  ])("$name", ({ zone, at, off }) => {
    const bounds = effectiveBounds(night(zone), new Date(at));
    expect(bounds.max === 0).toBe(off);
  });

  it("a window starting in the skipped hour (02:30 Berlin on 29 March) opens at the first valid instant", () => {
    const p = policy([{ name: "batch", start: "30 2 * * *", end: "0 5 * * *", timezone: "Europe/Berlin", minTasks: 8 }]);
    expect(effectiveBounds(p, new Date("2026-03-29T00:59:00Z")).min).toBe(2);
    expect(effectiveBounds(p, new Date("2026-03-29T01:30:00Z")).min).toBe(8); // 03:30 CEST
  });
});

describe("overlapping windows and one-sided bounds", () => {
  const p = policy([
    { name: "weekdays", start: "0 8 * * 1-5", end: "0 18 * * 1-5", minTasks: 10 },
    { name: "sale", start: "0 12 2 3 *", end: "0 14 2 3 *", minTasks: 30 },
    { name: "lunch", start: "0 12 * * *", end: "0 13 * * *", minTasks: 5 },
  ]);
  it("the most recently opened window wins; a later entry wins a tie", () => {
    // Monday 2 March 2026, 12:30: all three are open; sale and lunch opened at 12:00, lunch is listed later.
    expect(effectiveBounds(p, new Date("2026-03-02T12:30:00Z"))).toMatchObject({ min: 5, schedule: { name: "lunch" } });
    expect(effectiveBounds(p, new Date("2026-03-02T13:30:00Z"))).toMatchObject({ min: 30, schedule: { name: "sale" } });
    expect(effectiveBounds(p, new Date("2026-03-02T15:00:00Z"))).toMatchObject({ min: 10, schedule: { name: "weekdays" } });
    expect(effectiveBounds(p, new Date("2026-03-07T15:00:00Z"))).toMatchObject({ min: 2 }); // Saturday
  });
  it("maxTasks 0 alone pulls the minimum down: the window turns the service off", () => {
    const off = policy([{ name: "off", start: "0 0 * * 6", end: "0 0 * * 1", maxTasks: 0 }]);
    expect(effectiveBounds(off, new Date("2026-03-07T10:00:00Z"))).toMatchObject({ min: 0, max: 0 });
  });
  it("minTasks above the policy maximum alone pulls the maximum up", () => {
    const peak = policy([{ name: "peak", start: "0 9 * * *", end: "0 10 * * *", minTasks: 80 }]);
    expect(effectiveBounds(peak, new Date("2026-03-02T09:30:00Z"))).toMatchObject({ min: 80, max: 80 });
  });
});
