/**
 * The evaluate Lambda function: EventBridge Scheduler ticks and CloudWatch alarm state changes.
 * Thin wiring only (see ./invocation.ts): the config is loaded and validated, and the clients built,
 * once per container at module scope; an invalid config fails the function's initialisation.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { initLambdaContainer } from "../lib/lambda-container.ts";
import { evaluateInvocation } from "./invocation.ts";

const { logger, metrics, sink, settings, config, deps } = initLambdaContainer(process.env);
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
  .use(logMetrics(metrics));
