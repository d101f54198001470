/**
 * Using the charts: hiding a policy hides it everywhere and rescales the axes to what is left; hovering
 * shows the values under the cursor in every time chart.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import type { SimulationOutput } from "../../shared/sim/result.ts";
import { type OpenedReport, openReport } from "./browser.ts";
import { buildFixture, fixtureSettings } from "./fixture.ts";
import { chartState, chartStates } from "./report-page.ts";

let output: SimulationOutput;
let report: OpenedReport;

beforeAll(async () => {
  output = { ...buildFixture(), settings: fixtureSettings };
  report = await openReport(renderReport(output));
});

afterAll(async () => {
  await report?.close();
});

/** The policy whose oldest wait peaks highest, and that peak. */
function worstWait(): { policy: string; peak: number; others: number } {
  const peaks = output.series.policies.map((p) => ({ policy: p.policy, peak: Math.max(...p.oldestWaitSeconds) })).sort((a, b) => b.peak - a.peak);
  return { ...peaks[0]!, others: peaks[1]!.peak };
}

describe("hiding a policy", () => {
  it("hides it in every chart and rescales the wait axis to the policies still shown", async () => {
    const { page } = report;
    const worst = worstWait();
    const before = await chartState(page, "wait");
    expect(before.yMax).toBeGreaterThanOrEqual(worst.peak);
    await page.click(`.policy-toggle[data-policy="${worst.policy}"]`);
    const after = await chartState(page, "wait");
    expect(after.yMax).toBeLessThan(before.yMax);
    expect(after.yMax).toBeGreaterThanOrEqual(worst.others);
    const index = output.results.findIndex((r) => r.policy === worst.policy) + 1;
    for (const id of ["wait", "backlog", "cost", "cdf", "scatter"]) expect((await chartState(page, id)).shown[index], id).toBe(false);
    await expect(page.locator(`#plot-tasks .panel[data-policy="${worst.policy}"]`).isHidden()).resolves.toBe(true);
    await expect(page.getAttribute(`.policy-toggle[data-policy="${worst.policy}"]`, "aria-pressed")).resolves.toBe("false");
    await page.click(`.policy-toggle[data-policy="${worst.policy}"]`);
    expect((await chartState(page, "wait")).yMax).toBe(before.yMax);
  });

  it("gives the task panels one shared y axis, recomputed from the visible policies", async () => {
    const { page } = report;
    const panels = (await chartStates(page)).filter((c) => c.id.startsWith("tasks:"));
    expect(panels).toHaveLength(output.results.length);
    expect(new Set(panels.map((p) => p.yMax)).size).toBe(1);
    const biggest = output.series.policies.map((p) => ({ policy: p.policy, max: Math.max(...p.desired, ...p.running) })).sort((a, b) => b.max - a.max)[0]!;
    await page.click(`.policy-toggle[data-policy="${biggest.policy}"]`);
    const after = (await chartStates(page)).filter((c) => c.id.startsWith("tasks:") && c.id !== `tasks:${biggest.policy}`);
    expect(new Set(after.map((p) => p.yMax)).size).toBe(1);
    expect(after[0]!.yMax).toBeLessThan(panels[0]!.yMax);
    await page.click(`.policy-toggle[data-policy="${biggest.policy}"]`);
  });

  it("also works from a chart's legend, for every chart at once", async () => {
    const { page } = report;
    await page.locator("#plot-backlog .u-legend .u-series").nth(2).click(); // the second policy
    const policy = output.results[1]!.policy;
    expect((await chartState(page, "wait")).shown[2]).toBe(false);
    expect((await chartState(page, "backlog")).shown[2]).toBe(false);
    await expect(page.getAttribute(`.policy-toggle[data-policy="${policy}"]`, "aria-pressed")).resolves.toBe("false");
    await page.click(`.policy-toggle[data-policy="${policy}"]`);
    expect((await chartState(page, "backlog")).shown[2]).toBe(true);
  });
});

/** Moves the mouse over a chart's plotting area at `fraction` of its width, and lets uPlot draw. */
async function hoverAt(page: Page, chart: string, fraction: number): Promise<void> {
  const over = page.locator(`${chart} .u-over`);
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: box.width * fraction, y: box.height / 2 } });
  await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(null))));
}

describe("hovering a chart", () => {
  it("shows the time and every policy's value there, in this chart and the other time charts", async () => {
    const { page } = report;
    const before = await chartState(page, "wait");
    expect(before.legendValues.slice(1).every((v) => v === "—")).toBe(true);
    await hoverAt(page, "#plot-wait", 0.45);
    const wait = await chartState(page, "wait");
    expect(wait.legendValues[0]).toMatch(/^2026-03-02 \d\d:\d\d:\d\d$/);
    for (const v of wait.legendValues.slice(1)) expect(v).toMatch(/^[\d,.]+ s$/);
    const backlog = await chartState(page, "backlog");
    expect(backlog.legendValues[0]).toBe(wait.legendValues[0]); // the cursors are in sync
    for (const v of backlog.legendValues.slice(1)) expect(v).toMatch(/^[\d,]+$/);
  });

  it("reads the wait distribution as a share at a wait", async () => {
    const { page } = report;
    await hoverAt(page, "#plot-cdf", 0.6);
    const cdf = await chartState(page, "cdf");
    expect(cdf.legendValues[0]).toMatch(/^≤ [\d,.]+ s$/);
    for (const v of cdf.legendValues.slice(1)) expect(v).toMatch(/^[\d.]+ %$/);
  });

  it("zooms the wait distribution to its tail and back", async () => {
    const { page } = report;
    await page.click(`[data-cdf-range="tail"]`);
    expect(await chartState(page, "cdf")).toMatchObject({ yMin: 90, yMax: 100 });
    await page.click(`.policy-toggle[data-policy="static"]`); // hiding a policy keeps the zoom
    expect(await chartState(page, "cdf")).toMatchObject({ yMin: 90, yMax: 100 });
    await page.click(`.policy-toggle[data-policy="static"]`);
    await page.click(`[data-cdf-range="all"]`);
    expect(await chartState(page, "cdf")).toMatchObject({ yMin: 0, yMax: 100 });
  });

  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });
});

describe("a run whose start time is not a date", () => {
  it("draws its time charts against elapsed time, without errors", async () => {
    const output = buildFixture({ steps: 120 });
    output.series.startIso = "not a date";
    const opened = await openReport(renderReport(output));
    try {
      const over = opened.page.locator("#plot-wait .u-over");
      const box = (await over.boundingBox())!;
      await over.hover({ position: { x: box.width / 2, y: box.height / 2 } });
      const wait = await chartState(opened.page, "wait");
      expect(wait.legendValues[0]).toMatch(/^[\d.]+ (s|min)$/);
      expect(opened.consoleErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
