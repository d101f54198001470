/**
 * The evaluate Lambda function: EventBridge Scheduler ticks and CloudWatch alarm state changes.
 * Thin wiring only (see ./invocation.ts): the config is loaded and validated, and the clients built,
 * once per container at module scope; an invalid config fails the function's initialisation.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { awsClients } from "../../shared/aws/clients.ts";
import { PASS_QUEUE_ENV, SqsPassQueue } from "../../shared/aws/sqs-pass-queue.ts";
import { initLambdaContainer } from "../lib/lambda-container.ts";
import { sourceMappedErrors } from "../lib/source-mapped-stack.ts";
import { usageLogMiddleware } from "../lib/usage-log.ts";
import { type EvaluateDeps, evaluateInvocation } from "./invocation.ts";

const {
  logger,
  metrics,
  sink,
  settings,
  config,
  deps: runtimeDeps,
  usage,
} = initLambdaContainer(process.env);
// The container's clients (built by initLambdaContainer): the same SQS client as the queue reads.
const passQueueUrl = process.env[PASS_QUEUE_ENV]?.trim();
const deps: EvaluateDeps = passQueueUrl
  ? { ...runtimeDeps, passQueue: new SqsPassQueue(awsClients().sqs, passQueueUrl, usage) }
  : runtimeDeps;
logger.info("evaluate function ready", {
  services: config.services.length,
  dryRun: settings.dryRun,
  intervalSeconds: config.intervalSeconds,
  passQueue: passQueueUrl ? "queued passes" : "none: each tick loops through its minute",
});

export const handler = middy(async (event: unknown, context: Context) =>
  evaluateInvocation(deps, config, event, {
    now: new Date(),
    remainingMs: context.getRemainingTimeInMillis(),
    logger,
    sink,
  }),
)
  .use(sourceMappedErrors())
  .use(injectLambdaContext(logger))
  .use(usageLogMiddleware(logger, usage))
  .use(logMetrics(metrics));
