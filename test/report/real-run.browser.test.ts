/**
 * The report of a real simulator run (not the hand-built fixture) in headless Chromium: whatever the
 * simulator really produces (its settings, warnings, series lengths, zeros and gaps) must render every
 * chart with drawn lines for every policy and log nothing.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import { policyNames, type SimulationOutput } from "../../shared/sim/result.ts";
import { simulate } from "../../shared/sim/simulate.ts";
import { measureLines, type OpenedReport, openReport } from "./browser.ts";

let output: SimulationOutput;
let report: OpenedReport;
let page: Page;

beforeAll(async () => {
  // Fifteen minutes around the spike scenario's burst: short enough for a test, busy enough to scale.
  output = await simulate({ scenario: "spike", start: "35m", duration: "15m", seed: 4 });
  report = await openReport(renderReport(output));
  page = report.page;
});

afterAll(async () => {
  await report?.close();
});

describe("the report of a real simulate run in headless Chromium", () => {
  it("draws every chart with a line per policy and names every policy in the table", async () => {
    for (const [id, perPolicy] of [
      ["chart-backlog", 1],
      ["chart-tasks", 2],
      ["chart-wait", 1],
    ] as const) {
      const lines = await measureLines(page, id);
      expect(lines, id).toHaveLength(perPolicy * policyNames.length);
      for (const line of lines) expect(line.width, id).toBeGreaterThan(1000);
    }
    const arrivals = await measureLines(page, "chart-arrivals");
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.length).toBeGreaterThan(1000);
    const rows = await page.locator("table.summary tbody th[scope=row]").allTextContents();
    expect(rows).toEqual(output.results.map((r) => r.policy));
    expect([...rows].sort()).toEqual([...policyNames].sort());
  });

  it("shows the run's own numbers in the table and header", async () => {
    const first = output.results[0]!;
    const cells = await page.locator("table.summary tbody tr").first().locator("td").allTextContents();
    expect(cells[0]).toBe(first.arrived.toLocaleString("en-US"));
    expect(cells[10]).toBe(first.updateServiceCalls.toLocaleString("en-US"));
    await expect(page.locator("header").textContent()).resolves.toContain(`${output.targetWaitSeconds} s`);
  });

  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });
});
