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
import type { Config } from "../../shared/config/config-file.ts";
import { type ConfigProblem, ValidationError } from "../../shared/config/issues.ts";
import { readPackagedConfig } from "../../shared/config/packaged.ts";
import type { CapacityProvidersPort } from "../../shared/ports/capacity-providers.ts";
import { type Clock, systemClock } from "../../shared/ports/clock.ts";
import type { DecisionSink } from "../../shared/ports/decision-sink.ts";
import type { EvaluationDeps } from "../../shared/runtime/evaluation-pass.ts";

/** The environment variables the functions read. */
export const ENV = {
  configPath: "CONFIG_PATH",
  stateTable: STATE_TABLE_ENV,
  dryRun: "DRY_RUN",
  intervalSeconds: "INTERVAL_SECONDS",
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
  if (problems.length > 0) throw new ValidationError("the function's environment", problems);
  return { configPath, tableName, dryRun: dryRunText !== "false", intervalSeconds };
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

/** The real adapters around the container's clients. */
export function awsRuntimeDeps(
  clients: AwsClients,
  settings: RuntimeSettings,
  sink: DecisionSink,
  clock: Clock = systemClock,
): AwsRuntimeDeps {
  return {
    services: new EcsServices(clients.ecs, { clock }),
    queues: new SqsQueues(clients.sqs),
    metrics: new CloudWatchMetrics(clients.cloudwatch),
    state: new DynamoDbStateStore(clients.dynamodb, settings.tableName),
    capacityProviders: new EcsCapacityProviders(clients.ecs, { clock }),
    sink,
    dryRun: settings.dryRun,
    clock,
  };
}
