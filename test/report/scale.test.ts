import { describe, expect, it } from "vitest";
import { compactNumber, linearScale, logScale, niceStep, timeScale } from "../../shared/sim/report/scale.ts";

describe("axis scales", () => {
  it.each([
    { span: 100, ticks: 5, expected: 20 },
    { span: 7, ticks: 5, expected: 2 },
    { span: 0.9, ticks: 5, expected: 0.2 },
    { span: 37_780, ticks: 5, expected: 10_000 },
    { span: 0, ticks: 5, expected: 1 },
  ])("a nice step over $span with at most $ticks intervals is $expected", ({ span, ticks, expected }) => {
    expect(niceStep(span, ticks)).toBeCloseTo(expected, 10);
  });

  it("a linear scale starts at zero, ends on a round tick at or above the maximum, and maps it to the top", () => {
    const y = linearScale(1_613, 250, 10);
    expect(y.ticks.map((t) => t.label)).toEqual(["0", "500", "1000", "1500", "2000"]);
    expect(y(0)).toBe(250);
    expect(y(2000)).toBe(10);
  });

  it("an all-zero series still gets a usable axis", () => {
    expect(linearScale(0, 100, 0).ticks.map((t) => t.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("a log scale has a tick per power of ten and draws values below its floor at the floor", () => {
    const y = logScale(3_600, 1, 200, 0);
    expect(y.ticks.map((t) => t.label)).toEqual(["1", "10", "100", "1000", "10k"]);
    expect(y(0)).toBe(200);
    expect(y(10_000)).toBe(0);
  });

  it.each([
    { n: 950, expected: "950" },
    { n: 15_000, expected: "15k" },
    { n: 2_500_000, expected: "2.5M" },
    { n: 0.25, expected: "0.25" },
  ])("compact tick label of $n is $expected", ({ n, expected }) => {
    expect(compactNumber(n)).toBe(expected);
  });

  it("time ticks fall on round UTC clock times, even when the run starts off the hour", () => {
    const start = Date.parse("2026-03-02T12:07:30Z");
    const x = timeScale(start, 2 * 3600, 0, 1000);
    expect(x.ticks.map((t) => t.label)).toEqual(["12:15", "12:30", "12:45", "13:00", "13:15", "13:30", "13:45", "14:00"]);
    expect(x(0)).toBe(0);
    expect(x(2 * 3600)).toBe(1000);
  });

  it("a run across midnight labels the midnight tick with the date", () => {
    const x = timeScale(Date.parse("2026-03-02T20:00:00Z"), 8 * 3600, 0, 1000);
    expect(x.ticks.map((t) => t.label)).toContain("Mar 3");
  });

  it("without a known start, ticks are elapsed time", () => {
    const x = timeScale(Number.NaN, 3600, 0, 1000);
    expect(x.ticks.map((t) => t.label)).toEqual(["+0", "+10m", "+20m", "+30m", "+40m", "+50m", "+1h"]);
  });
});
