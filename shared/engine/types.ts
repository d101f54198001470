/** The engine's output types: the `decide` decision contract of DESIGN.md. */
import type { History } from "../config/request.ts";

export type { DecideRequest, History, Observation, ServiceState } from "../config/request.ts";

/**
 * Why the decision is what it is: the last rule that shaped the count, as the Kubernetes HPA's
 * `convertDesiredReplicasWithRules` names its limit. Stable strings: logs, metrics and users rely on them.
 */
export const reasonCodes = [
  "ScaleUp", // the computed count, above the current one, applied as is
  "ScaleDown", // the computed count, below the current one, applied as is
  "NoChange", // the computed count equals the current one (includes within-tolerance)
  "ScaleUpStabilized", // the scale-up stabilization window held the count lower
  "ScaleDownStabilized", // the scale-down stabilization window held the count higher
  "ScaleUpLimit", // a scale-up rate-limit policy capped the increase
  "ScaleDownLimit", // a scale-down rate-limit policy capped the decrease
  "ScaleUpDisabled", // behavior.scaleUp.selectPolicy is Disabled
  "ScaleDownDisabled", // behavior.scaleDown.selectPolicy is Disabled
  "TooFewTasks", // raised to the policy's minTasks
  "TooManyTasks", // lowered to the policy's maxTasks
  "ScheduleMinimum", // raised to an active schedule's minTasks
  "ScheduleMaximum", // lowered to an active schedule's maxTasks
  "WakeFromZero", // an active trigger woke a service at zero
  "IdleCooldown", // no trigger active, waiting scaleToZero.idleSeconds before going to zero
  "ScaleToZero", // idle long enough: scaled to zero
  "Idle", // at zero and no trigger active
  "ReadFailedHold", // a read failed: the count is held (never down on missing data)
  "FallbackApplied", // reads failed more than fallback.failureThreshold times: fallback.tasks
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

/** One trigger's proposal: the task count it asks for and whether it is active (for 0 ↔ 1). */
export interface Proposal {
  trigger: number;
  /** Null when the read failed. */
  tasks: number | null;
  active: boolean;
  error?: string;
}

/** The engine's answer to one request. */
export interface Decision {
  desiredCount: number;
  reason: ReasonCode;
  /** One line with the numbers that produced the count. */
  explanation: string;
  proposals: Proposal[];
  /** The history to pass to the next decision, pruned to what the longest window needs. */
  history: History;
}
