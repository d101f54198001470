/**
 * The task-events Lambda function: ECS Task State Change, ECS Service Action and ECS Deployment
 * State Change events of the configured services. Thin wiring only (see ./invocation.ts): config and
 * clients once per container at module scope; an invalid config fails the initialisation.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import { initLambdaContainer } from "../lib/lambda-container.ts";
import { sourceMappedErrors } from "../lib/source-mapped-stack.ts";
import { usageLogMiddleware } from "../lib/usage-log.ts";
import { handleEventInvocation } from "./invocation.ts";

const { logger, metrics, sink, config, deps, usage } = initLambdaContainer(process.env);

export const handler = middy(async (event: unknown) =>
  handleEventInvocation(deps, config, event, { now: new Date(), logger, sink }),
)
  .use(sourceMappedErrors())
  .use(injectLambdaContext(logger))
  .use(usageLogMiddleware(logger, usage))
  .use(logMetrics(metrics));
