/**
 * The results table: one row per policy with its verdict against the goal first, then waits, cost and
 * the rest. Every cell carries its column's name (`data-label`) so that on a narrow screen each row
 * reflows into a card instead of scrolling its verdict and cost out of view.
 */
import type { PolicyResult, SimulationOutput } from "../result.ts";
import { escapeHtml } from "./escape.ts";
import { formatCount, formatNumber, formatPercent, formatTaskHours, formatUsd } from "./format.ts";
import { colourOf } from "./palette.ts";
import { type Judgement, judge, type PolicyVerdict } from "./verdict.ts";

/** A column: header, one line of help (shown on hover and in "Reading the table"), and the cell text. */
export interface Column {
  header: string;
  help: string;
  /** The cell's text; undefined when the output has no value for it (the column is left out). */
  cell: (r: PolicyResult) => string | undefined;
}

/** The dash shown for a missing value. What it means per column is said in the column's help. */
export const noValue = "—";

function seconds(n: number | null): string {
  return n === null || !Number.isFinite(n) ? noValue : `${formatNumber(n, 1)} s`;
}

/** The table's columns after Policy and Verdict, in order. */
export function columns(output: SimulationOutput): Column[] {
  const lowerBound = output.lowerBound.taskSeconds;
  return [
    {
      header: "Within target",
      help: `share of messages that waited at most ${formatNumber(output.targetWaitSeconds, 1)} s (rounded down, so 99.996 % shows as 99.99 %)`,
      cell: (r) => formatPercent(r.withinTarget),
    },
    {
      header: "Wait p50",
      help: "median wait, arrival to start of processing",
      cell: (r) => seconds(r.waitP50Seconds),
    },
    { header: "Wait p99", help: "99th percentile wait", cell: (r) => seconds(r.waitP99Seconds) },
    { header: "Wait max", help: "longest wait", cell: (r) => seconds(r.waitMaxSeconds) },
    {
      header: "Task-hours",
      help: "billed task time: per second, one-minute minimum per task, startup included",
      cell: (r) => formatTaskHours(r.taskSeconds),
    },
    {
      header: "× lower bound",
      help: "task-hours ÷ the lower bound (the sum of all service times); — when the lower bound is 0",
      cell: (r) =>
        lowerBound > 0 && Number.isFinite(r.taskSeconds)
          ? `${(r.taskSeconds / lowerBound).toFixed(2)}×`
          : noValue,
    },
    {
      header: "Cost",
      help: "the task-hours at Fargate on-demand prices (1 vCPU, 2 GB, us-east-1)",
      cell: (r) => formatUsd(r.costUsd),
    },
    {
      header: "Utilization",
      help: "work seconds ÷ billed task-seconds",
      cell: (r) => formatPercent(r.utilization),
    },
    {
      header: "UpdateService calls",
      help: "ECS UpdateService calls the policy made",
      cell: (r) => formatCount(r.updateServiceCalls),
    },
    {
      header: "Reaction",
      help: "first burst → first scale-up above the count in force then; — when the run has no burst or the policy never rose above that count",
      cell: (r) => seconds(r.reactionSeconds),
    },
    ...interruptedColumns(output.settings?.taskProtection === true),
    ownBillColumn,
  ];
}

/**
 * What scale-ins cost in work: the processing they stopped, the work thrown away, the wait added; with
 * task scale-in protection, the task-hours spent above the desired count instead (absent otherwise).
 */
function interruptedColumns(protection: boolean): Column[] {
  return [
    {
      header: "Interrupted messages",
      help: "messages whose processing a scale-in stopped: they return to the queue after the visibility timeout and start over",
      cell: (r) => formatCount(r.interruptedMessages),
    },
    {
      header: "Lost work",
      help: "task-hours of processing the interruptions threw away (done again later)",
      cell: (r) => formatTaskHours(r.wastedTaskSeconds),
    },
    {
      header: "Extra wait per interruption",
      help: "mean wait an interrupted message gained: from the start of the stopped processing to the next start; — when nothing was interrupted",
      cell: (r) =>
        r.interruptedMessages > 0 ? seconds(r.interruptedExtraWaitSeconds / r.interruptedMessages) : noValue,
    },
    {
      header: "Draining task-hours",
      help: "task scale-in protection: task-hours busy tasks ran above the desired count until their message was done (part of the task-hours)",
      cell: (r) => (protection ? formatTaskHours(r.drainingTaskSeconds) : undefined),
    },
  ];
}

/**
 * What running the autoscaler costs for this service: ecs-autoscaler's share as its ports counted it in
 * the run. The baselines' own costs are not simulated (AWS target tracking: its two CloudWatch alarms,
 * $0.20 a month; KEDA: its operator pod), so their cell is a dash.
 */
