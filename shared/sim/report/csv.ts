/**
 * CSV exports of the page's numbers (RFC 4180: comma-separated, CRLF line ends, fields with a comma,
 * quote or line break quoted). Built from the embedded {@link ReportData}, in the browser, so the file a
 * reader downloads holds exactly the numbers the page shows, unrounded.
 */
import type { ReportData } from "./data.ts";

type Cell = string | number | boolean | null;

/** One CSV field: numbers as JavaScript prints them, null as an empty field. */
function field(value: Cell): string {
  if (value === null || (typeof value === "number" && !Number.isFinite(value))) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows of cells as CSV text, with a final line end. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => `${row.map(field).join(",")}\r\n`).join("");
}

/**
 * The per-policy table: one row per policy, units in the column names, and a last row for the lower
 * bound (the sum of all service times), as the page's table footer shows it.
 */
export function policyTableCsv(data: ReportData): string {
  const header = [
    "policy",
    "verdict",
    "cheapest_passing",
    "within_target_share",
    "goal_share",
    "target_wait_s",
    "wait_p50_s",
    "wait_p99_s",
    "wait_max_s",
    "task_hours",
    "times_lower_bound",
    "cost_usd",
    "utilization",
    "update_service_calls",
    "reaction_s",
    "interrupted_messages",
    "wasted_task_hours",
    "interrupted_extra_wait_s",
    "draining_task_hours",
    "own_aws_bill_usd_per_month",
  ];
  const rows = data.policies.map((p) => [
    p.policy,
    p.status,
    p.best,
    p.withinTarget,
    data.goalShare,
    data.targetWaitSeconds,
    p.waitP50Seconds,
    p.waitP99Seconds,
    p.waitMaxSeconds,
    p.taskHours,
    p.timesLowerBound,
    p.costUsd,
    p.utilization,
    p.updateServiceCalls,
    p.reactionSeconds,
    p.interruptedMessages,
    p.wastedTaskHours,
    p.interruptedExtraWaitSeconds,
    p.drainingTaskHours,
    p.ownAwsUsdPerMonth,
  ]);
  const lowerBound = header.map((name): Cell => {
    if (name === "policy") return "lower bound";
    if (name === "task_hours") return data.lowerBoundTaskHours;
    if (name === "times_lower_bound") return data.lowerBoundTaskHours > 0 ? 1 : null;
    if (name === "target_wait_s") return data.targetWaitSeconds;
    return null;
  });
  return toCsv([header, ...rows, lowerBound]);
}

/**
 * The time series as drawn: one row per point (the first sample of its bucket; when the page reduced a
 * long run, tasks, backlog and wait are each bucket's maximum and arrivals its mean).
 */
export function timeSeriesCsv(data: ReportData): string {
  const time = data.startEpochSeconds === null ? "elapsed_s" : "time_utc";
  const header: string[] = [time, "elapsed_s", "arrivals_per_s"];
  for (const p of data.policies) {
    header.push(
      `${p.policy}_desired_tasks`,
      `${p.policy}_running_tasks`,
      `${p.policy}_backlog_messages`,
      `${p.policy}_oldest_wait_s`,
      `${p.policy}_running_task_hours_cumulative`,
    );
  }
  const rows = data.time.map((t, i) => {
    const row: Cell[] = [
      data.startEpochSeconds === null ? t : new Date((data.startEpochSeconds + t) * 1000).toISOString(),
      t,
      data.arrivalsPerSecond[i] ?? null,
    ];
    for (const p of data.policies) {
      row.push(
        p.desired[i] ?? null,
        p.running[i] ?? null,
        p.backlog[i] ?? null,
        p.oldestWaitSeconds[i] ?? null,
        p.runningTaskHours[i] ?? null,
      );
    }
    return row;
  });
  if (data.startEpochSeconds === null) for (const row of rows) row.splice(1, 1);
  return toCsv([data.startEpochSeconds === null ? header.filter((_, i) => i !== 1) : header, ...rows]);
}
