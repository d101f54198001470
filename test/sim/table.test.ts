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
      shares: [0.7261, 0.995, 0.99, 0.5, 1],
      verdicts: ["fail", "pass (best)", "pass", "fail", "pass"],
      line: "Best = the cheapest policy that passes: target-tracking.",
    },
    {
      name: "says so when none passes",
      shares: [0.7261, 0.5, 0.6, 0.8144, 0.98],
      verdicts: ["fail", "fail", "fail", "fail", "fail"],
      line: "No policy meets the goal (at least 99% of messages within 60 s).",
    },
  ])("$name", ({ shares, verdicts, line }) => {
    const lines = tableFor(shares);
    const rows = lines.slice(4, 9);
    expect(rows.map((row) => row.slice(15, 30).trim())).toEqual(verdicts);
    expect(lines.join("\n")).toContain(line);
  });

  it("rounds within-target down, so a failing 98.996 % does not print as 99.00 %", () => {
    const rows = tableFor([0.98996, 1, 1, 1, 1]);
    expect(rows[4]).toContain("98.99%");
    expect(rows[4]).toContain("fail");
  });

  it("explains the – of the reaction column", () => {
    expect(tableFor([1, 1, 1, 1, 1]).join("\n")).toContain("– when there was no burst or no scale-up");
  });
});

describe("the CLI table's own bill", () => {
  it("gives ecs-autoscaler's share per month in its row, a dash for the baselines, and the fixed part below", () => {
    const output = buildFixture({ steps: 60 });
    output.results[0]!.ownCost = {
      usdPerMonth: 0.4213,
      fixedUsdPerMonth: 4.5,
      stateItemBytesMax: 1812,
      counts: {
        seconds: 3600,
        passes: 360,
        taskEvents: 4,
        calls: {},
        getMetricDataMetrics: 180,
        dynamodbReadUnits: 360,
        dynamodbWriteUnits: 60,
        stateItemBytesMax: 1812,
        dedupeItemBytesMax: 200,
        customMetrics: 1,
        logBytes: 1000,
      },
      lines: { service: [], fixed: [] },
    };
    const lines = formatTable(output).split("\n");
    expect(lines[2]).toMatch(/own bill$/);
    expect(lines[4]).toMatch(/\$0\.42\/mo$/);
    expect(lines[5]).toMatch(/ –$/);
    expect(lines).toContain(
      "Own bill (ecs-autoscaler's AWS usage in this run, per 30-day month): $0.42 for this service, plus $4.50 per deployment (evaluator Lambda, dashboard, alarms); state item up to 1,812 bytes.",
    );
  });

  it("has no own-bill line when ecs-autoscaler did not run", () => {
    expect(formatTable(buildFixture({ steps: 60 }))).not.toContain("Own bill (");
  });
});
