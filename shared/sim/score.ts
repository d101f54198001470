/**
 * Scores one policy's run (the simulator output's fields): arrivals, processed, the fraction of messages
 * within the target wait, wait percentiles, task-seconds, cost at Fargate prices, utilization,
 * UpdateService calls, reaction time, and what scale-ins cost: interrupted messages, their wasted
 * task-seconds and added wait, and (with task scale-in protection) the task-seconds spent draining.
 *
 * Waits: a message's wait is arrival → the start of the processing that completed it (a message returned
 * by a stopped task keeps waiting). At the end of the run, messages in processing count with their wait;
 * messages still queued count only once they are already older than the target (they can only miss it);
 * younger ones are undecided and left out.
 */
import type { PolicyName, PolicyResult, WaitDistribution } from "./result.ts";
import type { WorldRecord } from "./world.ts";

/**
 * Fargate on-demand, Linux/x86, us-east-1: $0.04048 per vCPU-hour and $0.004445 per GB-hour, billed per
 * second with a one-minute minimum (AWS Fargate pricing page; docs/simulator.md).
 */
export const fargatePrice = { vcpuHour: 0.04048, gbHour: 0.004445 };

/** The simulated task size: 1 vCPU, 2 GB. */
export const defaultTaskSize = { vcpu: 1, memoryGb: 2 };

/** USD per task-second for a task size. */
export function pricePerTaskSecond(size = defaultTaskSize): number {
  return (size.vcpu * fargatePrice.vcpuHour + size.memoryGb * fargatePrice.gbHour) / 3600;
}

export function scoreRun(
  policy: PolicyName,
  record: WorldRecord,
  targetWaitSeconds: number,
  concurrency: number,
): PolicyResult {
  const waits = decidedWaits(record, targetWaitSeconds);
  let within = 0;
  for (const w of record.waits) if (w <= targetWaitSeconds) within++;
  return {
    policy,
    arrived: record.arrived,
    processed: record.processed,
    withinTarget: waits.length === 0 ? 1 : within / waits.length,
    waitP50Seconds: round(percentile(waits, 0.5)),
    waitP99Seconds: round(percentile(waits, 0.99)),
    waitMaxSeconds: round(waits.length > 0 ? waits[waits.length - 1]! : 0),
    taskSeconds: record.taskSeconds,
    costUsd: Math.round(record.taskSeconds * pricePerTaskSecond() * 1e4) / 1e4,
    utilization:
      record.taskSeconds > 0 ? round(record.workSeconds / (record.taskSeconds * concurrency), 4) : 0,
    updateServiceCalls: record.updateServiceCalls,
    reactionSeconds: record.reactionSeconds === null ? null : round(record.reactionSeconds),
    interruptedMessages: record.interruptedMessages,
    wastedTaskSeconds: round(record.lostWorkSeconds / concurrency),
    interruptedExtraWaitSeconds: round(record.interruptedExtraWaitSeconds),
    drainingTaskSeconds: round(record.drainingTaskSeconds),
  };
}

/** Settled waits plus the ages of queued messages already past the target, sorted ascending. */
function decidedWaits(record: WorldRecord, targetWaitSeconds: number): Float64Array {
  const late = record.pendingAges.filter((age) => age > targetWaitSeconds);
  const waits = new Float64Array(record.waits.length + late.length);
  waits.set(record.waits);
  waits.set(late, record.waits.length);
  return waits.sort();
}

/** Quantile levels of {@link waitDistribution}: every 1 % to 90 %, then ever finer towards 100 %. */
export const waitQuantileLevels: readonly number[] = (() => {
  const levels: number[] = [];
  const add = (from: number, to: number, step: number) => {
    for (let k = Math.round(from / step); k * step < to - step / 2; k++) levels.push(round(k * step, 6));
  };
  add(0, 0.9, 0.01);
  add(0.9, 0.99, 0.001);
  add(0.99, 0.999, 0.0001);
  add(0.999, 1, 0.00001);
  levels.push(1);
  return levels;
})();

/**
 * The waits of `scoreRun`'s population at {@link waitQuantileLevels} (levels that repeat the previous
 * wait are dropped, so a run where most messages waited 0 s stays short). Empty when nothing is decided.
 */
export function waitDistribution(record: WorldRecord, targetWaitSeconds: number): WaitDistribution {
  const waits = decidedWaits(record, targetWaitSeconds);
  const out: WaitDistribution = { share: [], seconds: [] };
  if (waits.length === 0) return out;
  // Nearest rank, robust to q × n landing a hair above a whole number (0.55 × 100 = 55.000000000000007).
  const at = (q: number) =>
    round(waits[Math.min(waits.length - 1, Math.max(0, Math.ceil(q * waits.length - 1e-9) - 1))]!);
  for (const [i, q] of waitQuantileLevels.entries()) {
    const s = at(q);
    const next = waitQuantileLevels[i + 1];
    // Keep the last level of a run of equal waits: it is the largest share known to be within `s`.
    if (next !== undefined && at(next) === s) continue;
    out.share.push(q);
    out.seconds.push(s);
  }
  return out;
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
