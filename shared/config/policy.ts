/**
 * The service policy schema: one zod schema validates the YAML config file and `decide` requests and
 * generates the JSON Schema. Defaults are applied here, once, at the edge; everything downstream sees
 * the engine's typed, defaulted {@link Policy}, which the schema's output is checked against.
 */
import { z } from "zod";
import type {
  MetricTrigger,
  Policy,
  ScalingPolicy,
  ScalingRules,
  Schedule,
  SqsTrigger,
  Trigger,
} from "../engine/types.ts";
import { queueUrlProblem } from "./aws-names.ts";
import type { Agrees } from "./contract.ts";
import { cronProblem, sameSchedule, timeZoneProblem } from "./cron.ts";

const nonNegativeInt = z.number().int().min(0);
const positiveInt = z.number().int().min(1);

/** One HPA scaling policy: at most `value` tasks (or percent) per `periodSeconds`. */
export const scalingPolicySchema = z.strictObject({
  type: z
    .enum(["Tasks", "Percent"])
    .describe("Tasks: an absolute number of tasks; Percent: of the count at the start of the period"),
  value: positiveInt.describe("How many tasks (or percent) the count may change by within the period"),
  periodSeconds: z
    .number()
    .int()
    .min(1)
    .max(1800)
    .describe("The sliding period the limit applies to (HPA allows 1–1800)"),
});

interface RulesDefaults {
  stabilizationWindowSeconds: number;
  policies: z.input<typeof scalingPolicySchema>[];
}

/**
 * HPA `behavior.scaleUp`/`scaleDown` rules. Each field the user sets replaces the default on its own,
 * as Kubernetes' `copyHPAScalingRules` does.
 */
function scalingRulesSchema(defaults: RulesDefaults) {
  return z
    .strictObject({
      stabilizationWindowSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(defaults.stabilizationWindowSeconds)
        .describe("Use the most conservative recommendation of this many past seconds"),
      selectPolicy: z
        .enum(["Max", "Min", "Disabled"])
        .default("Max")
        .describe(
          "Max: the policy allowing the biggest change; Min: the smallest; Disabled: never in this direction",
        ),
      policies: z
        .array(scalingPolicySchema)
        .min(1)
        .default(defaults.policies.map((p) => ({ ...p })))
        .describe("Rate limits; selectPolicy chooses among them"),
    })
    .prefault({});
}

/** Kubernetes HPA defaults (`pkg/apis/autoscaling/v2/defaults.go`): up 4 tasks or 100% per 15 s, no window. */
export const defaultScaleUp: RulesDefaults = {
  stabilizationWindowSeconds: 0,
  policies: [
    { type: "Tasks", value: 4, periodSeconds: 15 },
    { type: "Percent", value: 100, periodSeconds: 15 },
  ],
};
/** Kubernetes HPA defaults: down 100% per 15 s after a 300 s stabilization window. */
export const defaultScaleDown: RulesDefaults = {
  stabilizationWindowSeconds: 300,
  policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
};

export const behaviorSchema = z
  .strictObject({
    scaleUp: scalingRulesSchema(defaultScaleUp),
    scaleDown: scalingRulesSchema(defaultScaleDown),
  })
  .prefault({})
  .describe(
    "Kubernetes HPA `behavior`: stabilization windows and rate-limit policies. A latency-aware policy (an sqs trigger with targetWaitSeconds) gets a 30 s scale-down window unless it sets one",
  );

