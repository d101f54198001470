/** What every simulated policy gets and gives: the shared setting and a hook to attach to a world. */
import type { PolicyName } from "../result.ts";
import type { World } from "../world.ts";

/** The setting every policy is configured from, as a user would configure each tool for the same queue. */
export interface PolicySetting {
  /** How long a message may wait (the latency target; AWS's "acceptable latency"). */
  targetWaitSeconds: number;
  /** The user's estimate of one message's processing time (AWS's "average processing time per message"). */
  secondsPerMessage: number;
  /** Messages one task works on at once. */
  concurrency: number;
  maxTasks: number;
  /** Tasks every dynamic policy finds running at the start (sized for the opening arrival rate). */
  initialTasks: number;
  /** Highest one-minute arrival rate in the workload, messages per second (sizes `static`). */
  peakRatePerSecond: number;
  /** CloudWatch's publication delay, so alarms can be evaluated right after a datapoint lands. */
  metricDelaySeconds: number;
  seed: number;
}

/** A policy, ready to run against one world. */
export interface SimPolicy {
  readonly name: PolicyName;
  /** Tasks running when the run starts. */
  readonly initialTasks: number;
  /** Schedules the policy's evaluations on the world (timers and event listeners). */
  attach(world: World): void;
}

/**
 * AWS's backlog-per-task target: acceptable latency / average processing time per message
 * (EC2 Auto Scaling User Guide, https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-using-sqs-queue.html), per message slot of a task.
 */
export function acceptableBacklogPerTask(setting: PolicySetting): number {
  return (setting.targetWaitSeconds / setting.secondsPerMessage) * setting.concurrency;
}

/** Seconds into each minute at which a CloudWatch alarm sees the datapoint that just became visible. */
export function alarmOffset(setting: PolicySetting): number {
  return (setting.metricDelaySeconds % 60) + 1;
}
