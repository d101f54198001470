/**
 * What each Lambda function builds once per container, at module scope, before any event: Powertools
 * Logger and Metrics, the decision sink, the validated config and the AWS adapters. An invalid config
 * or environment is logged and rethrown, so the function fails its initialisation loudly.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { awsClients } from "../../shared/aws/clients.ts";
import type { Config } from "../../shared/config/config-file.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import {
  type AwsRuntimeDeps,
  awsRuntimeDeps,
  loadRuntimeConfig,
  type RuntimeSettings,
} from "./lambda-setup.ts";
import { METRIC, PowertoolsSink } from "./powertools-sink.ts";

export interface LambdaContainer {
  logger: Logger;
  metrics: Metrics;
  sink: PowertoolsSink;
  settings: RuntimeSettings;
  config: Config;
  deps: AwsRuntimeDeps;
  /** What the container's adapters did since the last usage line (functions/lib/usage-log.ts). */
  usage: UsageCounter;
}

/** Builds the container's shared parts from `env`; throws (after logging) on an invalid config. */
export function initLambdaContainer(env: Readonly<Record<string, string | undefined>>): LambdaContainer {
  const logger = new Logger();
  const metrics = new Metrics();
  const sink = new PowertoolsSink(logger, metrics);
  let loaded: ReturnType<typeof loadRuntimeConfig>;
  try {
    loaded = loadRuntimeConfig(env);
  } catch (error) {
    logger.error("invalid configuration: the function will not run", { error: (error as Error).message });
    throw error;
  }
  const usage = new UsageCounter();
  const deps = awsRuntimeDeps(
    awsClients(),
    loaded.settings,
    sink,
    undefined,
    (message, fields) => logger.warn(message, fields),
    usage,
    () => sink.count(METRIC.updateBudgetFallbacks),
  );
  return { logger, metrics, sink, ...loaded, deps, usage };
}
