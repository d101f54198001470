/** The plain-text comparison `simulate` prints: one row per policy, then the lower bound. */
import type { SimulationOutput } from "./result.ts";
import { formatDuration } from "./trace/time.ts";

/** Formats the results as an aligned table with a heading line. */
export function formatTable(output: SimulationOutput): string {
  const lower = output.lowerBound.taskSeconds;
  const header = [
    "policy",
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
  const rows = output.results.map((r) => [
    r.policy,
    `${(100 * r.withinTarget).toFixed(2)}%`,
    `${r.waitP50Seconds.toFixed(1)} s`,
    `${r.waitP99Seconds.toFixed(1)} s`,
    `${r.waitMaxSeconds.toFixed(1)} s`,
    (r.taskSeconds / 3600).toFixed(1),
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
    `Lower bound (sum of service times): ${(lower / 3600).toFixed(1)} task-hours. Reaction: first burst → first scale-up.`,
    "",
  ].join("\n");
}
