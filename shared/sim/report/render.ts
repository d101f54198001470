/**
 * The simulator's HTML report: one self-contained file (inline CSS, data and script; nothing fetched
 * from the network) that opens from disk in any browser, so a user can attach it to a ticket.
 */
import type { SimulationOutput } from "../result.ts";
import { clientAssets } from "./bundle.ts";
import { buildReportData } from "./data.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";
import {
  renderCharts,
  renderExports,
  renderFooter,
  renderHeader,
  renderPolicyBar,
  renderPolicySettings,
  renderReadingGuide,
} from "./page.ts";
import { renderSettings, renderWarnings } from "./settings.ts";
import { reportCss } from "./style.ts";
import { renderSummaryTable, renderVerdict } from "./table.ts";

/**
 * Renders a simulation's results and time series as a self-contained HTML page: the verdict of every
 * policy against the goal, the results table, and uPlot charts (cost against within-target, the wait
 * distribution, tasks per policy, wait, backlog, task-hours over time, arrivals). The numbers travel as
 * JSON in the page; the bundled client draws them and exports them as CSV. Long series are reduced to
 * at most 1,500 points per line, keeping each bucket's maximum where spikes matter.
 *
 * @throws TypeError naming the field when `output` lacks something the page needs.
 */
export function renderReport(output: SimulationOutput): string {
  assertRenderable(output);
  const data = buildReportData(output);
  const client = clientAssets();
  return [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    // Nothing may load from elsewhere: the policy makes an accidental external reference fail loudly.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data: blob:">`,
    `<title>${escapeHtml(`Simulation report: ${output.scenario}`)}</title>`,
    `<style>${client.css}</style>`,
    `<style>${reportCss}</style></head>`,
    `<body><main>`,
    renderHeader(output),
    renderWarnings(output),
    `<section class="card" id="card-results"><h2>Verdict and results per policy</h2>`,
    renderVerdict(output),
    renderReadingGuide(output),
    renderSummaryTable(output),
    renderExports(),
    `</section>`,
    renderPolicyBar(output),
    renderCharts(output, data),
    renderPolicySettings(output),
    renderSettings(output),
    renderFooter(),
    `</main>`,
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    `<script>${client.script}</script>`,
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