const sqsQueueUrl = z.string().superRefine((url, ctx) => {
  // AWS's rules for the URL and the queue name (shared/config/aws-names.ts); the path must be exactly
  // /<account>/<queue name>, as KEDA's parseAwsSqsQueueMetadata requires too.
  const problem = queueUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * The share of messages a wait target holds for unless `targetWaitShare` is set: 99%, what a latency
 * target usually states (a p99), and the benchmark's goal. docs/simulator.md has the measurements.
 */
export const defaultTargetWaitShare = 0.99;
/** Below half, "within the target" would describe the median, not a target. */
const minTargetWaitShare = 0.5;

export const sqsTriggerSchema = z
  .strictObject({
    type: z.literal("sqs"),
    queueUrl: sqsQueueUrl.describe("The SQS queue URL, https://sqs.<region>.amazonaws.com/<account>/<queue>"),
    targetBacklogPerTask: z
      .number()
      .positive()
      .optional()
      .describe(
        "Messages per task (KEDA queueLength, AverageValue). Default 5. With targetWaitSeconds and no secondsPerMessage it gives the processing time, targetWaitSeconds / this",
      ),
    targetWaitSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        "Latency target: how long a message may wait. The count is latency-aware: from the measured rates, or while a rate is missing from secondsPerMessage and the live queue",
      ),
    targetWaitShare: z
      .number()
      .min(minTargetWaitShare)
      .max(1)
      .optional()
      .describe(
        "The share of messages that must start within targetWaitSeconds, 0.5–1. Default 0.99. Below 1 the steady load is sized by the M/M/n wait tail (Erlang C) and a backlog may leave 1 − this share of its messages late; 1 sizes for every message (the fluid model)",
      ),
    secondsPerMessage: z
      .number()
      .positive()
      .optional()
      .describe(
        "Processing time of one message, used with targetWaitSeconds while no processing rate is measured",
      ),
    messagesPerTask: positiveInt
      .optional()
      .describe(
        "How many messages one task works on at once (its receive batch or worker concurrency): the busy floor counts ceil(inFlight / this) busy tasks, and with targetWaitSeconds the measured rate per in-flight message × this is the rate per task. Default 1",
      ),
    keepBusyTasks: z
      .boolean()
      .default(true)
      .describe(
        "Busy floor: never scale below the tasks busy with this queue's in-flight messages, ceil(inFlight / messagesPerTask), nor to zero while messages are in flight; it only limits scale-in. false: KEDA's behaviour",
      ),
    activationBacklog: nonNegativeInt
      .default(0)
      .describe("Active when backlog > this (strict), for scaling from/to zero"),
    includeInFlight: z
      .boolean()
      .default(true)
      .describe("Add ApproximateNumberOfMessagesNotVisible (KEDA scaleOnInFlight)"),
    includeDelayed: z
      .boolean()
      .default(false)
      .describe("Add ApproximateNumberOfMessagesDelayed (KEDA scaleOnDelayed)"),
  })
  .superRefine((t, ctx) => {
    if (t.targetWaitShare !== undefined && t.targetWaitSeconds === undefined) {
      ctx.addIssue({ code: "custom", path: ["targetWaitShare"], message: "needs targetWaitSeconds" });
    }
    if (t.secondsPerMessage !== undefined && t.targetWaitSeconds === undefined) {
      ctx.addIssue({ code: "custom", path: ["secondsPerMessage"], message: "needs targetWaitSeconds" });
    }
    // Until rates are measured, a wait target needs a starting backlog per task: from secondsPerMessage
    // (AWS guidance) or given outright; not both, so that neither silently wins.
    if (
      t.targetWaitSeconds !== undefined &&
      t.secondsPerMessage === undefined &&
      t.targetBacklogPerTask === undefined
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["targetWaitSeconds"],
        message:
          "needs secondsPerMessage (or targetBacklogPerTask) as the starting estimate until rates are measured",
      });
    }
    if (t.secondsPerMessage !== undefined && t.targetBacklogPerTask !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["targetBacklogPerTask"],
        message: "set targetBacklogPerTask or secondsPerMessage, not both (secondsPerMessage derives it)",
      });
    }
  })
  .transform((t) => ({
    ...t,
    messagesPerTask: t.messagesPerTask ?? 1,
    targetWaitShare: t.targetWaitShare ?? defaultTargetWaitShare,
    /** The static target: configured, derived from the latency target (AWS guidance), or KEDA's default 5. */
    targetBacklogPerTask:
      t.targetBacklogPerTask ??
      (t.targetWaitSeconds !== undefined && t.secondsPerMessage !== undefined
        ? t.targetWaitSeconds / t.secondsPerMessage
        : 5),
  }));

const dimensionSchema = z.strictObject({ name: z.string().min(1), value: z.string().min(1) });

export const metricStatSchema = z.strictObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  dimensions: z.array(dimensionSchema).max(30).default([]),
  stat: z.string().min(1).default("Average").describe("Average, Sum, Maximum, p99, …"),
  periodSeconds: z.number().int().min(1).default(60),
});

