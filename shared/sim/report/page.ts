/**
 * Page pieces: the header with the run's parameters, how to read the table, the chart cards (empty
 * containers the client fills), the policies' settings and the footer. Everything taken from the input
 * is escaped here or in the pieces it calls.
 */
import type { SimulationOutput } from "../result.ts";
import type { ReportData } from "./data.ts";
import { escapeHtml } from "./escape.ts";
import {
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTaskHours,
  formatUtc,
} from "./format.ts";
import { colourOf } from "./palette.ts";
import { policySettings } from "./policy-settings.ts";
import { settingsRows } from "./settings.ts";
import { columns } from "./table.ts";
import { goalShareWithinTarget } from "./verdict.ts";

function definitionList(rows: readonly [string, string][], className = "meta"): string {
  const items = rows
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join("");
  return `<dl class="${className}">${items}</dl>`;
}

/** The header: title, scenario and the run's parameters. */
export function renderHeader(output: SimulationOutput): string {
  const totalArrivals = output.series.arrivals.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const target = `${formatNumber(output.targetWaitSeconds, 1)} s`;
  const items: [string, string][] = [
    ["Scenario", output.scenario],
    ["Goal", `≥ ${formatPercent(goalShareWithinTarget)} within ${target}`],
    ["Target wait", target],
    ["Seed", String(output.seed)],
    ["Start (UTC)", formatUtc(Date.parse(output.series.startIso)).replace(" UTC", "")],
    ["Duration", formatDuration(output.durationSeconds)],
    ["Messages", formatCount(totalArrivals)],
    ["Lower bound", `${formatTaskHours(output.lowerBound.taskSeconds)} task-hours`],
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
  return (
    `<header><h1>ecs-autoscaler simulation report</h1>` +
    `<p class="subtitle">What each scaling policy did with the same traffic: scenario <strong>${escapeHtml(output.scenario)}</strong>, ` +
    `${escapeHtml(String(output.results.length))} policies, the same arrivals and seed for each.</p>` +
    `${definitionList(items)}</header>`
  );
}

/** "Reading the table": what pass, fail and best mean, every column, and every symbol. */
export function renderReadingGuide(output: SimulationOutput): string {
  const goal = formatPercent(goalShareWithinTarget);
  const shown = columns(output).filter((c) => output.results.some((r) => c.cell(r) !== undefined));
  const items = shown.map((c) => `<li><b>${escapeHtml(c.header)}</b>: ${escapeHtml(c.help)}.</li>`).join("");
  return (
    `<details class="guide" open><summary>Reading the table</summary>` +
    `<p><span class="status pass">✓ pass</span> at least ${escapeHtml(goal)} of messages waited no longer than the target wait; ` +
    `<span class="status fail">✗ fail</span> otherwise. <span class="badge best">cheapest that passes</span> ` +
    `marks the passing policy with the lowest cost — a policy that fails is never recommended, however cheap. ` +
    `<span class="status floor">floor · knows the future: not deployable</span> marks a reference policy no real system can run ` +
    `(the best any policy could do); it is never recommended. A wait is arrival to start of processing; ` +
    `messages still queued at the end count once they are older than the target.</p>` +
    `<ul class="columns">${items}</ul>` +
    `<p>— in a cell: no value (its column says why). Task time is in task-hours everywhere on this page, as in the CLI.</p>` +
    `</details>`
  );
}

/** A chart card: what it shows, the question it answers, and the empty container the client draws into. */
export function renderChartCard(
  id: string,
  title: string,
  question: string,
  body: string,
  note = "",
): string {
  return (
    `<section class="card chart-card" id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>` +
    `<p class="question">${escapeHtml(question)}</p>${body}` +
    (note ? `<p class="note">${escapeHtml(note)}</p>` : "") +
    `</section>`
  );
}

/** The charts, in the order a reader deciding on a policy needs them. */
export function renderCharts(output: SimulationOutput, data: ReportData): string {
  const target = `${formatNumber(output.targetWaitSeconds, 1)} s`;
  const reduced =
    data.samplesPerPoint > 1
      ? `Long run: each point stands for ${formatDuration(data.samplesPerPoint * output.series.stepSeconds)}; tasks, backlog and wait show each span's maximum (no spike is hidden), arrivals its mean.`
      : "";
  const noCdf = data.policies.every((p) => p.cdf === null);
  return [
    renderChartCard(
      "card-scatter",
      "Cost against messages within target",
      `Which policies meet the goal, and at what cost? Up and to the left is better; above the green line passes.`,
      `<div class="plot" id="plot-scatter"></div>`,
      "Billed task-hours from the table. The lower bound line is the sum of all service times: nothing can be left of it.",
    ),
    renderChartCard(
      "card-cdf",
      "Distribution of waits",
      `What share of messages waited at most a given time? A policy passes where its line crosses the target (${target}) above the goal.`,
      noCdf
        ? `<p class="empty">This output has no wait distribution (it was written by an older simulator).</p>`
        : `<div class="switch" role="group" aria-label="y axis">y axis: <button type="button" data-cdf-range="all" aria-pressed="true">all messages (0–100 %)</button>` +
            `<button type="button" data-cdf-range="tail" aria-pressed="false">the tail (90–100 %)</button></div><div class="plot" id="plot-cdf"></div>`,
      "Each line steps up at the wait of a quantile (every 1 % up to 90 %, finer towards 100 %); the wait axis is stretched near 0 so short and long waits both read.",
    ),
    renderChartCard(
      "card-tasks",
      "Tasks per policy",
      "How many tasks did each policy run, and how fast did it follow the work? One panel per policy, same axes.",
      `<div class="multiples" id="plot-tasks"></div>`,
      `Solid: running tasks. Dashed: the desired count the policy set (the gap is tasks starting). Grey: tasks the arriving work needs if every task were busy every second. ${reduced}`,
    ),
    renderChartCard(
      "card-wait",
      "Oldest message's wait",
      `When did messages wait longer than the target? Above the red line (${target}), messages are late.`,
      `<div class="plot" id="plot-wait"></div>`,
      reduced,
    ),
    renderChartCard(
      "card-backlog",
      "Backlog",
      "Did work pile up? Messages in the queue (visible + in flight) under each policy.",
      `<div class="plot" id="plot-backlog"></div>`,
      reduced,
    ),
    renderChartCard(
      "card-cost",
      "Task-hours over time",
      "When did each policy spend? Running task-hours accumulated since the start.",
      `<div class="plot" id="plot-cost"></div>`,
      "Counts running tasks only; billing also counts startup and a one-minute minimum per task, so the table's totals are a little higher.",
    ),
    renderChartCard(
      "card-arrivals",
      "Arrivals",
      "What traffic did every policy face? The same arrivals, and seed, for each.",
      `<div class="plot" id="plot-arrivals"></div>`,
      reduced,
    ),
  ].join("\n");
}

/** The bar of policy switches above the charts: one click hides or shows a policy in every chart. */
export function renderPolicyBar(output: SimulationOutput): string {
  const buttons = output.results
    .map(
      (r, i) =>
        `<button type="button" class="policy-toggle" data-policy="${escapeHtml(r.policy)}" aria-pressed="true">` +
        `<span class="swatch" style="background:${colourOf(r.policy, i)}"></span>${escapeHtml(r.policy)}</button>`,
    )
    .join("");
  return `<nav class="policy-bar" aria-label="Policies shown in the charts"><span>Show in charts:</span>${buttons}<span class="hint">Hover a chart to read values; click a name here or in a legend to hide or show it everywhere.</span></nav>`;
}

/** How each policy was configured on this run. */
export function renderPolicySettings(output: SimulationOutput): string {
  const cards = output.results
    .map((r, i) => {
      const rows = policySettings(output, r.policy);
      if (rows.length === 0) return "";
      return (
        `<div class="policy-config"><h3><span class="swatch" style="background:${colourOf(r.policy, i)}"></span>${escapeHtml(r.policy)}</h3>` +
        `${definitionList(rows, "config")}</div>`
      );
    })
    .join("");
  if (!cards) return "";
  return `<section class="card" id="card-policy-settings"><h2>How each policy was configured</h2><div class="configs">${cards}</div></section>`;
}

/** The export buttons: CSV files built from the numbers embedded in the page. */
export function renderExports(): string {
  return (
    `<div class="exports"><span>Download CSV:</span>` +
    `<button type="button" id="export-policies">results per policy</button>` +
    `<button type="button" id="export-series">time series</button></div>`
  );
}

/** The footer: where the numbers come from. */
export function renderFooter(): string {
  return (
    `<footer><p>Written by <code>ecs-autoscaler simulate</code>. Self-contained: this file loads nothing from the network. ` +
    `Charts drawn with uPlot (MIT licence, © Leon Sorokin).</p></footer>`
  );
}
