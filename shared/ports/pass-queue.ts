/**
 * Port: the pass queue. The evaluator's minute tick runs its first pass at once and hands the minute's
 * later passes to a queue that delivers each one when it is due, so every pass is a short invocation
 * of its own instead of one invocation sleeping through the minute. Adapter: shared/aws/sqs-pass-queue.ts.
 */
import type { PortFailure } from "./failure.ts";

/** The slice of the fleet one pass evaluates: shard `index` of `count` (0 of 1: every service). */
export interface ShardRef {
  index: number;
  count: number;
}

/** One pass to be run later: when it is due, and which shard of the services it evaluates. */
export interface PlannedPass {
  /** When the pass should start (epoch ms); the message is delayed until about then. */
  plannedAtMs: number;
  /** Whole seconds from sending to delivery, 0–900 (SQS's DelaySeconds range). */
  delaySeconds: number;
  shard: ShardRef;
}

/** What happened to the passes handed to {@link PassQueuePort.schedule}. */
export interface ScheduleOutcome {
  /** Passes the queue accepted. */
  sent: PlannedPass[];
  /** Passes it did not accept (after one retry of the retryable ones), each with why. */
  failed: { pass: PlannedPass; failure: PortFailure }[];
}

export interface PassQueuePort {
  /**
   * Hands `passes` to the queue, each delivered after its `delaySeconds`. Never throws: a pass that
   * could not be queued comes back in `failed`, so the caller can run it itself.
   */
  schedule(passes: readonly PlannedPass[]): Promise<ScheduleOutcome>;
}
