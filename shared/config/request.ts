/**
 * The `decide` request: the JSON contract of `ecs-autoscaler decide`, validated into the engine's
 * {@link DecideRequest}. Observations are checked against their trigger, so a missing field is
 * reported at its own path.
 */
import { z } from "zod";
import type { DecideRequest, Forecast, History, Observation, ServiceState } from "../engine/types.ts";
import type { Agrees } from "./contract.ts";
import { problemsOf, ValidationError } from "./issues.ts";
import { policySchema } from "./policy.ts";

const count = z.number().int().min(0);
const instant = z.iso.datetime({ offset: true }).describe("ISO 8601 instant, e.g. 2026-03-02T12:00:00Z");

export const serviceStateSchema = z.strictObject({
  desiredCount: count,
  runningCount: count,
  pendingCount: count.default(0),
  startupSeconds: z
    .number()
    .min(0)
    .optional()
    .describe("Learned time from UpdateService to a RUNNING task; used by the latency-aware queue policy"),
});

/** One trigger's reading. Which fields are required depends on the trigger (see requestSchema). */
export const observationSchema = z.strictObject({
  visible: count.optional().describe("sqs: ApproximateNumberOfMessages"),
  inFlight: count.optional().describe("sqs: ApproximateNumberOfMessagesNotVisible"),
  delayed: count.optional().describe("sqs: ApproximateNumberOfMessagesDelayed"),
  arrivalRate: z.number().min(0).optional().describe("sqs: measured messages arriving per second"),
  processingRatePerTask: z
    .number()
    .positive()
    .optional()
    .describe("sqs: measured messages one busy task completes per second"),
  value: z.number().optional().describe("metric: the latest datapoint"),
  error: z.string().min(1).optional().describe("the read failed; any trigger"),
});

export const historySchema = z.strictObject({
  recommendations: z.array(z.strictObject({ at: instant, tasks: count })).default([]),
  scaleEvents: z.array(z.strictObject({ at: instant, from: count, to: count })).default([]),
  idleSince: instant
    .optional()
    .describe(
      "Since when nothing keeps the service up (the idle clock of scale to zero); absent while something does",
    ),
  lastActiveAt: instant
    .optional()
    .describe("A history from before idleSince: when something last kept the service up, read as idleSince"),
  failures: count.default(0),
});

export const forecastSchema = z.strictObject({
  arrivalRate: z.number().min(0).describe("Forecast messages per second at `at`"),
  at: instant.describe("The instant the forecast is for: now plus the startup time"),
  expectedArrivalRate: z
    .number()
    .min(0)
    .optional()
    .describe("The profile's rate for the instant the measured arrival rate describes (departure check)"),
  samples: count.describe("Days of history behind the forecast's slot"),
});

export const requestSchema = z
  .strictObject({
    now: instant,
    policy: policySchema,
    service: serviceStateSchema,
    observations: z.array(observationSchema).describe("One per policy.triggers entry, same order"),
    history: historySchema.optional(),
    intervalSeconds: z
      .number()
      .min(0)
      .optional()
      .describe(
        "How often the service is decided, seconds: the stabilization windows read the run-encoded history as decisions at this cadence",
      ),
    forecast: forecastSchema
      .optional()
      .describe(
        "A predictive policy's forecast arrival rate (the runtime computes it from the stored profile)",
      ),
  })
  .superRefine((r, ctx) => {
    if (r.observations.length !== r.policy.triggers.length) {
      ctx.addIssue({
        code: "custom",
        path: ["observations"],
        message: `expected ${r.policy.triggers.length} observation(s), one per trigger, got ${r.observations.length}`,
      });
      return;
    }
    r.observations.forEach((o, i) => {
      if (o.error !== undefined) return;
      const trigger = r.policy.triggers[i]!;
      const need = (field: keyof typeof o, why: string) => {
        if (o[field] === undefined)
          ctx.addIssue({ code: "custom", path: ["observations", i, field], message: `required ${why}` });
      };
      const foreign = (fields: (keyof typeof o)[], kind: string) => {
        for (const field of fields) {
          if (o[field] !== undefined)
            ctx.addIssue({
              code: "custom",
              path: ["observations", i, field],
              message: `not used by ${kind} trigger`,
            });
        }
      };
      if (trigger.type === "sqs") {
        foreign(["value"], "an sqs");
        need("visible", "for an sqs trigger");
        if (trigger.includeInFlight) need("inFlight", "when includeInFlight is true");
        if (trigger.includeDelayed) need("delayed", "when includeDelayed is true");
      } else {
        foreign(["visible", "inFlight", "delayed", "arrivalRate", "processingRatePerTask"], "a metric");
        need("value", "for a metric trigger");
      }
    });
  });

/** A request as a caller writes it (before defaults). */
export type DecideRequestInput = z.input<typeof requestSchema>;

/** Compile-time check: each schema produces exactly the engine's type (see contract.ts). */
export const requestSchemasAgree: {
  request: Agrees<z.output<typeof requestSchema>, DecideRequest>;
  service: Agrees<z.output<typeof serviceStateSchema>, ServiceState>;
  observation: Agrees<z.output<typeof observationSchema>, Observation>;
  history: Agrees<z.output<typeof historySchema>, History>;
  forecast: Agrees<z.output<typeof forecastSchema>, Forecast>;
} = { request: true, service: true, observation: true, history: true, forecast: true };

/** Parses and validates a raw `decide` request; throws {@link ValidationError} naming every bad path. */
export function parseDecideRequest(json: unknown): DecideRequest {
  const result = requestSchema.safeParse(json);
  if (!result.success) throw new ValidationError("request", problemsOf(result.error));
  return result.data;
}
