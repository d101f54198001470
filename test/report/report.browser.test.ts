/**
 * The report page in a real browser (headless Chromium or Chrome, driven by playwright-core): charts
 * render with size and drawn lines, every policy is named in every legend and the table, nothing logs
 * an error or reaches for the network, and the hover read-out, legend toggles and log-scale switch work.
 * Saves ecs-autoscaler-report.png in the system's temporary folder for a human to look at.
 */
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import { policyNames } from "../../shared/sim/result.ts";
import { measureLines, type OpenedReport, openReport } from "./browser.ts";
import { buildFixture } from "./fixture.ts";

const screenshotPath = join(tmpdir(), "ecs-autoscaler-report.png");
const chartIds = ["chart-arrivals", "chart-backlog", "chart-tasks", "chart-wait"];

let report: OpenedReport;
let page: Page;

beforeAll(async () => {
  // Target wait 15 s: the fixture's waits reach ~25× that, so the wait chart also offers its log scale.
  report = await openReport(renderReport(buildFixture({ targetWaitSeconds: 15 })));
  page = report.page;
});

afterAll(async () => {
  await report?.close();
});

/** How many of a policy's lines the browser displays (not display:none, itself or an ancestor). */
function displayedLines(series: string): Promise<number> {
  return page.locator(`svg.chart path.line[data-series="${series}"]`).evaluateAll((paths) => paths.filter((p) => (p as unknown as { checkVisibility(): boolean }).checkVisibility()).length);
}

describe("the report page in headless Chromium", () => {
  it("renders every chart with a real size and drawn lines", async () => {
    for (const id of chartIds) {
      const svg = page.locator(`svg#${id}`);
      const box = await svg.boundingBox();
      expect(box, `${id} has a box`).not.toBeNull();
      expect(box!.width, `${id} width`).toBeGreaterThan(1000);
      expect(box!.height, `${id} height`).toBeGreaterThan(200);
      // Drawn means the browser measured a non-zero length along each line and a non-empty box.
      const lengths = await measureLines(page, id);
      const expected = id === "chart-arrivals" ? 1 : id === "chart-tasks" ? 2 * policyNames.length : policyNames.length;
      expect(lengths, `${id} lines`).toHaveLength(expected);
      for (const l of lengths) {
        expect(l.length).toBeGreaterThan(100);
        expect(l.width).toBeGreaterThan(1000);
      }
    }
  });

  it("names every policy in every chart's legend and in the table", async () => {
    for (const id of chartIds) {
      const legend = await page.locator(`figure:has(svg#${id}) ul.legend`).textContent();
      for (const policy of policyNames) expect(legend ?? "", `${id} legend`).toContain(policy);
    }
    const rows = await page.locator("table.summary tbody th[scope=row]").allTextContents();
    expect(rows.map((r) => r.trim())).toEqual([...policyNames]);
    await expect(page.locator("table.summary tfoot").textContent()).resolves.toContain("lower bound");
    await expect(page.locator(".verdict").textContent()).resolves.toMatch(/Best on cost .*ecs-autoscaler/);
  });

  it("has axis titles with units and the target-wait line", async () => {
    const titles = await page.locator("svg.chart .axis-title").allTextContents();
    expect(titles).toEqual(expect.arrayContaining(["arrival rate (messages/s)", "messages waiting (visible + in flight)", "tasks", "oldest message age (s)", "time (UTC)"]));
    await expect(page.locator("svg#chart-wait .reference-label").textContent()).resolves.toBe("target wait 15 s");
  });

  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });

  it("saves a full-page screenshot at 1280 px", async () => {
    rmSync(screenshotPath, { force: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(existsSync(screenshotPath)).toBe(true);
  });

  it("hovering a chart shows the time and every policy's value there", async () => {
    const svg = page.locator("svg#chart-backlog");
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    const tip = page.locator("figure:has(svg#chart-backlog) .tooltip");
    await expect(tip.isVisible()).resolves.toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: the read-out as a user sees it, one line per row
    const text = await tip.innerText();
    expect(text).toMatch(/^2026-03-02 12:\d\d:\d\d UTC/);
    for (const policy of policyNames) expect(text).toMatch(new RegExp(`${policy}\\s+[\\d,.]+ messages`));
    await page.mouse.move(0, 0);
    await expect(tip.isVisible()).resolves.toBe(false);
  });

  it("clicking a policy in a legend hides it in every chart and the read-out, and clicking again brings it back", async () => {
    const button = page.locator("figure:has(svg#chart-backlog) button.legend-item[data-series=keda]");
    await button.click();
    await expect(page.locator("button.legend-item[data-series=keda][aria-pressed=true]").count()).resolves.toBe(0);
    await expect(displayedLines("keda")).resolves.toBe(0);
    await expect(displayedLines("static")).resolves.toBe(4);
    const svg = page.locator("svg#chart-tasks");
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    // biome-ignore lint/performance/useDomNodeTextContent: the read-out as a user sees it, one line per row
    const tipText = await page.locator("figure:has(svg#chart-tasks) .tooltip").innerText();
    expect(tipText).toContain("ecs-autoscaler running");
    expect(tipText).not.toContain("keda");
    await button.click();
    // Back in backlog, tasks (running and desired) and the linear wait chart.
    await expect(displayedLines("keda")).resolves.toBe(4);
  });

  it("the wait chart switches between linear and log scales", async () => {
    await expect(page.locator("svg#chart-wait").isVisible()).resolves.toBe(true);
    await expect(page.locator("svg#chart-wait-log").isVisible()).resolves.toBe(false);
    await page.locator("#wait-scale-log").check();
    await expect(page.locator("svg#chart-wait").isVisible()).resolves.toBe(false);
    const logBox = await page.locator("svg#chart-wait-log").boundingBox();
    expect(logBox!.height).toBeGreaterThan(200);
    const ticks = await page.locator("svg#chart-wait-log .axis text").allTextContents();
    expect(ticks).toEqual(expect.arrayContaining(["1", "10", "100"]));
    expect(report.consoleErrors).toEqual([]);
  });
});
