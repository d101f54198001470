/** The plain-text comparison `simulate` prints: one row per policy, then the lower bound. */
import { formatTaskHours } from "./report/format.ts";
import { goalShareWithinTarget, judge } from "./report/verdict.ts";
import type { SimulationOutput } from "./result.ts";
import { formatDuration } from "./trace/time.ts";

/** Formats the results as an aligned table with a heading line. */
export function formatTable(output: SimulationOutput): string {
  const lower = output.lowerBound.taskSeconds;
  const judgement = judge(output.results);
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
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const arrived = output.results[0]?.arrived ?? 0;
  return [
    `Scenario ${output.scenario}: ${arrived.toLocaleString("en-US")} messages over ${formatDuration(output.durationSeconds)}, target wait ${output.targetWaitSeconds} s, seed ${output.seed}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    bestLine(output, judgement.best),
    ...floorLine(judgement.verdicts),
    `Lower bound (sum of service times): ${formatTaskHours(lower)} task-hours. Reaction: first burst → first scale-up; – when there was no burst or no scale-up above the count at the burst.`,
    "",
  ].join("\n");
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
