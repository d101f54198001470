/**
 * The evaluate Lambda function: EventBridge Scheduler ticks and CloudWatch alarm state changes.
 * Thin wiring only (see ./evaluate.ts): the config is loaded and validated, and the clients built,
 * once per container at module scope; an invalid config fails the function's initialisation.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { awsClients } from "../../shared/aws/clients.ts";
import { awsRuntimeDeps, loadRuntimeConfig } from "../../shared/runtime/lambda-setup.ts";
import { PowertoolsSink } from "../../shared/runtime/powertools-sink.ts";
import { evaluateInvocation } from "./evaluate.ts";

const logger = new Logger();
const metrics = new Metrics();
const sink = new PowertoolsSink(logger, metrics);
const { settings, config } = (() => {
  try {
    return loadRuntimeConfig(process.env);
  } catch (error) {
    logger.error("invalid configuration: the function will not run", { error: (error as Error).message });
    throw error;
  }
})();
const deps = awsRuntimeDeps(awsClients(), settings, sink);
logger.info("evaluate function ready", {
  services: config.services.length,
  dryRun: settings.dryRun,
  intervalSeconds: config.intervalSeconds,
});

export const handler = middy(async (event: unknown, context: Context) =>
  evaluateInvocation(deps, config, event, {
    now: new Date(),
    remainingMs: context.getRemainingTimeInMillis(),
    logger,
    sink,
  }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
