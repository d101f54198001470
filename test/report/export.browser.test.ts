/**
 * The CSV downloads: built in the browser from the numbers embedded in the page, they must hold exactly
 * the results and series the simulator produced.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyTableCsv, timeSeriesCsv } from "../../shared/sim/report/csv.ts";
import { buildReportData } from "../../shared/sim/report/data.ts";
import { renderReport } from "../../shared/sim/report/render.ts";
import type { SimulationOutput } from "../../shared/sim/result.ts";
import { type OpenedReport, openReport } from "./browser.ts";
import { buildFixture } from "./fixture.ts";
import { download } from "./report-page.ts";

let output: SimulationOutput;
let report: OpenedReport;

beforeAll(async () => {
  output = buildFixture({ steps: 240, scenario: "step burst, from a trace" });
  report = await openReport(renderReport(output));
});

afterAll(async () => {
  await report?.close();
});

describe("CSV export", () => {
  it("downloads the per-policy results, one row per policy with the table's numbers unrounded, then the lower bound", async () => {
    const file = await download(report.page, "#export-policies");
    expect(file.name).toBe("step-burst-from-a-trace-policies.csv");
    expect(file.text).toBe(policyTableCsv(buildReportData(output)));
    const all: Record<string, string>[] = parse(file.text, { columns: true });
    expect(all.at(-1)!.policy).toBe("lower bound");
    const rows = all.slice(0, -1);
    expect(rows.map((r) => r.policy)).toEqual(output.results.map((r) => r.policy));
    expect(rows.map((r) => Number(r.task_hours))).toEqual(output.results.map((r) => r.taskSeconds / 3600));
    expect(rows.map((r) => Number(r.within_target_share))).toEqual(output.results.map((r) => r.withinTarget));
  });

  it("downloads the time series, one row per sample with every policy's lines", async () => {
    const file = await download(report.page, "#export-series");
    expect(file.name).toBe("step-burst-from-a-trace-time-series.csv");
    expect(file.text).toBe(timeSeriesCsv(buildReportData(output)));
    const rows: Record<string, string>[] = parse(file.text, { columns: true });
    expect(rows).toHaveLength(240);
    const keda = output.series.policies.find((p) => p.policy === "keda")!;
    expect(rows.map((r) => Number(r.keda_backlog_messages))).toEqual(keda.backlog);
    expect(rows.map((r) => Number(r.arrivals_per_s))).toEqual(output.series.arrivals.map((a) => a / output.series.stepSeconds));
    expect(rows[0]!.time_utc).toBe("2026-03-02T12:00:00.000Z");
  });

  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });
});
