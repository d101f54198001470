/** The plain-text comparison `simulate` prints: one row per policy, then the lower bound. */
import { formatTaskHours } from "./report/format.ts";
import { goalShareWithinTarget, judge } from "./report/verdict.ts";
import type { SimulationOutput } from "./result.ts";
import { formatDuration } from "./trace/time.ts";

/** Formats the results as an aligned table with a heading line. */
export function formatTable(output: SimulationOutput): string {
  const lower = output.lowerBound.taskSeconds;
  const judgement = judge(output.results);
  const protection = output.settings?.taskProtection === true;
  const header = [
    "policy",
    "verdict",
    "within target",
    "p50 wait",
    "p99 wait",
    "max wait",
    "task-hours",
    "× lower bound",
    "cost",
    "utilization",
    "updates",
    "reaction",
    "interrupted",
    "lost task-hours",
    "extra wait",
    ...(protection ? ["draining task-hours"] : []),
    "own bill",
  ];
  const rows = output.results.map((r, i) => [
    r.policy,
    verdictText(judgement.verdicts[i]!),
    // Rounded down, as on the page: 99.996% must not read as a passing 100.00%.
    `${(Math.floor(r.withinTarget * 10_000 + 1e-9) / 100).toFixed(2)}%`,
    `${r.waitP50Seconds.toFixed(1)} s`,
    `${r.waitP99Seconds.toFixed(1)} s`,
    `${r.waitMaxSeconds.toFixed(1)} s`,
    formatTaskHours(r.taskSeconds),
    lower > 0 ? `${(r.taskSeconds / lower).toFixed(2)}×` : "–",
    `$${r.costUsd.toFixed(2)}`,
    `${(100 * r.utilization).toFixed(1)}%`,
    String(r.updateServiceCalls),
    r.reactionSeconds === null ? "–" : `${r.reactionSeconds.toFixed(0)} s`,
    String(r.interruptedMessages),
    formatTaskHours(r.wastedTaskSeconds),
    r.interruptedMessages > 0
      ? `${(r.interruptedExtraWaitSeconds / r.interruptedMessages).toFixed(1)} s`
      : "–",
    ...(protection ? [formatTaskHours(r.drainingTaskSeconds)] : []),
    r.ownCost ? `$${r.ownCost.usdPerMonth.toFixed(2)}/mo` : "–",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const arrived = output.results[0]?.arrived ?? 0;
  return [
    `Scenario ${output.scenario}: ${arrived.toLocaleString("en-US")} messages over ${formatDuration(output.durationSeconds)}, target wait ${output.targetWaitSeconds} s, seed ${output.seed}, task scale-in protection ${protection ? "on" : "off"}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    bestLine(output, judgement.best),
    ...floorLine(judgement.verdicts),
    `Lower bound (sum of service times): ${formatTaskHours(lower)} task-hours. Reaction: first burst → first scale-up; – when there was no burst or no scale-up above the count at the burst.`,
    interruptedLine(protection),
    ...ownBillLine(output),
    "",
  ].join("\n");
}

/** ecs-autoscaler's own bill: its share per service and the deployment's fixed part (none when it did not run). */
function ownBillLine(output: SimulationOutput): string[] {
  const own = output.results.find((r) => r.ownCost)?.ownCost;
  if (!own) return [];
  return [
    `Own bill (ecs-autoscaler's AWS usage in this run, per 30-day month): $${own.usdPerMonth.toFixed(2)} for this service, plus $${own.fixedUsdPerMonth.toFixed(2)} per deployment (evaluator Lambda, dashboard, alarms); state item up to ${own.stateItemBytesMax.toLocaleString("en-US")} bytes.`,
  ];
}

function verdictText(v: { status: string; best: boolean }): string {
  if (v.status === "floor") return "floor (not deployable)";
  return v.best ? `${v.status} (best)` : v.status;
}

/** What a floor row is: a policy that knows the future, shown as the limit, never judged. */
function floorLine(verdicts: readonly { policy: string; status: string }[]): string[] {
  const floors = verdicts.filter((v) => v.status === "floor").map((v) => v.policy);
  return floors.length === 0
    ? []
    : [
        `${floors.join(", ")}: knows the future (every arrival, service time and startup delay), not deployable — the floor a real policy can approach; never best.`,
      ];
}

/** The goal and the cheapest passing policy, or that none passes. */
function bestLine(output: SimulationOutput, best: string | null): string {
  const goal = `at least ${(goalShareWithinTarget * 100).toFixed(0)}% of messages within ${output.targetWaitSeconds} s`;
  return best === null
    ? `No policy meets the goal (${goal}).`
    : `Goal: ${goal}. Best = the cheapest policy that passes: ${best}.`;
}

/** What the interrupted columns count, and what protection would change. */
function interruptedLine(protection: boolean): string {
  const counted =
    "Interrupted: messages whose processing a scale-in stopped (they return after the visibility timeout and start over); lost task-hours: the work thrown away; extra wait: per interrupted message.";
  return protection
    ? `${counted} With task scale-in protection no busy task is stopped; draining task-hours: tasks kept above the desired count until their message was done.`
    : `${counted} --protection: workers protect their task while they hold a message.`;
}
