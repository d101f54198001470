/**
 * The engine's contract: what `decide` takes and what it returns, as plain types. The engine owns
 * them; shared/config validates JSON and YAML into them (its zod schemas are checked at compile time
 * to produce exactly these shapes) and applies every default, so every field here is already defaulted.
 */

/** One HPA scaling policy: at most `value` tasks (or percent) per `periodSeconds`. */
export interface ScalingPolicy {
  /** `Tasks`: an absolute number of tasks; `Percent`: of the count at the start of the period. */
  type: "Tasks" | "Percent";
  /** How many tasks (or percent) the count may change by within the period; at least 1. */
  value: number;
  /** The sliding period the limit applies to, 1–1800 seconds. */
  periodSeconds: number;
}

/** HPA `behavior.scaleUp` or `behavior.scaleDown`. */
export interface ScalingRules {
  /** Use the most conservative recommendation of this many past seconds (0–3600). */
  stabilizationWindowSeconds: number;
  /** `Max`: the policy allowing the biggest change; `Min`: the smallest; `Disabled`: never this way. */
  selectPolicy: "Max" | "Min" | "Disabled";
  /** Rate limits (at least one); `selectPolicy` chooses among them. */
  policies: ScalingPolicy[];
}

/** Kubernetes HPA `behavior`: stabilization windows and rate-limit policies per direction. */
export interface Behavior {
  /** Rules for raising the count. */
  scaleUp: ScalingRules;
  /** Rules for lowering the count. */
  scaleDown: ScalingRules;
}

/** Scale on an SQS queue's backlog (KEDA's SQS scaler), optionally latency-aware. */
export interface SqsTrigger {
  /** Discriminator. */
  type: "sqs";
  /** `https://sqs.<region>.amazonaws.com/<account>/<queue>`. */
  queueUrl: string;
  /**
   * Messages per task (KEDA `queueLength`): configured, `targetWaitSeconds / secondsPerMessage`, or 5.
   * A wait target does not scale on it; without `secondsPerMessage` it gives the processing time.
   */
  targetBacklogPerTask: number;
  /**
   * Latency target: how long a message may wait. The count is latency-aware, from the measured rates or,
   * while one is missing, from `secondsPerMessage` and the live queue.
   */
  targetWaitSeconds?: number | undefined;
  /**
   * The share of messages that must start within `targetWaitSeconds`, 0.5–1 (0.99 unless set): below 1
   * the latency model sizes the steady load by the M/M/n wait tail and lets that share of a backlog's
   * messages, not all of them, start within the target.
   */
  targetWaitShare: number;
  /** Processing time of one message, the estimate while no processing rate is measured. */
  secondsPerMessage?: number | undefined;
  /**
   * Messages one task works on at once (its receive batch or worker concurrency); 1 unless set. Sizes
   * the busy floor and, with a wait target, the rate of one busy task.
   */
  messagesPerTask: number;
  /**
   * Busy floor: never scale below the tasks busy with this queue's in-flight messages,
   * `ceil(inFlight / messagesPerTask)` (nor below the current count, if that is lower). On unless
   * `false`, which gives KEDA's behaviour.
   */
  keepBusyTasks: boolean;
  /** Active when the backlog is strictly above this (for scaling from and to zero). */
  activationBacklog: number;
  /** Add ApproximateNumberOfMessagesNotVisible to the backlog (KEDA `scaleOnInFlight`). */
  includeInFlight: boolean;
  /** Add ApproximateNumberOfMessagesDelayed to the backlog (KEDA `scaleOnDelayed`). */
  includeDelayed: boolean;
}

/** A CloudWatch metric dimension. */
export interface MetricDimension {
  /** Dimension name. */
  name: string;
  /** Dimension value. */
  value: string;
}

/** A CloudWatch metric and the statistic read from it. */
export interface MetricStat {
  /** CloudWatch namespace, e.g. `AWS/ApplicationELB`. */
  namespace: string;
  /** Metric name. */
  name: string;
  /** Up to 30 dimensions. */
  dimensions: MetricDimension[];
  /** `Average`, `Sum`, `Maximum`, `p99`, … */
  stat: string;
  /** Period of the statistic, seconds. */
  periodSeconds: number;
}

