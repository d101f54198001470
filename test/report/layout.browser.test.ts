/**
 * The page from a 760 px laptop window to a wide screen: nothing scrolls sideways, the verdict and the
 * cost of every policy are in view without scrolling, "Reading the table" comes before the charts, and
 * the charts fill their cards. Screenshots at both widths go to a temporary folder for a human to look at.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import { type OpenedReport, openReport } from "./browser.ts";
import { buildFixture, fixtureSettings } from "./fixture.ts";
import { chartStates } from "./report-page.ts";

let report: OpenedReport;
const shots = mkdtempSync(join(tmpdir(), "report-shots-"));

beforeAll(async () => {
  report = await openReport(renderReport({ ...buildFixture(), settings: fixtureSettings }));
});

afterAll(async () => {
  await report?.close();
});

describe.each([760, 1400, 1700])("at %i px wide", (width) => {
  beforeAll(async () => {
    await report.page.setViewportSize({ width, height: 900 });
    await report.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100))); // ResizeObserver → charts resized
  });

  it("does not scroll sideways", async () => {
    const scrollWidth = await report.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(scrollWidth).toBe(width);
  });

  it("shows every column of the table without scrolling it sideways", async () => {
    const [scrollWidth, clientWidth] = await report.page
      .locator(".table-wrap")
      .evaluate((el) => [(el as unknown as { scrollWidth: number }).scrollWidth, (el as unknown as { clientWidth: number }).clientWidth]);
    expect(scrollWidth).toBe(clientWidth);
  });

  it("shows every policy's verdict and cost inside the window", async () => {
    for (const selector of ["td.verdict-cell", `td[data-label="Cost"]`, `td[data-label="Within target"]`]) {
      const boxes = await report.page
        .locator(`table.summary tbody ${selector}`)
        .evaluateAll((cells) => cells.map((c) => (c as unknown as { getBoundingClientRect(): { left: number; right: number } }).getBoundingClientRect()));
      expect(boxes).toHaveLength(7);
      for (const box of boxes) {
        expect(box.left, selector).toBeGreaterThanOrEqual(0);
        expect(box.right, selector).toBeLessThanOrEqual(width);
      }
    }
  });

  it("puts 'Reading the table' above the first chart", async () => {
    const guide = (await report.page.locator("details.guide").boundingBox())!;
    const firstChart = (await report.page.locator(".chart-card").first().boundingBox())!;
    expect(guide.y + guide.height).toBeLessThan(firstChart.y);
  });

  it("sizes every chart to its card", async () => {
    const charts = await chartStates(report.page);
    const cardWidth = (await report.page.locator("#card-wait").boundingBox())!.width;
    for (const chart of charts.filter((c) => !c.id.startsWith("tasks:"))) {
      expect(chart.width, chart.id).toBeGreaterThan(cardWidth - 60);
      expect(chart.width, chart.id).toBeLessThanOrEqual(cardWidth);
    }
    const panels = charts.filter((c) => c.id.startsWith("tasks:"));
    for (const panel of panels) expect(panel.width, panel.id).toBeGreaterThan(280);
  });

  it("saves a full-page screenshot", async () => {
    const path = join(shots, `report-${width}.png`);
    await report.page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  });
});

describe("the page", () => {
  it("logs no console errors and makes no network request", () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
  });
});