export const metricTriggerSchema = z
  .strictObject({
    type: z.literal("metric"),
    metric: metricStatSchema.optional().describe("A CloudWatch metric"),
    expression: z
      .string()
      .min(1)
      .optional()
      .describe("A CloudWatch metric math or Metrics Insights expression"),
    periodSeconds: z.number().int().min(1).default(60).describe("Period of the expression's datapoints"),
    target: z.number().positive().describe("Target value"),
    targetType: z
      .enum(["value", "averageValue"])
      .default("averageValue")
      .describe("value: the metric itself should equal target; averageValue: metric / tasks should"),
    activationThreshold: z.number().default(0).describe("Active when value > this (strict)"),
  })
  .superRefine((t, ctx) => {
    if ((t.metric === undefined) === (t.expression === undefined)) {
      ctx.addIssue({ code: "custom", path: ["metric"], message: "set exactly one of metric or expression" });
    }
  });

export const triggerSchema = z.discriminatedUnion("type", [sqsTriggerSchema, metricTriggerSchema]);

export const scheduleSchema = z
  .strictObject({
    name: z.string().min(1),
    start: z
      .string()
      .describe("5-field cron (minute hour day-of-month month day-of-week): when the window opens"),
    end: z.string().describe("5-field cron: when the window closes; the window is [start, end)"),
    timezone: z.string().default("UTC").describe("IANA time zone, e.g. Europe/Berlin; DST-correct"),
    minTasks: nonNegativeInt.optional(),
    maxTasks: nonNegativeInt.optional(),
  })
  .superRefine((s, ctx) => {
    const startProblem = cronProblem(s.start);
    if (startProblem) ctx.addIssue({ code: "custom", path: ["start"], message: startProblem });
    const endProblem = cronProblem(s.end);
    if (endProblem) ctx.addIssue({ code: "custom", path: ["end"], message: endProblem });
    if (!startProblem && !endProblem && sameSchedule(s.start, s.end)) {
      ctx.addIssue({
        code: "custom",
        path: ["end"],
        message: "start and end are the same times: the window would never close",
      });
    }
    const zoneProblem = timeZoneProblem(s.timezone);
    if (zoneProblem) ctx.addIssue({ code: "custom", path: ["timezone"], message: zoneProblem });
    if (s.minTasks === undefined && s.maxTasks === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["minTasks"],
        message: "a schedule sets minTasks, maxTasks or both",
      });
    }
  });

const policyObjectSchema = z
  .strictObject({
    minTasks: nonNegativeInt.default(1).describe("Lower bound; 0 allows scale to zero"),
    maxTasks: positiveInt.describe("Upper bound"),
    triggers: z.array(triggerSchema).min(1).describe("What to scale on; the largest proposal wins"),
    tolerance: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe("HPA tolerance: ratios within 1 ± tolerance keep the count"),
    behavior: behaviorSchema,
    scaleToZero: z
      .strictObject({
        idleSeconds: nonNegativeInt
          .default(300)
          .describe("With minTasks 0: inactive this long → 0 (KEDA cooldownPeriod)"),
      })
      .prefault({}),
    fallback: z
      .strictObject({
        failureThreshold: nonNegativeInt.describe(
          "Consecutive failed reads tolerated; the next one falls back",
        ),
        tasks: nonNegativeInt.describe("Task count while reads keep failing"),
      })
      .optional()
      .describe("KEDA fallback: after more than failureThreshold consecutive failed reads, run `tasks`"),
    schedules: z
      .array(scheduleSchema)
      .default([])
      .describe("Windows whose bounds replace the policy's while inside; the most recently opened wins"),
    predictive: z
      .enum(["off", "forecastOnly", "forecastAndScale"])
      .default("off")
      .describe(
        "Predictive scaling from the queue's learned daily arrival profile (docs/predictive.md): off; forecastOnly says what the forecast would ask for; forecastAndScale raises the count to it. Needs an sqs trigger with targetWaitSeconds",
      ),
  })
  .superRefine((p, ctx) => {
    if (
      p.predictive !== "off" &&
      !p.triggers.some((t) => t.type === "sqs" && t.targetWaitSeconds !== undefined)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["predictive"],
        message: "needs an sqs trigger with targetWaitSeconds (the profile learns that queue's arrivals)",
      });
    }
    if (p.minTasks > p.maxTasks) {
      ctx.addIssue({
        code: "custom",
        path: ["minTasks"],
        message: `minTasks ${p.minTasks} is above maxTasks ${p.maxTasks}`,
      });
    }
    p.schedules.forEach((s, i) => {
      // A window that sets one bound pulls the other along (maxTasks 0 alone means "off"); one that
      // sets both must be consistent.
      if (s.minTasks !== undefined && s.maxTasks !== undefined && s.minTasks > s.maxTasks) {
        ctx.addIssue({
          code: "custom",
          path: ["schedules", i, "minTasks"],
          message: `minTasks ${s.minTasks} is above maxTasks ${s.maxTasks} in "${s.name}"`,
        });
      }
    });
  });

