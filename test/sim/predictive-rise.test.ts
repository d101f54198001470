/**
 * ecs-autoscaler's own predictive scaling in the simulated world: a queue whose traffic rises at the
 * same time every weekday. With `forecastAndScale` the tasks for the rise are started before it from
 * the second day on (the first day has no history), the rise keeps fewer messages waiting past the
 * target than without a forecast, and a day the rise does not come the forecast is dropped.
 */
import { describe, expect, it } from "vitest";
import { defaultQueueWorkerPolicy, ecsAutoscalerPolicy } from "../../shared/sim/policies/ecs-autoscaler.ts";
import type { PolicySetting } from "../../shared/sim/policies/types.ts";
import type { WorldRecord } from "../../shared/sim/world.ts";
import { workloadOf, worldOf } from "./helpers.ts";

const DAY = 86_400;
const RISE_START = 9 * 3600;
const RISE_END = 11 * 3600;
const STARTUP = 60;
const SAMPLE = 10;
const setting: PolicySetting = {
  targetWaitSeconds: 60,
  secondsPerMessage: 2,
  concurrency: 1,
  maxTasks: 50,
  initialTasks: 1,
  peakRatePerSecond: 4,
  metricDelaySeconds: 60,
  seed: 1,
};

/** 0.2 messages/s all day, 4/s from 09:00 to 11:00 UTC on the days in `riseDays` (day 0 is a Monday). */
function arrivals(days: number, riseDays: readonly number[]): number[] {
  const times: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let t = 0; t < DAY; t += 5) times.push(d * DAY + t + 2.5);
    if (riseDays.includes(d)) for (let t = RISE_START; t < RISE_END; t += 0.25) times.push(d * DAY + t + 0.1);
  }
  return times.sort((a, b) => a - b);
}

async function run(predictive: "off" | "forecastAndScale", times: number[], days: number) {
  const policy = ecsAutoscalerPolicy(setting, {
    policy: { ...defaultQueueWorkerPolicy(setting), predictive },
    keepDecisions: true,
  });
  const world = worldOf(workloadOf(times, 2, days * DAY), {
    initialTasks: 1,
    startup: { minSeconds: STARTUP, maxSeconds: STARTUP },
    sampleStepSeconds: SAMPLE,
  });
  policy.attach(world);
  const record = await world.run();
  const raises = policy.sink.decisions.filter((d) => d.decision.reason === "ForecastRaise");
  // Seconds since the start of the run of each decision the forecast raised.
  return { record, raiseTimes: raises.map((d) => (d.at.getTime() - world.date(0).getTime()) / 1000) };
}

const desiredAt = (record: WorldRecord, seconds: number) => record.series.desired[Math.floor(seconds / SAMPLE)]!;

/** Messages that arrived in day `d`'s rise and waited longer than the target. */
function lateInRise(record: WorldRecord, times: number[], d: number): number {
  let late = 0;
  times.forEach((t, i) => {
    if (t >= d * DAY + RISE_START && t < d * DAY + RISE_END && record.waitByArrival[i]! > setting.targetWaitSeconds) late++;
  });
  return late;
}

describe("predictive scaling on a rise that repeats every weekday", () => {
  const days = 3;
  const times = arrivals(days, [0, 1, 2]);
  const results = Promise.all([run("off", times, days), run("forecastAndScale", times, days)]);

  it("starts tasks for the rise before it comes, from the second day on", async () => {
    const [off, forecast] = await results;
    const beforeRise = (d: number) => d * DAY + RISE_START - 20;
    expect(desiredAt(forecast.record, beforeRise(0))).toBe(desiredAt(off.record, beforeRise(0)));
    for (const d of [1, 2]) expect(desiredAt(forecast.record, beforeRise(d))).toBeGreaterThan(desiredAt(off.record, beforeRise(d)));
  }, 60_000);

  it("keeps fewer messages of the rise waiting past the target than without a forecast", async () => {
    const [off, forecast] = await results;
    for (const d of [1, 2]) expect(lateInRise(forecast.record, times, d)).toBeLessThan(lateInRise(off.record, times, d));
  }, 60_000);
});

describe("predictive scaling when the rise does not come", () => {
  const days = 3;
  const times = arrivals(days, [0, 1]);
  const result = run("forecastAndScale", times, days);

  it("drops the forecast within minutes of the missing rise and sheds its tasks", async () => {
    const { record, raiseTimes } = await result;
    // Raised ahead of the expected rise, then no more raises once the measured rate stays at the base.
    const riseDay = 2 * DAY;
    expect(raiseTimes.some((s) => s >= riseDay + RISE_START - 5 * 60 && s < riseDay + RISE_START)).toBe(true);
    expect(raiseTimes.filter((s) => s >= riseDay + RISE_START + 5 * 60 && s < riseDay + RISE_END)).toEqual([]);
    expect(desiredAt(record, 2 * DAY + RISE_START + 30 * 60)).toBeLessThanOrEqual(desiredAt(record, 2 * DAY + RISE_START - 3600));
  }, 60_000);
});
