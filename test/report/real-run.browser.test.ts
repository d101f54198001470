/**
 * The report of a real simulator run (not the hand-built fixture) in headless Chromium: whatever the
 * simulator really produces (its settings, warnings, wait distributions, series lengths, zeros and gaps)
 * must draw every chart for every policy, give the verdicts the run earned, and log nothing.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import { judge } from "../../shared/sim/report/verdict.ts";
import { policyNames, type SimulationOutput } from "../../shared/sim/result.ts";
import { simulate } from "../../shared/sim/simulate.ts";
import { type OpenedReport, openReport } from "./browser.ts";
import { chartStates } from "./report-page.ts";

let output: SimulationOutput;
let report: OpenedReport;
let page: Page;

beforeAll(async () => {
  // Fifteen minutes around the spike scenario's burst with a tight target: short, busy, and some fail.
  output = await simulate({ scenario: "spike", start: "35m", duration: "15m", seed: 4, targetWaitSeconds: 30 });
  report = await openReport(renderReport(output));
  page = report.page;
});

afterAll(async () => {
  await report?.close();
});

describe("the report of a real simulate run in headless Chromium", () => {
  it("draws every chart with a series per policy, and a task panel per policy", async () => {
    const charts = await chartStates(page);
    for (const id of ["backlog", "wait", "cost", "cdf", "scatter"]) {
      const chart = charts.find((c) => c.id === id)!;
      expect(chart.shown, id).toHaveLength(1 + policyNames.length);
      expect(chart.yMax, id).toBeGreaterThan(chart.yMin);
    }
    expect(charts.filter((c) => c.id.startsWith("tasks:")).map((c) => c.id.slice(6))).toEqual(output.results.map((r) => r.policy));
    const drawn = await page.locator("canvas").evaluateAll((canvases) => canvases.map((c) => (c as unknown as { width: number }).width));
    expect(drawn.length).toBe(charts.length);
    for (const width of drawn) expect(width).toBeGreaterThan(250);
  });

  it("gives each policy the verdict its within-target share earns", async () => {
    const j = judge(output.results);
    expect(j.passing).toBeLessThan(output.results.length); // the tight target makes some fail
    const rows = await page.locator("table.summary tbody tr").evaluateAll((trs) =>
      trs.map((tr) => {
        const t = tr as unknown as { dataset: { policy: string }; className: string };
        return { policy: t.dataset.policy, className: t.className };
      }),
    );
    expect(rows).toEqual(j.verdicts.map((v) => ({ policy: v.policy, className: v.best ? `${v.status} best-row` : v.status })));
  });

  it("shows the run's own numbers in the table and header", async () => {
    const first = output.results[0]!;
    const calls = await page.locator(`table.summary tbody tr >> nth=0 >> td[data-label="UpdateService calls"]`).textContent();
    expect(calls).toBe(first.updateServiceCalls.toLocaleString("en-US"));
    const hours = await page.locator(`table.summary tbody tr >> nth=0 >> td[data-label="Task-hours"]`).textContent();
    // The table shows hours to two decimals: at most half a hundredth off.
    expect(Math.abs(Number(hours) - first.taskSeconds / 3600)).toBeLessThanOrEqual(0.005 + 1e-9);
    await expect(page.locator("header").textContent()).resolves.toContain(`${output.targetWaitSeconds} s`);
    await expect(page.locator("#card-policy-settings").textContent()).resolves.toContain("queueLength");
  });

  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });
});
