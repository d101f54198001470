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

  it("shows what scale-ins interrupted per policy: count, lost task-hours, extra wait per message", () => {
    const lines = formatTable(buildFixture({ steps: 60 })).split("\n");
    expect(lines[0]).toContain("task scale-in protection off");
    expect(lines[2]).toMatch(/interrupted\s+lost task-hours\s+extra wait\s+own bill$/);
    // The fixture's keda: 60 interrupted, 65.5 task-seconds lost, 2700 s of extra wait in all.
    expect(lines.find((l) => l.startsWith("keda "))).toMatch(/\s60\s+0\.02\s+45\.0 s\s+–$/);
    expect(lines.find((l) => l.startsWith("static "))).toMatch(/\s0\s+0\.00\s+–\s+–$/);
    expect(lines.join("\n")).toContain("--protection: workers protect their task");
  });

  it("adds the draining task-hours when the run had task scale-in protection", () => {
    const output = buildFixture({ steps: 60 });
    output.settings = { ...output.settings!, taskProtection: true };
    for (const r of output.results) Object.assign(r, { interruptedMessages: 0, drainingTaskSeconds: 1800 });
    const lines = formatTable(output).split("\n");
    expect(lines[0]).toContain("task scale-in protection on");
    expect(lines[2]).toMatch(/draining task-hours\s+own bill$/);
    expect(lines.find((l) => l.startsWith("keda "))).toMatch(/\s0\.50\s+–$/);
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
