import { describe, expect, it } from "vitest";
import { buildReportData, cdfGrid, cdfOn, cumulativeTaskHours } from "../../shared/sim/report/data.ts";
import { buildFixture } from "./fixture.ts";

describe("the CDF read on a shared grid", () => {
  const a = { share: [0.5, 0.9, 1], seconds: [0, 10, 100] };
  const b = { share: [0.99, 1], seconds: [5, 10] };

  it("puts every wait of every policy on the grid once, ascending", () => {
    expect(cdfGrid([a, b, undefined])).toEqual([0, 5, 10, 100]);
  });

  it.each([
    { d: a, expected: [0.5, 0.5, 0.9, 1] },
    { d: b, expected: [0, 0.99, 1, 1] },
  ])("gives the largest share known within each wait: $expected", ({ d, expected }) => {
    expect(cdfOn([0, 5, 10, 100], d)).toEqual(expected);
  });
});

describe("cumulativeTaskHours", () => {
  const series = { policy: "static" as const, desired: [], running: [360, 360, 0, 720], backlog: [], oldestWaitSeconds: [] };

  it.each([
    { size: 1, expected: [1, 2, 2, 4] },
    { size: 2, expected: [2, 4] },
    { size: 3, expected: [2, 4] },
  ])("accumulates running tasks × step to the end of each bucket of $size", ({ size, expected }) => {
    expect(cumulativeTaskHours(series, 10, size)).toEqual(expected);
  });
});

describe("buildReportData", () => {
  it("has one point per sample on a short run, every line as long as the time axis", () => {
    const data = buildReportData(buildFixture({ steps: 100 }));
    expect(data.time).toHaveLength(100);
    expect(data.samplesPerPoint).toBe(1);
    for (const p of data.policies) {
      for (const line of [p.desired, p.running, p.backlog, p.oldestWaitSeconds, p.runningTaskHours]) expect(line).toHaveLength(100);
    }
  });

  it("reduces a day at one-second steps to one point a minute, keeping the spike", () => {
    const output = buildFixture({ steps: 86_400, stepSeconds: 1 });
    output.series.policies[0]!.backlog[40_001] = 99_999;
    const data = buildReportData(output);
    expect(data.time).toHaveLength(1440);
    expect(data.samplesPerPoint).toBe(60);
    expect(Math.max(...data.policies[0]!.backlog)).toBe(99_999);
    const total = output.series.policies[0]!.running.reduce((x, y) => x + y, 0) / 3600;
    expect(data.policies[0]!.runningTaskHours.at(-1)).toBeCloseTo(total, 9);
  });

  it("converts task-seconds to task-hours and arrivals per step to per second", () => {
    const output = buildFixture({ steps: 10 });
    const data = buildReportData(output);
    expect(data.policies[0]!.taskHours).toBe(output.results[0]!.taskSeconds / 3600);
    expect(data.lowerBoundTaskHours).toBe(output.lowerBound.taskSeconds / 3600);
    expect(data.arrivalsPerSecond[0]).toBe(output.series.arrivals[0]! / 10);
  });

  it("has no CDF for an output written without wait distributions, and no tasks-needed line without settings", () => {
    const output = buildFixture({ steps: 10 });
    expect(buildReportData(output).policies.every((p) => p.cdf?.length === buildReportData(output).cdfSeconds.length)).toBe(true);
    for (const p of output.series.policies) delete p.waitDistribution;
    const data = buildReportData(output);
    expect(data.policies.every((p) => p.cdf === null)).toBe(true);
    expect(data.tasksNeeded).toBeNull();
  });
});
