/**
 * The names the runtime's decisions, failures and event-handling signals are published under as
 * CloudWatch metrics. Stable: the dashboard and alarms (infra) rely on them, and the Lambda sink
 * (functions/lib/powertools-sink.ts) emits them. Platform-neutral, so infra reads them without
 * loading Powertools.
 */
export const METRIC = {
  failures: "Failures",
  crashLoopTripped: "CrashLoopGuardTripped",
  malformedEvents: "MalformedEvents",
  ignoredEvents: "IgnoredEvents",
  duplicateEvents: "DuplicateEvents",
  capacityProviderUpdates: "CapacityProviderUpdates",
  /**
   * Per evaluation pass: configured services the pass did not decide (failed, skipped, out of
   * time), 0 when it decided all; the configured count when it decided none. Alarmed in infra.
   */
  servicesNotEvaluated: "ServicesNotEvaluated",
  /** A queued pass that arrived more than one interval after its planned time, dropped (the next one comes anyway). */
  latePasses: "LatePasses",
  /** A tick whose later passes the pass queue did not take: that tick's invocation ran them itself. */
  passQueueFallbacks: "PassQueueFallbacks",
  /**
   * The account-wide UpdateService budget could not be read from the state table, so the process
   * paced its calls with a local bucket for a while (shared/aws/update-budget.ts). Published only when
   * it happens.
   */
  updateBudgetFallbacks: "UpdateBudgetFallbacks",
} as const;

/** One of the metric names above. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
