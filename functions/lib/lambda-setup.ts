/**
 * What both Lambda functions do once per container, before any event: read the environment, read
 * the packaged config (validated at package time, checked against its hash here), and wire the AWS
 * adapters to the runtime. An invalid environment or config file throws here with every problem
 * listed, so the function fails to initialise loudly (and the deployment's smoke check with it)
 * instead of silently scaling nothing.
 */
import { readFileSync } from "node:fs";
import type { AwsClients } from "../../shared/aws/clients.ts";
import { CloudWatchMetrics } from "../../shared/aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore, STATE_TABLE_ENV } from "../../shared/aws/dynamodb-state-store.ts";
import { EcsCapacityProviders } from "../../shared/aws/ecs-capacity-providers.ts";
import { EcsServices } from "../../shared/aws/ecs-services.ts";
import { SqsQueues } from "../../shared/aws/sqs-queues.ts";
import { sharedUpdateBudget } from "../../shared/aws/update-budget.ts";
import type { Config } from "../../shared/config/config-file.ts";
import { type ConfigProblem, ValidationError } from "../../shared/config/issues.ts";
import { readPackagedConfig } from "../../shared/config/packaged.ts";
import type { CapacityProvidersPort } from "../../shared/ports/capacity-providers.ts";
import { type Clock, systemClock } from "../../shared/ports/clock.ts";
import type { DecisionSink } from "../../shared/ports/decision-sink.ts";
import type { PortFailure } from "../../shared/ports/failure.ts";
import type { UsageMeter } from "../../shared/ports/usage.ts";
import type { EvaluationDeps } from "../../shared/runtime/evaluation-pass.ts";

/** The environment variables the functions read. */
export const ENV = {
  configPath: "CONFIG_PATH",
  stateTable: STATE_TABLE_ENV,
  dryRun: "DRY_RUN",
  intervalSeconds: "INTERVAL_SECONDS",
  updatesPerSecond: "UPDATE_BUDGET_PER_SECOND",
} as const;

export interface RuntimeSettings {
  configPath: string;
  tableName: string;
  /**
   * DRY_RUN=true: decide and log, never UpdateService (nor UpdateCapacityProvider). Unset or empty:
   * true as well; only DRY_RUN=false scales for real, so a function deployed by hand cannot act by omission.
   */
  dryRun: boolean;
  /** INTERVAL_SECONDS overrides the config's intervalSeconds (1–60). */
  intervalSeconds?: number;
  /**
   * UPDATE_BUDGET_PER_SECOND: UpdateService calls per second for every function of the stack
   * together (1–5; default 4, shared/aws/update-budget.ts). Lower it when several stacks share an
   * account and Region, so their limits add up to 4.
   */
  updatesPerSecond?: number;
}

/** Reads the settings; throws {@link ValidationError} naming every bad or missing variable. */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): RuntimeSettings {
  const problems: ConfigProblem[] = [];
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) problems.push({ path: name, message: "is not set" });
    return value ?? "";
  };
  const configPath = required(ENV.configPath);
  const tableName = required(ENV.stateTable);
  const dryRunText = env[ENV.dryRun]?.trim().toLowerCase();
  if (dryRunText !== undefined && dryRunText !== "" && dryRunText !== "true" && dryRunText !== "false") {
    problems.push({
      path: ENV.dryRun,
      message: `must be "true" or "false", got ${JSON.stringify(env[ENV.dryRun])}`,
    });
  }
  const intervalText = env[ENV.intervalSeconds]?.trim();
  let intervalSeconds: number | undefined;
  if (intervalText) {
    intervalSeconds = Number(intervalText);
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > 60) {
      problems.push({
        path: ENV.intervalSeconds,
        message: `must be a whole number of seconds from 1 to 60, got ${JSON.stringify(intervalText)}`,
      });
    }
  }
  const updatesPerSecond = wholeNumber(env, ENV.updatesPerSecond, 1, 5, "calls per second", problems);
  if (problems.length > 0) throw new ValidationError("the function's environment", problems);
  return { configPath, tableName, dryRun: dryRunText !== "false", intervalSeconds, updatesPerSecond };
}

/** An optional whole-number variable within [min, max]; a bad value is added to `problems`. */
function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  min: number,
  max: number,
  unit: string,
  problems: ConfigProblem[],
): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const n = Number(text);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push({
    path: name,
    message: `must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(text)}`,
  });
  return undefined;
}

/** Settings and the packaged config (INTERVAL_SECONDS applied). Throws with every problem listed. */
export function loadRuntimeConfig(env: Readonly<Record<string, string | undefined>>): {
  settings: RuntimeSettings;
  config: Config;
} {
  const settings = settingsFromEnv(env);
  const config = loadPackagedConfigFile(settings.configPath);
  return {
    settings,
    config:
      settings.intervalSeconds !== undefined
        ? { ...config, intervalSeconds: settings.intervalSeconds }
        : config,
  };
}

/** Reads the packaged config at `path` (see shared/config/packaged.ts); throws {@link ValidationError}. */
export function loadPackagedConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ValidationError(path, [
      { path: "$", message: `cannot read the config file: ${(error as Error).message}` },
    ]);
  }
  return readPackagedConfig(text, path);
}

export interface AwsRuntimeDeps extends EvaluationDeps {
  clock: Clock;
  capacityProviders: CapacityProvidersPort;
}

/** Logs one warning with its fields (the container's logger). */
export type Warn = (message: string, fields: Record<string, unknown>) => void;

/**
 * The real adapters around the container's clients. UpdateService calls come from the budget shared
 * through the state table by every evaluator invocation and the task-events function
 * (shared/aws/update-budget.ts); `warn` hears of the first time it had to fall back to a local bucket;
 * `meter` counts what the adapters do (calls, metrics requested, DynamoDB units) for the usage line;
 * `countBudgetFallback` hears of every fallback (the container counts it as a metric).
 */
export function awsRuntimeDeps(
  clients: AwsClients,
  settings: RuntimeSettings,
  sink: DecisionSink,
  clock: Clock = systemClock,
  warn: Warn = () => undefined,
  meter?: UsageMeter,
  countBudgetFallback?: () => void,
): AwsRuntimeDeps {
  const budget = sharedUpdateBudget(clients.dynamodb, settings.tableName, {
    perSecond: settings.updatesPerSecond,
    clock,
    onFirstFallback: (failure: PortFailure) =>
      warn("UpdateService budget: the state table could not be reached, pacing with a local bucket", {
        error: failure.message,
        kind: failure.kind,
      }),
    ...(countBudgetFallback ? { onFallback: countBudgetFallback } : {}),
  });
  return {
    services: new EcsServices(clients.ecs, {
      clock,
      budget,
      updateClient: clients.ecsUpdates,
      ...(meter ? { meter } : {}),
    }),
    queues: new SqsQueues(clients.sqs, meter),
    metrics: new CloudWatchMetrics(clients.cloudwatch, meter ? { meter } : {}),
    state: new DynamoDbStateStore(clients.dynamodb, settings.tableName, meter),
    capacityProviders: new EcsCapacityProviders(clients.ecs, { clock }),
    sink,
    dryRun: settings.dryRun,
    clock,
  };
}
