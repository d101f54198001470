/**
 * The simulator's HTML report: one self-contained file (inline CSS, SVG and script; nothing fetched
 * from the network) that opens from disk in any browser, so a user can attach it to a ticket.
 */
import type { SimulationOutput } from "../result.ts";
import { type ChartHoverData, chartHoverData } from "./chart.ts";
import { buildCharts } from "./charts.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";
import { renderChartCard, renderFooter, renderHeader } from "./page.ts";
import { reportScript } from "./script.ts";
import { renderSettings, renderWarnings } from "./settings.ts";
import { reportCss } from "./style.ts";
import { renderSummaryTable } from "./table.ts";

/**
 * Renders a simulation's results and time series as a self-contained HTML page: a summary table of
 * every policy (with the lower bound, the target wait and the cost verdict) and charts of arrivals,
 * backlog, desired/running tasks and oldest wait against the target wait. Long series are downsampled
 * to at most 1,500 points per line, keeping each bucket's maximum where spikes matter.
 *
 * @throws TypeError naming the field when `output` lacks something the page needs.
 */
export function renderReport(output: SimulationOutput): string {
  assertRenderable(output);
  const charts = buildCharts(output);
  const hover: Record<string, ChartHoverData> = {};
  for (const chart of charts) {
    hover[chart.spec.id] = chartHoverData(chart.spec);
    if (chart.logVariant) hover[chart.logVariant.id] = chartHoverData(chart.logVariant);
  }
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    // Nothing may load from elsewhere: the policy makes an accidental external reference fail loudly.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(`Simulation report: ${output.scenario}`)}</title>`,
    `<style>${reportCss}</style></head>`,
    `<body><main>`,
    renderHeader(output),
    renderWarnings(output),
    renderSettings(output),
    `<section class="card"><h2>Results per policy</h2>${renderSummaryTable(output)}</section>`,
    ...charts.map(renderChartCard),
    renderFooter(),
    `</main>`,
    `<script type="application/json" id="report-data">${jsonForScript(hover)}</script>`,
    `<script>${reportScript}</script>`,
    `</body></html>`,
    "",
  ].join("\n");
}

/** Checks the parts of the output the page reads, so a malformed file fails with the field's path. */
function assertRenderable(output: SimulationOutput): void {
  const fail = (path: string, expected: string) => {
    throw new TypeError(`renderReport: ${path} must be ${expected}`);
  };
  if (typeof output !== "object" || output === null) fail("$", "an object");
  if (typeof output.scenario !== "string") fail("scenario", "a string");
  if (!Array.isArray(output.results)) fail("results", "an array");
  output.results.forEach((r, i) => {
    if (typeof r?.policy !== "string") fail(`results[${i}].policy`, "a string");
  });
  if (typeof output.lowerBound?.taskSeconds !== "number") fail("lowerBound.taskSeconds", "a number");
  if (typeof output.series !== "object" || output.series === null) fail("series", "an object");
  if (!Array.isArray(output.series.arrivals)) fail("series.arrivals", "an array of numbers");
  if (!Array.isArray(output.series.policies)) fail("series.policies", "an array");
  output.series.policies.forEach((p, i) => {
    if (typeof p?.policy !== "string") fail(`series.policies[${i}].policy`, "a string");
    for (const field of ["desired", "running", "backlog", "oldestWaitSeconds"] as const) {
      if (!Array.isArray(p[field])) fail(`series.policies[${i}].${field}`, "an array of numbers");
    }
  });
}