/**
 * The scale-down window a latency-aware policy (an sqs trigger with targetWaitSeconds) gets when the user
 * sets none: 30 s. The count of such a policy already carries the headroom its wait target needs, so a
 * window only keeps idle tasks; the benchmark measures 30 s cheaper than 60 s (the rent-or-buy value of
 * about one task startup) on every scenario at the same within-target fraction, and far cheaper than the
 * HPA's 300 s (docs/simulator.md). Count-based policies keep the HPA's 300 s.
 */
export const latencyAwareScaleDownWindowSeconds = 30;

/** Fills the latency-aware scale-down window into a policy as written, when the user set none. */
function latencyAwareDefaults(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const policy = value as { triggers?: unknown; behavior?: unknown };
  const latencyAware =
    Array.isArray(policy.triggers) &&
    policy.triggers.some(
      (t) =>
        typeof t === "object" &&
        t !== null &&
        (t as { type?: unknown }).type === "sqs" &&
        "targetWaitSeconds" in t,
    );
  if (!latencyAware) return value;
  const behavior = policy.behavior;
  if (
    behavior !== undefined &&
    (typeof behavior !== "object" || behavior === null || Array.isArray(behavior))
  )
    return value; // not an object: the schema reports it
  const scaleDown = (behavior as { scaleDown?: unknown } | undefined)?.scaleDown;
  if (
    scaleDown !== undefined &&
    (typeof scaleDown !== "object" || scaleDown === null || Array.isArray(scaleDown))
  )
    return value;
  if (scaleDown !== undefined && "stabilizationWindowSeconds" in scaleDown) return value;
  return {
    ...policy,
    behavior: {
      ...(behavior as object | undefined),
      scaleDown: {
        ...(scaleDown as object | undefined),
        stabilizationWindowSeconds: latencyAwareScaleDownWindowSeconds,
      },
    },
  };
}

/**
 * One service's policy. Defaults are the HPA's and KEDA's, except the scale-down window of a
 * latency-aware policy ({@link latencyAwareScaleDownWindowSeconds}).
 */
export const policySchema = z.preprocess(latencyAwareDefaults, policyObjectSchema);

/** A policy as a user writes it (before defaults). */
export type PolicyInput = z.input<typeof policyObjectSchema>;

/** Compile-time check: each schema produces exactly the engine's type (see contract.ts). */
export const policySchemasAgree: {
  policy: Agrees<z.output<typeof policySchema>, Policy>;
  trigger: Agrees<z.output<typeof triggerSchema>, Trigger>;
  sqsTrigger: Agrees<z.output<typeof sqsTriggerSchema>, SqsTrigger>;
  metricTrigger: Agrees<z.output<typeof metricTriggerSchema>, MetricTrigger>;
  schedule: Agrees<z.output<typeof scheduleSchema>, Schedule>;
  scalingRules: Agrees<z.output<typeof behaviorSchema>["scaleUp"], ScalingRules>;
  scalingPolicy: Agrees<z.output<typeof scalingPolicySchema>, ScalingPolicy>;
} = {
  policy: true,
  trigger: true,
  sqsTrigger: true,
  metricTrigger: true,
  schedule: true,
  scalingRules: true,
  scalingPolicy: true,
};
