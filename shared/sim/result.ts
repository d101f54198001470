/**
 * What `ecs-autoscaler simulate` produces: the JSON contract of its `--json` output plus the
 * time series the HTML report draws. The simulator fills it; the report and the bench only read it.
 */

import type { OwnCost } from "../cost/own-cost.ts";

/** One policy's scores on one run (the contract's field names; keep them exact). */
export interface PolicyResult {
  policy: PolicyName;
  arrived: number;
  processed: number;
  /**
   * Fraction (0–1) of messages that waited no longer than the target wait, over the messages whose wait is
   * decided: processed or in processing at the end, plus those still queued and already older than the
   * target (younger ones are left out of both counts).
   */
  withinTarget: number;
  waitP50Seconds: number;
  waitP99Seconds: number;
  waitMaxSeconds: number;
  taskSeconds: number;
  costUsd: number;
  /** Work seconds / task-seconds. */
  utilization: number;
  updateServiceCalls: number;
  /**
   * First burst → the first UpdateService raising the count above the one in force when the burst began,
   * seconds; null when there was no burst or the count never rose above that (e.g. it already had enough).
   */
  reactionSeconds: number | null;
  /**
   * Processings a scale-in stopped: the task was stopped while it held the message, which returns to the
   * queue after its visibility timeout and starts again (a message stopped twice counts twice). 0 with
   * task scale-in protection.
   */
  interruptedMessages: number;
  /** Task-seconds of the work those stops threw away (processing time before the stop ÷ concurrency). */
  wastedTaskSeconds: number;
  /**
   * Wait the stops added, seconds summed over the stopped messages: the start of the stopped processing to
   * the start of the next one (to the end of the run when none started).
   */
  interruptedExtraWaitSeconds: number;
  /**
   * Task-seconds the service ran above its desired count with task scale-in protection: busy tasks a
   * scale-in could not stop, running until their message is done (part of `taskSeconds`; 0 without it).
   */
  drainingTaskSeconds: number;
  /**
   * ecs-autoscaler only: its own AWS bill for this service (Lambda, CloudWatch, DynamoDB, SQS calls),
   * from what its ports counted during the run, per 30-day month.
   */
  ownCost?: OwnCost;
  /**
   * The oracle only: messages it could not start within the target because no task could be running in
   * time (shared/sim/oracle/schedule.ts says exactly when); no policy can start these in time either.
   */
  unavoidableLate?: number;
}

export const policyNames = [
  "ecs-autoscaler",
  "target-tracking",
  "step-scaling",
  "keda",
  "static",
  "aws-predictive",
  "oracle",
] as const;
export type PolicyName = (typeof policyNames)[number];

/**
 * Policies that know the future (the whole workload and every startup delay) and so cannot be deployed:
 * shown as the floor a real policy can approach, never judged or called best.
 */
export const clairvoyantPolicies: readonly PolicyName[] = ["oracle"];

/** Per-policy series sampled every `stepSeconds` for the report's charts. */
export interface PolicySeries {
  policy: PolicyName;
  /** Desired task count at each sample. */
  desired: number[];
  /** Running (started) tasks at each sample. */
  running: number[];
  /** Messages waiting (visible + in flight) at each sample. */
  backlog: number[];
  /** Oldest waiting message's age at each sample, seconds. */
  oldestWaitSeconds: number[];
  /** The distribution of every decided wait (the population of `withinTarget`), for the report's CDF. */
  waitDistribution?: WaitDistribution;
}

/**
 * A compact wait distribution: `seconds[i]` is the nearest-rank wait at quantile `share[i]`, so at least
 * `share[i]` of the decided messages waited `seconds[i]` or less. The levels are dense in the tail
 * (0.99 … 1), where a wait target is met or missed.
 */
export interface WaitDistribution {
  share: number[];
  seconds: number[];
}

export interface SimulationOutput {
  scenario: string;
  seed: number;
  targetWaitSeconds: number;
  durationSeconds: number;
  results: PolicyResult[];
  /** The sum of all service times ÷ concurrency: no policy that processes every message can use fewer task-seconds. */
  lowerBound: { taskSeconds: number };
  series: {
    startIso: string;
    stepSeconds: number;
    /** Messages arriving in each step (identical for every policy). */
    arrivals: number[];
    policies: PolicySeries[];
  };
  /** The model settings the run used (added by the simulator; optional for readers). */
  settings?: SimulationSettings;
  /** Problems worth a reader's attention: the trace parser's (e.g. unusually long gaps between rows) and runtime failures during the run (empty when none). */
  warnings?: string[];
}

/** The knobs of one run, so a result says what it was computed under. */
export interface SimulationSettings {
  secondsPerMessage: number;
  serviceDistribution: string;
  /** Startup delay range [min, max], seconds. */
  startupSeconds: [number, number];
  concurrency: number;
  maxTasks: number;
  intervalSeconds: number;
  burstAtSeconds: number | null;
  /** KEDA's queueLength, messages per replica (KEDA's default 5 unless set). */
  kedaQueueLength?: number;
  /** Set when ecs-autoscaler ran a user's policy (`simulate --config`): `FILE: cluster/service`. */
  ecsAutoscalerPolicy?: string;
  visibilityTimeoutSeconds: number;
  attributeStalenessSeconds: number;
  attributeError: number;
  metricDelaySeconds: number;
  minimumBilledSeconds: number;
  /** ECS task scale-in protection on the workers (`simulate --protection`); absent in older outputs: off. */
  taskProtection?: boolean;
}