/** Scale on a CloudWatch metric or expression (the HPA's external-metric formulas). */
export interface MetricTrigger {
  /** Discriminator. */
  type: "metric";
  /** A CloudWatch metric; exactly one of `metric` and `expression` is set. */
  metric?: MetricStat | undefined;
  /** A metric math or Metrics Insights expression; exactly one of `metric` and `expression` is set. */
  expression?: string | undefined;
  /** Period of the expression's datapoints, seconds. */
  periodSeconds: number;
  /** Target value (positive). */
  target: number;
  /** `value`: the metric itself should equal `target`; `averageValue`: metric / tasks should. */
  targetType: "value" | "averageValue";
  /** Active when the value is strictly above this. */
  activationThreshold: number;
}

/** What to scale on. */
export type Trigger = SqsTrigger | MetricTrigger;

/** A window `[start, end)` whose bounds replace the policy's while inside. */
export interface Schedule {
  /** Name, shown in explanations. */
  name: string;
  /** 5-field cron (minute hour day-of-month month day-of-week): when the window opens. */
  start: string;
  /** 5-field cron: when the window closes. */
  end: string;
  /** IANA time zone the cron fields are read in; DST-correct. */
  timezone: string;
  /** Minimum inside the window; at least one of `minTasks` and `maxTasks` is set. */
  minTasks?: number | undefined;
  /** Maximum inside the window. */
  maxTasks?: number | undefined;
}

/** One service's scaling policy, every default applied. */
export interface Policy {
  /** Lower bound; 0 allows scale to zero. */
  minTasks: number;
  /** Upper bound, at least 1 and at least `minTasks`. */
  maxTasks: number;
  /** What to scale on (at least one); the largest proposal wins. */
  triggers: Trigger[];
  /** HPA tolerance, 0–1: ratios within 1 ± tolerance keep the count. */
  tolerance: number;
  /** Stabilization windows and rate limits. */
  behavior: Behavior;
  /** Scale to zero (with `minTasks` 0). */
  scaleToZero: {
    /** Inactive this many seconds → 0 (KEDA `cooldownPeriod`). */
    idleSeconds: number;
  };
  /** KEDA fallback: after more than `failureThreshold` consecutive failed reads, run `tasks`. */
  fallback?:
    | {
        /** Consecutive failed reads tolerated; the next one falls back. */
        failureThreshold: number;
        /** Task count while reads keep failing. */
        tasks: number;
      }
    | undefined;
  /** Windows whose bounds replace the policy's while inside; the most recently opened wins. */
  schedules: Schedule[];
  /**
   * Predictive scaling from the queue's learned daily arrival profile (docs/predictive.md): `off`
   * (default) ignores any forecast; `forecastOnly` says in the explanation what the forecast would ask
   * for without changing the count; `forecastAndScale` raises the count to what the forecast arrivals need.
   */
  predictive: PredictiveMode;
}

/** One of the `predictive` settings of a {@link Policy}. */
export type PredictiveMode = "off" | "forecastOnly" | "forecastAndScale";

/**
 * The arrival rate a learned profile forecasts for the queue of the policy's latency-aware sqs trigger
 * (the first sqs trigger with a wait target). The runtime computes it; the engine only applies it.
 */
export interface Forecast {
  /** Forecast messages per second at `at`. */
  arrivalRate: number;
  /** The instant the forecast is for (ISO 8601): now plus the startup time, when a task asked for now works. */
  at: string;
  /**
   * The profile's rate (messages per second) for the instant the measured arrival rate describes: the
   * measured rate is compared with it to drop a forecast that reality departs from. Absent: no check.
   */
  expectedArrivalRate?: number | undefined;
  /** Days of history behind the forecast's slot. */
  samples: number;
}

/** The service as ECS reports it at `now`. */
export interface ServiceState {
  /** ECS desiredCount. */
  desiredCount: number;
  /** ECS runningCount. */
  runningCount: number;
  /** ECS pendingCount (0 unless given). */
  pendingCount: number;
  /** Learned time from UpdateService to a RUNNING task; used by the latency-aware queue model. */
  startupSeconds?: number | undefined;
}