export const ownBillColumn: Column = {
  header: "Own AWS bill",
  help: "what running ecs-autoscaler itself costs for this service per 30-day month (CloudWatch, DynamoDB, SQS calls, Lambda), the deployment's fixed part (the evaluator Lambda, dashboard, alarms) not included; — for the baselines, whose own cost is not simulated",
  cell: (r) => (r.ownCost ? `${formatUsd(r.ownCost.usdPerMonth)}/month` : undefined),
};

/** The verdict cell: pass/fail (or floor), and "cheapest that passes" on the best one. */
function verdictCell(v: PolicyVerdict): string {
  const status =
    v.status === "pass"
      ? `<span class="status pass">✓ pass</span>`
      : v.status === "fail"
        ? `<span class="status fail">✗ fail</span>`
        : `<span class="status floor">floor · knows the future: not deployable</span>`;
  return v.best ? `${status} <span class="badge best">cheapest that passes</span>` : status;
}

/** The sentence above the table: how many pass, and which passing policy is cheapest — or that none passes. */
export function verdictSentence(output: SimulationOutput, j: Judgement): string {
  const goal = `at least ${formatPercent(j.goalShare)} of messages within ${formatNumber(output.targetWaitSeconds, 1)} s`;
  const judged = j.verdicts.filter((v) => v.status !== "floor").length;
  if (j.best === null) {
    const closest = output.results
      .filter((r, i) => j.verdicts[i]?.status !== "floor" && Number.isFinite(r.withinTarget))
      .sort((a, b) => b.withinTarget - a.withinTarget)[0];
    const near = closest
      ? ` The closest is <strong>${escapeHtml(closest.policy)}</strong> with ${escapeHtml(formatPercent(closest.withinTarget))}.`
      : "";
    return `<strong class="fail">No policy meets the goal</strong> (${escapeHtml(goal)}): none of the ${judged} can be recommended on this run.${near}`;
  }
  const best = output.results.find((r) => r.policy === j.best)!;
  return (
    `<strong>${j.passing} of ${judged}</strong> policies meet the goal (${escapeHtml(goal)}). ` +
    `Cheapest that passes: <strong>${escapeHtml(best.policy)}</strong> — ${escapeHtml(formatTaskHours(best.taskSeconds))} task-hours, ` +
    `${escapeHtml(formatUsd(best.costUsd))}, ${escapeHtml(formatPercent(best.withinTarget))} within target.`
  );
}

/** The verdict sentence, for above the table. */
export function renderVerdict(output: SimulationOutput): string {
  return `<p class="verdict">${verdictSentence(output, judge(output.results))}</p>`;
}

/** The table, with the lower bound in its footer and a note on the columns not simulated yet. */
export function renderSummaryTable(output: SimulationOutput): string {
  const j = judge(output.results);
  const cols = columns(output).filter((c) => output.results.some((r) => c.cell(r) !== undefined));
  const head = [
    `<th scope="col">Policy</th>`,
    `<th scope="col" title="pass: at least ${escapeHtml(formatPercent(j.goalShare))} of messages within the target wait">Verdict</th>`,
    ...cols.map((c) => `<th scope="col" title="${escapeHtml(c.help)}">${escapeHtml(c.header)}</th>`),
  ].join("");
  const rows = output.results.map((r, i) => {
    const v = j.verdicts[i]!;
    const swatch = `<span class="swatch" style="background:${colourOf(r.policy, i)}"></span>`;
    const cells = cols
      .map((c) => {
        const text = c.cell(r) ?? noValue;
        // A dash says why on hover too, not only in "Reading the table".
        const why = text === noValue ? ` title="${escapeHtml(`no value: ${c.help}`)}"` : "";
        return `<td data-label="${escapeHtml(c.header)}"${why}>${escapeHtml(text)}</td>`;
      })
      .join("");
    return (
      `<tr class="${v.status}${v.best ? " best-row" : ""}" data-policy="${escapeHtml(r.policy)}">` +
      `<th scope="row">${swatch}${escapeHtml(r.policy)}</th>` +
      `<td class="verdict-cell" data-label="Verdict">${verdictCell(v)}</td>${cells}</tr>`
    );
  });
  const lowerAt = cols.findIndex((c) => c.header === "Task-hours");
  const foot =
    lowerAt < 0
      ? ""
      : `<tfoot><tr><th scope="row">lower bound</th><td colspan="${lowerAt + 1}" class="note">sum of all service times: no policy can use fewer task-hours</td>` +
        `<td data-label="Task-hours">${escapeHtml(formatTaskHours(output.lowerBound.taskSeconds))}</td><td data-label="× lower bound">1.00×</td>` +
        `<td colspan="${cols.length - lowerAt - 2}"></td></tr></tfoot>`;
  return (
    `<div class="table-wrap"><table class="summary"><thead><tr>${head}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody>${foot}</table></div>`
  );
}
