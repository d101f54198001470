import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { policyTableCsv, timeSeriesCsv, toCsv } from "../../shared/sim/report/csv.ts";
import { buildReportData } from "../../shared/sim/report/data.ts";
import { buildFixture } from "./fixture.ts";

describe("toCsv", () => {
  it.each([
    { cells: ["a", 1, true], line: "a,1,true\r\n" },
    { cells: ["with,comma", 'say "hi"', "two\nlines"], line: '"with,comma","say ""hi""","two\nlines"\r\n' },
    { cells: [null, Number.NaN, 0], line: ",,0\r\n" },
  ])("writes $line", ({ cells, line }) => {
    expect(toCsv([cells])).toBe(line);
  });
});

describe("the per-policy CSV", () => {
  const output = buildFixture();
  const data = buildReportData(output);
  const all: Record<string, string>[] = parse(policyTableCsv(data), { columns: true });
  const rows = all.slice(0, -1);

  it("has one row per policy, in the table's order, then the lower bound", () => {
    expect(all.map((r) => r.policy)).toEqual([...output.results.map((r) => r.policy), "lower bound"]);
  });

  it("ends with the lower bound's task-hours at 1× itself, every result column empty", () => {
    const last = all.at(-1)!;
    expect(Number(last.task_hours)).toBe(output.lowerBound.taskSeconds / 3600);
    expect(last.times_lower_bound).toBe("1");
    expect(last.target_wait_s).toBe("60");
    expect([last.verdict, last.cost_usd, last.within_target_share, last.own_aws_bill_usd_per_month]).toEqual(["", "", "", ""]);
  });

  it("carries ecs-autoscaler's own AWS bill per month, empty for the baselines", () => {
    const withBill = buildFixture();
    const ours = withBill.results.find((r) => r.policy === "ecs-autoscaler")!;
    ours.ownCost = { usdPerMonth: 0.4321, fixedUsdPerMonth: 4.5, stateItemBytesMax: 700, counts: {} as never, lines: { service: [], fixed: [] } };
    const billed: Record<string, string>[] = parse(policyTableCsv(buildReportData(withBill)), { columns: true });
    expect(billed.map((r) => [r.policy, r.own_aws_bill_usd_per_month])).toEqual([...withBill.results.map((r) => [r.policy, r.policy === "ecs-autoscaler" ? "0.4321" : ""]), ["lower bound", ""]]);
  });

  it("holds the results unrounded, task time in task-hours", () => {
    output.results.forEach((r, i) => {
      const row = rows[i]!;
      expect(Number(row.within_target_share)).toBe(r.withinTarget);
      expect(Number(row.task_hours)).toBe(r.taskSeconds / 3600);
      expect(Number(row.cost_usd)).toBe(r.costUsd);
      expect(Number(row.wait_p99_s)).toBe(r.waitP99Seconds);
      expect(row.reaction_s).toBe(r.reactionSeconds === null ? "" : String(r.reactionSeconds));
      expect(Number(row.target_wait_s)).toBe(60);
      expect(Number(row.interrupted_messages)).toBe(r.interruptedMessages);
      expect(Number(row.wasted_task_hours)).toBe(r.wastedTaskSeconds / 3600);
      expect(Number(row.interrupted_extra_wait_s)).toBe(r.interruptedExtraWaitSeconds);
      expect(Number(row.draining_task_hours)).toBe(r.drainingTaskSeconds / 3600);
    });
  });

  it("carries the verdict and the single cheapest passing policy", () => {
    expect(rows.map((r) => r.verdict)).toEqual(data.policies.map((p) => p.status));
    expect(rows.filter((r) => r.cheapest_passing === "true").map((r) => r.policy)).toEqual(data.policies.filter((p) => p.best).map((p) => p.policy));
  });
});

describe("the time-series CSV", () => {
  it("has a UTC time, the arrivals and five columns per policy at every point", () => {
    const output = buildFixture({ steps: 30, policies: ["ecs-autoscaler", "static"] });
    const data = buildReportData(output);
    const rows: string[][] = parse(timeSeriesCsv(data));
    expect(rows[0]).toEqual([
      "time_utc",
      "elapsed_s",
      "arrivals_per_s",
      "ecs-autoscaler_desired_tasks",
      "ecs-autoscaler_running_tasks",
      "ecs-autoscaler_backlog_messages",
      "ecs-autoscaler_oldest_wait_s",
      "ecs-autoscaler_running_task_hours_cumulative",
      "static_desired_tasks",
      "static_running_tasks",
      "static_backlog_messages",
      "static_oldest_wait_s",
      "static_running_task_hours_cumulative",
    ]);
    expect(rows).toHaveLength(31);
    expect(rows[1]!.slice(0, 3)).toEqual(["2026-03-02T12:00:00.000Z", "0", String(output.series.arrivals[0]! / 10)]);
    expect(rows[2]![0]).toBe("2026-03-02T12:00:10.000Z");
    const s = output.series.policies[1]!;
    expect(rows[5]!.slice(8, 12).map(Number)).toEqual([s.desired[4], s.running[4], s.backlog[4], s.oldestWaitSeconds[4]]);
  });

  it("uses elapsed seconds when the run has no start date", () => {
    const output = buildFixture({ steps: 3, policies: ["static"] });
    output.series.startIso = "not a date";
    const rows: string[][] = parse(timeSeriesCsv(buildReportData(output)));
    expect(rows.map((r) => r[0])).toEqual(["elapsed_s", "0", "10", "20"]);
    expect(rows[0]![1]).toBe("arrivals_per_s");
  });
});