/** One trigger's reading, in the order of `policy.triggers`. Which fields are set depends on the trigger. */
export interface Observation {
  /** sqs: ApproximateNumberOfMessages. */
  visible?: number | undefined;
  /** sqs: ApproximateNumberOfMessagesNotVisible. */
  inFlight?: number | undefined;
  /** sqs: ApproximateNumberOfMessagesDelayed. */
  delayed?: number | undefined;
  /** sqs: measured messages arriving per second. */
  arrivalRate?: number | undefined;
  /** sqs: measured messages one busy task completes per second. */
  processingRatePerTask?: number | undefined;
  /** metric: the latest datapoint. */
  value?: number | undefined;
  /** The read failed (any trigger); the other fields are then ignored. */
  error?: string | undefined;
}

/** An unstabilised recommendation, remembered for the stabilization windows. */
export interface Recommendation {
  /** ISO 8601 instant of the decision. */
  at: string;
  /** The recommended task count. */
  tasks: number;
}

/** A change of the desired count, remembered for the rate-limit periods. */
export interface ScaleEvent {
  /** ISO 8601 instant of the decision. */
  at: string;
  /** The count before. */
  from: number;
  /** The count after. */
  to: number;
}

/** The engine's memory between decisions; `decide` returns the next one. */
export interface History {
  /**
   * Recent recommendations as runs, oldest first: each entry holds from its `at` until the next one's,
   * so a recommendation equal to the latest is not added again. Kept: those a window can still read.
   */
  recommendations: Recommendation[];
  /** Recent scale events, oldest first. */
  scaleEvents: ScaleEvent[];
  /**
   * Since when nothing keeps the service up (no trigger active, no fallback, a minimum of 0): the
   * first decision that saw it so, ISO 8601. Absent while something keeps it up. The idle clock of
   * scale to zero counts from it, so it changes only when that turns, not at every decision.
   */
  idleSince?: string | undefined;
  /**
   * A history from before {@link idleSince}: when something last kept the service up. Read as
   * `idleSince` when that is absent (idle since then, as it meant); a decision never returns it.
   */
  lastActiveAt?: string | undefined;
  /** Consecutive failed reads so far. */
  failures: number;
}

/** The input of `decide`: one service at one instant. */
export interface DecideRequest {
  /** The decision's instant, ISO 8601 with an offset. */
  now: string;
  /** The service's policy. */
  policy: Policy;
  /** What ECS reports. */
  service: ServiceState;
  /** One per `policy.triggers` entry, same order. */
  observations: Observation[];
  /** The history the previous decision returned; none on the first decision. */
  history?: History | undefined;
  /**
   * How often the service is decided, seconds (the evaluator's cadence): the stabilization windows
   * read the run-encoded history as the decisions at this cadence it stands for. Unset: the entry in
   * force when a window opens counts whole (a window may read one decision more than the HPA's).
   */
  intervalSeconds?: number | undefined;
  /** The forecast arrival rate, when the policy is predictive and enough history exists. */
  forecast?: Forecast | undefined;
}

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
  "BusyTasksFloor", // held at the tasks busy with in-flight messages (an sqs trigger's busy floor)
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
  "ForecastRaise", // predictive forecastAndScale: the forecast arrivals asked for more than the live queue
] as const;
/** One of {@link reasonCodes}. */
export type ReasonCode = (typeof reasonCodes)[number];

/** One trigger's proposal: the task count it asks for and whether it is active (for 0 ↔ 1). */
export interface Proposal {
  /** Index into `policy.triggers`. */
  trigger: number;
  /** Null when the read failed. */
  tasks: number | null;
  /** Whether the trigger is above its activation threshold. */
  active: boolean;
  /** The read's error, when it failed. */
  error?: string;
}

/** The engine's answer to one request. */
export interface Decision {
  /** The task count to set. */
  desiredCount: number;
  /** The rule that shaped the count. */
  reason: ReasonCode;
  /** One line with the numbers that produced the count. */
  explanation: string;
  /** Each trigger's proposal, in trigger order. */
  proposals: Proposal[];
  /** The history to pass to the next decision, pruned to what the longest window needs. */
  history: History;
}
