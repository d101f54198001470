/**
 * The task-events Lambda function: ECS Task State Change, ECS Service Action and ECS Deployment
 * State Change events of the configured services. Thin wiring only (see ./handle.ts): config and
 * clients once per container at module scope; an invalid config fails the initialisation.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import { awsClients } from "../../shared/aws/clients.ts";
import { awsRuntimeDeps, loadRuntimeConfig } from "../../shared/runtime/lambda-setup.ts";
import { PowertoolsSink } from "../../shared/runtime/powertools-sink.ts";
import { handleEventInvocation } from "./handle.ts";

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

export const handler = middy(async (event: unknown) =>
  handleEventInvocation(deps, config, event, { now: new Date(), logger, sink }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
