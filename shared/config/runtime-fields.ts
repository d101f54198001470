/**
 * The config-file fields that only the AWS runtime reads (not the engine): per service Spot fallback,
 * crash-loop guard and the CloudWatch alarms that trigger an evaluation; top-level EC2 capacity-provider
 * managed-scaling settings per schedule window. (The runtime's own environment settings are
 * `RuntimeSettings`, read from the Lambda environment, not from this file.) Same rules as the policy: strict objects, defaults
 * applied here once, problems reported at their JSON path.
 */
import { z } from "zod";
import { alarmName, capacityProviderName, serviceName } from "./aws-names.ts";
import { cronProblem, timeZoneProblem } from "./cron.ts";

const positiveInt = z.number().int().min(1);
const nonNegativeInt = z.number().int().min(0);

export const spotFallbackSchema = z
  .strictObject({
    onDemandService: serviceName(
      "The on-demand sibling service (same cluster, same task definition) that runs the tasks Spot cannot place",
    ),
    coolOffSeconds: nonNegativeInt
      .max(86_400)
      .default(300)
      .describe("How long the Spot service must stay steady before the shifted tasks move back to it"),
  })
  .describe(
    "Fargate Spot with an on-demand sibling: the policy decides the pair's total, Spot runs what it can",
  );

export const crashLoopGuardSchema = z
  .strictObject({
    maxFailures: positiveInt.default(3).describe("Start failures within windowSeconds that trip the guard"),
    windowSeconds: z.number().int().min(60).max(86_400).default(600).describe("How far back failures count"),
    margin: nonNegativeInt
      .default(1)
      .describe("While tripped, scale-up stops at the running count plus this many tasks"),
    minUptimeSeconds: nonNegativeInt
      .max(3600)
      .default(60)
      .describe("A task whose essential container exits sooner than this after starting counts as a failure"),
  })
  .prefault({})
  .describe("Stops scale-up while new tasks keep failing to start");

const targetCapacity = z
  .number()
  .int()
  .min(1)
  .max(100)
  .describe("Target utilisation %, 1–100 (90 keeps ~10 % spare)");
const stepSize = z.number().int().min(1).max(10_000);

function checkStepSizes(
  m: { minimumScalingStepSize?: number | undefined; maximumScalingStepSize?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (
    m.minimumScalingStepSize !== undefined &&
    m.maximumScalingStepSize !== undefined &&
    m.minimumScalingStepSize > m.maximumScalingStepSize
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["minimumScalingStepSize"],
      message: `minimumScalingStepSize ${m.minimumScalingStepSize} is above maximumScalingStepSize ${m.maximumScalingStepSize}`,
    });
  }
}

/**
 * The managed-scaling fields of an EC2 (Auto Scaling group) capacity provider this tool sets, outside
 * every window. Fields left out are left as the provider has them.
 */
export const managedScalingSchema = z
  .strictObject({
    targetCapacity,
    minimumScalingStepSize: stepSize.optional().describe("Instances added at least per scale-out step"),
    maximumScalingStepSize: stepSize.optional().describe("Instances added at most per scale-out step"),
  })
  .superRefine(checkStepSizes);

/** A window's managed-scaling fields: each one set replaces the baseline's while inside. */
export const windowManagedScalingSchema = z
  .strictObject({
    targetCapacity: targetCapacity.optional(),
    minimumScalingStepSize: stepSize.optional(),
    maximumScalingStepSize: stepSize.optional(),
  })
  .superRefine((m, ctx) => {
    if (Object.values(m).every((v) => v === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "set at least one of targetCapacity, minimumScalingStepSize, maximumScalingStepSize",
      });
    }
    checkStepSizes(m, ctx);
  });

export const capacityScheduleSchema = z
  .strictObject({
    name: z.string().min(1),
    start: z.string().describe("5-field cron: when the window opens"),
    end: z.string().describe("5-field cron: when the window closes; the window is [start, end)"),
    timezone: z.string().default("UTC").describe("IANA time zone; DST-correct"),
    managedScaling: windowManagedScalingSchema.describe(
      "Replaces the baseline's fields while inside the window",
    ),
  })
  .superRefine((s, ctx) => {
    const startProblem = cronProblem(s.start);
    if (startProblem) ctx.addIssue({ code: "custom", path: ["start"], message: startProblem });
    const endProblem = cronProblem(s.end);
    if (endProblem) ctx.addIssue({ code: "custom", path: ["end"], message: endProblem });
    if (!startProblem && s.start.trim() === s.end.trim()) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "start and end are the same time" });
    }
    const zoneProblem = timeZoneProblem(s.timezone);
    if (zoneProblem) ctx.addIssue({ code: "custom", path: ["timezone"], message: zoneProblem });
  });

export const capacityProviderSchema = z
  .strictObject({
    name: capacityProviderName,
    managedScaling: managedScalingSchema.describe("Settings outside every window"),
    schedules: z.array(capacityScheduleSchema).default([]).describe("Windows; the most recently opened wins"),
  })
  .superRefine((p, ctx) => {
    if (p.name === "FARGATE" || p.name === "FARGATE_SPOT") {
      ctx.addIssue({ code: "custom", path: ["name"], message: `${p.name} has no managed scaling to set` });
    }
    p.schedules.forEach((s, i) => {
      const min = s.managedScaling.minimumScalingStepSize ?? p.managedScaling.minimumScalingStepSize;
      const max = s.managedScaling.maximumScalingStepSize ?? p.managedScaling.maximumScalingStepSize;
      if (min !== undefined && max !== undefined && min > max) {
        ctx.addIssue({
          code: "custom",
          path: ["schedules", i, "managedScaling"],
          message: `inside "${s.name}" minimumScalingStepSize ${min} would be above maximumScalingStepSize ${max}`,
        });
      }
    });
  });

/** The runtime's per-service fields, spread into the service entry of the config file. */
export const serviceRuntimeFields = {
  spotFallback: spotFallbackSchema.optional(),
  crashLoopGuard: crashLoopGuardSchema,
  alarms: z
    .array(alarmName)
    .default([])
    .describe(
      "CloudWatch alarm names whose state changes evaluate this service at once (besides the 1-minute tick)",
    ),
};

export type CrashLoopGuardSettings = z.output<typeof crashLoopGuardSchema>;
export type CapacityProviderConfig = z.output<typeof capacityProviderSchema>;
