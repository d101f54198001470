/**
 * `aws-predictive` against timelines worked by hand from the AAS predictive scaling guide: no forecast
 * before 24 h of data, the same hour of previous days averaged (the assumed method), capacity launched
 * SchedulingBufferTime (300 s) before the hour, never above the maximum, never a scale-in of its own.
 */
import { describe, expect, it } from "vitest";
import { awsPredictivePolicy, capacityForLoad, firstForecastAt, forecastHourlyLoad } from "../../shared/sim/policies/aws-predictive.ts";
import { targetTrackingPolicy } from "../../shared/sim/policies/target-tracking.ts";
import type { PolicySetting } from "../../shared/sim/policies/types.ts";
import { at, workloadOf, worldOf } from "./helpers.ts";

const setting: PolicySetting = {
  targetWaitSeconds: 60,
  secondsPerMessage: 1,
  concurrency: 1,
  maxTasks: 50,
  initialTasks: 1,
  peakRatePerSecond: 10,
  metricDelaySeconds: 60,
  seed: 1,
};

describe("the assumed forecast: the same hour on previous days, averaged", () => {
  const days = (...perDay: number[][]) => perDay.flat();
  const day = (busyHour: number, busy: number, quiet: number) => Array.from({ length: 24 }, (_, h) => (h === busyHour ? busy : quiet));
  it.each([
    { name: "one day of history: tomorrow's hours repeat today's", history: day(9, 3600, 360), from: 24, expected9: 3600, expected10: 360 },
    { name: "two days: the mean of both", history: days(day(9, 3600, 360), day(9, 7200, 360)), from: 48, expected9: 5400, expected10: 360 },
  ])("$name", ({ history, from, expected9, expected10 }) => {
    const forecast = forecastHourlyLoad(history, from);
    expect(forecast).toHaveLength(48);
    expect(forecast[9]).toBe(expected9);
    expect(forecast[10]).toBe(expected10);
    expect(forecast[24 + 9]).toBe(expected9); // 48 h ahead: hour 9 of the day after, from the same days
  });

  it("uses at most 14 previous days", () => {
    const history = [...Array(24).fill(1_000_000), ...Array(14 * 24).fill(10)];
    expect(forecastHourlyLoad(history, 15 * 24)[0]).toBe(10);
  });

  it("nothing to forecast from: undefined", () => {
    expect(forecastHourlyLoad([], 0, 2)).toEqual([undefined, undefined]);
  });

  it("capacity: the tasks that process the load at 80% utilization, at most the maximum", () => {
    expect(capacityForLoad(setting, 36_000)).toBe(13); // 10 messages/s × 1 s = 10 busy → 12.5 → 13
    expect(capacityForLoad(setting, 3_600_000)).toBe(50);
    expect(capacityForLoad(setting, 0)).toBe(0);
  });
});

describe("aws-predictive in the world", () => {
  // Hour 1 carries 10 messages/s; every other hour 0.1/s. 26 h: the forecast of hour 25 is hour 1's.
  const arrivals: number[] = [];
  for (let t = 0; t < 26 * 3600; t += 10) arrivals.push(t);
  for (let t = 3600; t < 7200; t += 0.1) arrivals.push(t + 0.05);
  arrivals.sort((a, b) => a - b);

  it("before 24 h it is target tracking alone; then capacity for hour 25 is launched 300 s before it and kept through the hour", async () => {
    const world = worldOf(workloadOf(arrivals, 1, 26 * 3600), { initialTasks: 1 });
    const policy = awsPredictivePolicy(setting);
    policy.attach(world);
    const seen: Record<string, number> = {};
    const sample = (label: string, time: number) => at(world, time, () => (seen[label] = world.describe().desiredCount));
    sample("hour 24, before the forecast", 24 * 3600 + 60);
    sample("just before the buffer", 25 * 3600 - 301);
    sample("300 s before hour 25", 25 * 3600 - 299);
    sample("end of hour 25", 26 * 3600 - 60);
    await world.run();
    expect(seen["hour 24, before the forecast"]).toBeLessThan(13);
    expect(seen["just before the buffer"]).toBeLessThan(13);
    expect(seen["300 s before hour 25"]).toBe(13);
    // Target tracking sees almost no backlog in hour 25 but does not scale in below the forecast floor.
    expect(seen["end of hour 25"]).toBe(13);
  });

  it.each([
    { name: "a trace shorter than 24 h", seconds: 6 * 3600 },
    { name: "a run that ends as the first forecast is due (24 h of data published)", seconds: firstForecastAt(setting) },
  ])("on $name it is target tracking, record for record (the simulator reuses that run)", async ({ seconds }) => {
    const short = arrivals.filter((t) => t < seconds);
    const run = async (make: typeof awsPredictivePolicy) => {
      const world = worldOf(workloadOf(short, 1, seconds), { initialTasks: 1 });
      make(setting).attach(world);
      return world.run();
    };
    expect(await run(awsPredictivePolicy)).toEqual(await run(targetTrackingPolicy));
  });
});
