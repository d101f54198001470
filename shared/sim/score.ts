/**
 * Scores one policy's run (the simulator output's fields): arrivals, processed, the fraction of messages
 * within the target wait, wait percentiles, task-seconds, cost at Fargate prices, utilization,
 * UpdateService calls, reaction time.
 *
 * Waits: a message's wait is arrival → the start of the processing that completed it (a message returned
 * by a stopped task keeps waiting). At the end of the run, messages in processing count with their wait;
 * messages still queued count only once they are already older than the target (they can only miss it);
 * younger ones are undecided and left out.
 */
import type { PolicyName, PolicyResult } from "./result.ts";
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
  const late = record.pendingAges.filter((age) => age > targetWaitSeconds);
  const waits = new Float64Array(record.waits.length + late.length);
  waits.set(record.waits);
  waits.set(late, record.waits.length);
  waits.sort();
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
  };
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
