/**
 * The summary table: every DESIGN.md result field per policy, task-seconds against the lower bound, and
 * the cost verdict (which policy is cheapest at an equal or better within-target fraction).
 */
import type { PolicyResult, SimulationOutput } from "../result.ts";
import { type CostComparison, compareCost } from "./compare.ts";
import { escapeHtml } from "./escape.ts";
import { formatCount, formatNumber, formatPercent, formatUsd } from "./format.ts";
import { colourOf } from "./palette.ts";

interface Column {
  /** Header text (plain; escaped on output). */
  header: string;
  /** Hover help for the header: what the number means. */
  help: string;
  cell: (r: PolicyResult) => string;
}

function seconds(n: number | null): string {
  return n === null || !Number.isFinite(n) ? "—" : `${formatNumber(n, 1)} s`;
}

function columns(lowerBound: number): Column[] {
  return [
    {
      header: "Arrived",
      help: "messages that arrived (the same for every policy)",
      cell: (r) => formatCount(r.arrived),
    },
    {
      header: "Processed",
      help: "messages processed by the end of the run",
      cell: (r) => formatCount(r.processed),
    },
    {
      header: "Within target",
      help: "share of processed messages that waited no longer than the target wait (rounded down)",
      cell: (r) => formatPercent(r.withinTarget),
    },
    { header: "Wait p50", help: "median wait of processed messages", cell: (r) => seconds(r.waitP50Seconds) },
    { header: "Wait p99", help: "99th percentile wait", cell: (r) => seconds(r.waitP99Seconds) },
    { header: "Wait max", help: "longest wait", cell: (r) => seconds(r.waitMaxSeconds) },
    { header: "Task-seconds", help: "billed task time", cell: (r) => formatCount(r.taskSeconds) },
    {
      header: "vs lower bound",
      help: "task-seconds divided by the lower bound (the sum of all service times)",
      cell: (r) =>
        lowerBound > 0 && Number.isFinite(r.taskSeconds)
          ? `${(r.taskSeconds / lowerBound).toFixed(2)}×`
          : "—",
    },
    { header: "Cost", help: "task time at Fargate prices", cell: (r) => formatUsd(r.costUsd) },
    { header: "Utilization", help: "work seconds / task-seconds", cell: (r) => formatPercent(r.utilization) },
    {
      header: "UpdateService calls",
      help: "ECS UpdateService calls made",
      cell: (r) => formatCount(r.updateServiceCalls),
    },
    {
      header: "Reaction",
      help: "first burst → first scale-up; — when there was no burst or no scale-up",
      cell: (r) => seconds(r.reactionSeconds),
    },
  ];
}

function verdictCell(policy: string, comparison: CostComparison, index: number): string {
  const verdict = comparison.verdicts[index];
  if (comparison.best.includes(policy)) {
    return `<span class="badge best">best</span>`;
  }
  if (verdict?.beatenBy) {
    return `<span class="beaten">beaten by ${escapeHtml(verdict.beatenBy)}</span>`;
  }
  return "—";
}

/** One sentence naming the best policy (or the trade-off when several are unbeaten). */
export function verdictSentence(comparison: CostComparison): string {
  const names = comparison.best.map((b) => `<strong>${escapeHtml(b)}</strong>`);
  if (names.length === 0) return "No policy has a cost and a within-target fraction to compare.";
  if (names.length === 1) {
    return `Best on cost at an equal or better within-target fraction: ${names[0]} — no other policy is cheaper while keeping at least as many messages within the target wait.`;
  }
  return `No single best: ${names.join(", ")} are each the cheapest at their within-target fraction (cheapest first); each cheaper one lets more messages exceed the target wait.`;
}

/** The summary table as HTML, with the lower bound in its footer. */
export function renderSummaryTable(output: SimulationOutput): string {
  const lowerBound = output.lowerBound.taskSeconds;
  const cols = columns(lowerBound);
  const comparison = compareCost(output.results);
  const head = [
    `<th scope="col">Policy</th>`,
    ...cols.map((c) => `<th scope="col" title="${escapeHtml(c.help)}">${escapeHtml(c.header)}</th>`),
    `<th scope="col" title="best: no other policy costs less at an equal or better within-target fraction">Cost verdict</th>`,
  ].join("");
  const rows = output.results.map((r, i) => {
    const swatch = `<span class="swatch" style="background:${colourOf(r.policy, i)}"></span>`;
    const cells = cols.map((c) => `<td>${escapeHtml(c.cell(r))}</td>`).join("");
    const rowClass = comparison.best.includes(r.policy) ? ` class="best-row"` : "";
    return `<tr${rowClass}><th scope="row">${swatch}${escapeHtml(r.policy)}</th>${cells}<td class="verdict-cell">${verdictCell(r.policy, comparison, i)}</td></tr>`;
  });
  const foot =
    `<tr><th scope="row">lower bound</th><td colspan="6" class="note">sum of all service times: no policy can use fewer task-seconds</td>` +
    `<td>${escapeHtml(formatCount(lowerBound))}</td><td>1.00×</td><td colspan="5"></td></tr>`;
  return (
    `<p class="verdict">${verdictSentence(comparison)}</p>` +
    `<div class="table-wrap"><table class="summary"><thead><tr>${head}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody><tfoot>${foot}</tfoot></table></div>`
  );
}
