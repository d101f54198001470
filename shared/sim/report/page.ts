/**
 * Page pieces: the header with the run's parameters, one card per chart, and the footer explaining
 * the numbers. Everything taken from the input is escaped here or in the pieces it calls.
 */
import type { SimulationOutput } from "../result.ts";
import { renderChartSvg } from "./chart.ts";
import type { ReportChart } from "./charts.ts";
import { escapeHtml } from "./escape.ts";
import { formatCount, formatDuration, formatNumber, formatUtc } from "./format.ts";
import { renderLegend } from "./legend.ts";
import { settingsRows } from "./settings.ts";

/** What each chart shows, in one line under its title. */
const descriptions: Record<string, string> = {
  "chart-arrivals": "Messages arriving over time: the same arrivals, and seed, for every policy.",
  "chart-backlog":
    "Messages in the queue (visible + in flight) under each policy. A policy that keeps up stays low; a rising line is work piling up.",
  "chart-tasks":
    "Running tasks (solid) and the desired count each policy set (dashed). The gap between them is tasks still starting.",
  "chart-wait":
    "Age of the oldest message not yet processed. Above the dashed red line, messages are waiting longer than the target wait.",
};

/** The header: title, scenario and the run's parameters. */
export function renderHeader(output: SimulationOutput): string {
  const totalArrivals = output.series.arrivals.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const items: [string, string][] = [
    ["Scenario", output.scenario],
    ["Seed", String(output.seed)],
    ["Start (UTC)", formatUtc(Date.parse(output.series.startIso)).replace(" UTC", "")],
    ["Duration", formatDuration(output.durationSeconds)],
    ["Target wait", `${formatNumber(output.targetWaitSeconds, 1)} s`],
    ["Messages", formatCount(totalArrivals)],
    ["Lower bound", `${formatCount(output.lowerBound.taskSeconds)} task-s`],
  ];
  // The two knobs that shape every result most, up front; the rest are under "Simulation settings".
  const settings = new Map(settingsRows(output));
  const serviceTime = settings.get("Service time (mean)");
  const distribution = settings.get("Service-time distribution");
  if (serviceTime !== undefined) {
    items.push([
      "Service time",
      distribution ? `${serviceTime} mean, ${distribution}` : `${serviceTime} mean`,
    ]);
  }
  const startup = settings.get("Task startup");
  if (startup !== undefined) items.push(["Task startup", startup]);
  items.push(["Sample step", `${formatNumber(output.series.stepSeconds, 2)} s`]);
  const meta = items
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join("");
  return (
    `<header><h1>ecs-autoscaler simulation report</h1>` +
    `<p class="subtitle">What each scaling policy did with the same traffic: scenario <strong>${escapeHtml(output.scenario)}</strong>, ` +
    `${escapeHtml(String(output.results.length))} policies.</p>` +
    `<dl class="meta">${meta}</dl></header>`
  );
}

/** One chart card: title, description, legend, the SVG (and its log-scale twin), downsampling note. */
export function renderChartCard(chart: ReportChart): string {
  const { spec } = chart;
  const titleId = `${spec.id}-title`;
  const caption =
    `<figcaption><h2 id="${escapeHtml(titleId)}">${escapeHtml(spec.title)}</h2>` +
    `<p>${escapeHtml(descriptions[spec.id] ?? "")}</p></figcaption>`;
  const legend = renderLegend(spec, chart.notes);
  let body: string;
  if (chart.logVariant) {
    const name = `${spec.id}-scale`;
    body =
      `<div class="wait-variants">` +
      `<div class="scale-toggle" role="radiogroup" aria-label="y axis scale">y axis:` +
      `<label><input type="radio" name="${name}" id="wait-scale-linear" checked>linear</label>` +
      `<label><input type="radio" name="${name}" id="wait-scale-log">log (waits under 1 s drawn at 1 s)</label></div>` +
      `<div class="plot variant-linear">${renderChartSvg(spec)}</div>` +
      `<div class="plot variant-log">${renderChartSvg(chart.logVariant)}</div></div>`;
  } else {
    body = `<div class="plot">${renderChartSvg(spec)}</div>`;
  }
  const note = chart.downsampling ? `<p class="downsampling">${escapeHtml(chart.downsampling)}</p>` : "";
  return `<section class="card"><figure aria-labelledby="${escapeHtml(titleId)}">${caption}${legend}${body}${note}</figure></section>`;
}

/** The footer: how to read the table, in plain words. */
export function renderFooter(): string {
  return (
    `<footer><p><strong>Reading the table.</strong> Waits are from arrival to the start of processing. ` +
    `Task-seconds are billed per second with a one-minute minimum per task; cost applies Fargate prices. ` +
    `Utilization is work seconds over task-seconds. The lower bound is the sum of all service times: a ` +
    `policy at 1.00× would have had a task busy every billed second. A policy is <em>best</em> when no ` +
    `other policy costs less while keeping an equal or larger share of messages within the target wait.</p>` +
    `<p>Hover a chart to read values; click a policy in a legend to hide or show it in every chart.</p></footer>`
  );
}
