/**
 * What the browser tests read from an opened report: each uPlot chart's state (through the page's
 * `window.ecsReport` handle) and the downloads the page offers.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** One chart as the browser has it. */
export interface ChartState {
  id: string;
  yMin: number;
  yMax: number;
  /** Per series (0 is x): shown or hidden. */
  shown: boolean[];
  /** Per axis: tick-label and title font sizes, CSS pixels, from uPlot's resolved options. */
  axisFontPx: number[];
  axisLabelFontPx: number[];
  /** The legend's live values (what hovering shows). */
  legendValues: string[];
  width: number;
}

interface BrowserChart {
  id: string;
  plot: {
    scales: { y: { min: number; max: number } };
    series: { show: boolean }[];
    axes: { font: [string, number, number]; labelFont: [string, number, number] }[];
    root: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
    width: number;
  };
}

/** Every chart's state, in the page's order (task panels are `tasks:<policy>`). */
export async function chartStates(page: Page): Promise<ChartState[]> {
  return page.evaluate(() => {
    const report = (globalThis as unknown as { ecsReport: { charts: BrowserChart[] } }).ecsReport;
    return report.charts.map((c) => ({
      id: c.id,
      yMin: c.plot.scales.y.min,
      yMax: c.plot.scales.y.max,
      shown: c.plot.series.map((s) => s.show),
      axisFontPx: c.plot.axes.map((a) => a.font[2]),
      axisLabelFontPx: c.plot.axes.map((a) => a.labelFont[2]),
      legendValues: Array.from(c.plot.root.querySelectorAll(".u-legend .u-value"), (e) => e.textContent ?? ""),
      width: c.plot.width,
    }));
  });
}

/** The state of the chart `id`. */
export async function chartState(page: Page, id: string): Promise<ChartState> {
  const chart = (await chartStates(page)).find((c) => c.id === id);
  if (!chart) throw new Error(`no chart ${id} on the page`);
  return chart;
}

/** Clicks `selector` and returns the name and text of the file the page offers for download. */
export async function download(page: Page, selector: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, "utf8") };
}
