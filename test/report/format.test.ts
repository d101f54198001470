import { describe, expect, it } from "vitest";
import { formatCount, formatDuration, formatPercent, formatTaskHours, formatUsd, formatUtc } from "../../shared/sim/report/format.ts";

describe("report number formatting", () => {
  it.each([
    { fraction: 1, expected: "100.00 %" },
    { fraction: 0.99996, expected: "99.99 %" },
    { fraction: 0.9925, expected: "99.25 %" },
    { fraction: 0, expected: "0.00 %" },
    { fraction: Number.NaN, expected: "—" },
  ])("percent $fraction → $expected (rounded down, never a flattering 100 %)", ({ fraction, expected }) => {
    expect(formatPercent(fraction)).toBe(expected);
  });

  it.each([
    { taskSeconds: 1512, expected: "0.42" },
    { taskSeconds: 264_636, expected: "73.51" },
    { taskSeconds: 3_933_720, expected: "1,092.7" },
    { taskSeconds: Number.NaN, expected: "—" },
  ])("task-seconds $taskSeconds → $expected task-hours", ({ taskSeconds, expected }) => {
    expect(formatTaskHours(taskSeconds)).toBe(expected);
  });

  it.each([
    { n: 2.371, expected: "$2.37" },
    { n: 1234.5, expected: "$1,234.50" },
    { n: 0.012345, expected: "$0.0123" },
  ])("dollars $n → $expected", ({ n, expected }) => {
    expect(formatUsd(n)).toBe(expected);
  });

  it.each([
    { s: 45, expected: "45 s" },
    { s: 900, expected: "15 min" },
    { s: 6 * 3600, expected: "6 h" },
    { s: 86_400 * 2 + 7200, expected: "2 d 2 h" },
  ])("duration $s s → $expected", ({ s, expected }) => {
    expect(formatDuration(s)).toBe(expected);
  });

  it("counts are grouped and missing values show a dash", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(null)).toBe("—");
  });

  it("times are UTC, whatever the machine's zone", () => {
    expect(formatUtc(Date.parse("2026-03-02T12:00:00+01:00"))).toBe("2026-03-02 11:00:00 UTC");
  });
});
