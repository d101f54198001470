import { describe, expect, it } from "vitest";
import { formatTable } from "../../shared/sim/table.ts";
import { buildFixture } from "../report/fixture.ts";

/** The fixture with `withinTarget` per policy replaced. */
function tableFor(shares: number[]): string[] {
  const output = buildFixture({ steps: 60 });
  output.results.forEach((r, i) => {
    r.withinTarget = shares[i]!;
  });
  return formatTable(output).split("\n");
}

describe("the CLI comparison table", () => {
  it("gives task time in task-hours, with the same two decimals as the report", () => {
    const output = buildFixture({ steps: 60 });
    const text = formatTable(output);
    expect(text).toContain("task-hours");
    expect(text).not.toContain("task-seconds");
    const r = output.results[0]!;
    expect(text).toContain(` ${(r.taskSeconds / 3600).toFixed(2)} `);
    expect(text).toContain(`Lower bound (sum of service times): ${(output.lowerBound.taskSeconds / 3600).toFixed(2)} task-hours.`);
  });

  it.each([
    {
      name: "marks pass and fail, and best only on the cheapest passing policy",
      shares: [0.7261, 0.995, 0.99, 0.5, 1, 0.5, 1],
      verdicts: ["fail", "pass (best)", "pass", "fail", "pass", "fail", "floor (not deployable)"],
      line: "Best = the cheapest policy that passes: target-tracking.",
    },
    {
      name: "says so when none passes",
      shares: [0.7261, 0.5, 0.6, 0.8144, 0.98, 0.5, 1],
      verdicts: ["fail", "fail", "fail", "fail", "fail", "fail", "floor (not deployable)"],
      line: "No policy meets the goal (at least 99% of messages within 60 s).",
    },
  ])("$name", ({ shares, verdicts, line }) => {
    const lines = tableFor(shares);
    const rows = lines.slice(4, 11);
    // Cells are separated by two spaces at least; the verdict is the second.
    expect(rows.map((row) => row.trim().split(/ {2,}/)[1])).toEqual(verdicts);
    expect(lines.join("\n")).toContain(line);
  });

  it("rounds within-target down, so a failing 98.996 % does not print as 99.00 %", () => {
    const rows = tableFor([0.98996, 1, 1, 1, 1, 1, 1]);
    expect(rows[4]).toContain("98.99%");
    expect(rows[4]).toContain("fail");
  });

  it("marks the oracle as knowing the future, and never best even when cheapest", () => {
    const text = tableFor([1, 1, 1, 1, 1, 1, 1]).join("\n");
    expect(text).toContain("oracle: knows the future (every arrival, service time and startup delay), not deployable");
    expect(text).not.toMatch(/passes: oracle/);
  });

  it("explains the – of the reaction column", () => {
    expect(tableFor([1, 1, 1, 1, 1, 1, 1]).join("\n")).toContain("– when there was no burst or no scale-up");
  });
});
