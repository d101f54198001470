/**
 * The values serverless.yml reads through infra/values.cjs: everything in the stack that depends on
 * the config (artifacts, environment, event patterns, IAM statements, dashboard, per-service alarms),
 * computed once at package time and written as one JSON file, so what is deployed can be inspected
 * before it is deployed.
 */
import { createHash } from "node:crypto";
import { shardCount } from "../../functions/evaluate/shards.ts";
import { PASS_QUEUE_ENV } from "../../shared/aws/sqs-pass-queue.ts";
import type { BundleOutput, LambdaName } from "./bundle.ts";
import { healthAlarms } from "./health-alarms.ts";
import { functionStatements, LOGICAL_IDS, type PolicyStatement, schedulerStatements } from "./iam.ts";
import { dashboardBody, serviceAlarms } from "./observability.ts";
import { type EventPatterns, eventPatterns } from "./patterns.ts";
import type { DeployPlan } from "./plan.ts";
import type { DeploySettings } from "./settings.ts";

/** Where the artifacts and the values file go unless told otherwise, relative to the repository root. */
export const DEFAULT_OUT_DIR = "dist/lambda";
/** The values file's name inside the output directory (infra/values.cjs reads the default one). */
export const VALUES_FILE_NAME = "deploy-values.json";

export interface DeployValues {
  /** SHA-256 of the packaged config file, a stack output: which config is deployed. */
  configSha256: string;
  /** The parameters as serverless.yml resolves them (`custom.ecsAutoscaler`), "" when not given. */
  params: {
    config: string;
    dryRun: string;
    interval: string;
    alarmTopicArn: string;
    updatesPerSecond: string;
  };
  configPath: string;
  dryRun: boolean;
  /** Zip artifacts, relative to the repository root. */
  artifacts: Record<"evaluate" | "taskEvents", string>;
  /** Environment variables from the parameters (both functions; the static ones are in serverless.yml). */
  environment: Record<string, string>;
  /** The evaluator's: {@link DeployValues.environment} and the pass queue's URL. */
  evaluateEnvironment: Record<string, string | { Ref: string }>;
  patterns: EventPatterns;
  /**
   * The evaluator's events: the pass queue's SQS event source mapping, and the alarm rule, only when
   * some service names alarms.
   */
  evaluateEvents: ({ eventBridge: Record<string, unknown> } | { sqs: PassQueueEvent })[];
  iam: { evaluate: PolicyStatement[]; taskEvents: PolicyStatement[]; scheduler: PolicyStatement[] };
  /** Dashboard JSON as an `Fn::Sub` template (region, function and queue names are the stack's). */
  dashboardBody: { "Fn::Sub": string };
  /** Alarm actions: the SNS topic when one was given, else none. */
  alarmActions: string[];
  /**
   * Generated CloudWatch alarms as CloudFormation resources: per service (crash-loop guard, Spot
   * fallback; one fleet-wide alarm each beyond 50 services) and the autoscaler's health.
   */
  serviceAlarms: { Resources: Record<string, unknown> };
  plan: DeployPlan;
}

/** The pass queue's event source mapping, as the framework's `sqs` event declares it. */
export interface PassQueueEvent {
  arn: { "Fn::GetAtt": [string, "Arn"] };
  batchSize: 1;
  maximumConcurrency: number;
}

/**
 * The evaluator's SQS event source mapping on the pass queue: one message (one pass) per invocation,
 * so a pass is never held behind another in the same batch; at most 2 concurrent invocations (the
 * least SQS mappings allow), or one per shard when the fleet is sharded, so a minute's shard passes
 * run side by side without letting the mapping scale out further.
 */
export function passQueueEvent(services: number): { sqs: PassQueueEvent } {
  return {
    sqs: {
      arn: { "Fn::GetAtt": [LOGICAL_IDS.passQueue, "Arn"] },
      batchSize: 1,
      maximumConcurrency: Math.max(2, shardCount(services)),
    },
  };
}

/** Assembles the values from the plan, the settings and the built artifacts. */
export function deployValues(input: {
  configText: string;
  settings: DeploySettings;
  plan: DeployPlan;
  bundles: Record<LambdaName, BundleOutput>;
  /** Turns an absolute artifact path into one relative to the repository root. */
  relativePath: (path: string) => string;
}): DeployValues {
  const { settings, plan } = input;
  const patterns = eventPatterns(plan);
  const environment: Record<string, string> = {
    DRY_RUN: String(settings.dryRun),
    ...(settings.intervalSeconds !== undefined ? { INTERVAL_SECONDS: String(settings.intervalSeconds) } : {}),
    ...(settings.updatesPerSecond !== undefined
      ? { UPDATE_BUDGET_PER_SECOND: String(settings.updatesPerSecond) }
      : {}),
  };
  const alarmActions = settings.alarmTopicArn ? [settings.alarmTopicArn] : [];
  return {
    configSha256: createHash("sha256").update(input.configText).digest("hex"),
    params: {
      config: settings.configPath,
      dryRun: String(settings.dryRun),
      interval: settings.intervalSeconds !== undefined ? String(settings.intervalSeconds) : "",
      alarmTopicArn: settings.alarmTopicArn ?? "",
      updatesPerSecond: settings.updatesPerSecond !== undefined ? String(settings.updatesPerSecond) : "",
    },
    configPath: settings.configPath,
    dryRun: settings.dryRun,
    artifacts: {
      evaluate: input.relativePath(input.bundles.evaluate.artifact),
      taskEvents: input.relativePath(input.bundles["task-events"].artifact),
    },
    environment,
    evaluateEnvironment: { ...environment, [PASS_QUEUE_ENV]: { Ref: LOGICAL_IDS.passQueue } },
    patterns,
    evaluateEvents: [
      passQueueEvent(plan.services.filter((s) => s.role === "configured").length),
      ...(patterns.alarm
        ? [
            {
              eventBridge: {
                description:
                  "CloudWatch alarm state changes of the alarms the config names: evaluate at once",
                pattern: patterns.alarm,
                // A missed alarm event costs at most one tick (a minute): retry briefly, no dead letters.
                retryPolicy: { maximumEventAge: 60, maximumRetryAttempts: 2 },
              },
            },
          ]
        : []),
    ],
    iam: {
      evaluate: functionStatements(plan, "evaluate"),
      taskEvents: functionStatements(plan, "task-events"),
      scheduler: schedulerStatements(),
    },
    dashboardBody: dashboardBody(plan, { dryRun: settings.dryRun }),
    alarmActions,
    serviceAlarms: { Resources: { ...serviceAlarms(plan, alarmActions), ...healthAlarms(alarmActions) } },
    plan,
  };
}
