/** Deployment plans that exercise every row of the dashboard, for the dashboard snapshot test. */
import { type DeployPlan, planDeployment } from "../../infra/lib/plan.ts";
import { checkConfig } from "../../shared/config/index.ts";
import { fleetConfig } from "./fleet-config.ts";

const queue = (name: string, region = "eu-west-1") => `https://sqs.${region}.amazonaws.com/123456789012/${name}`;

function planOf(config: unknown): DeployPlan {
  const checked = checkConfig(config);
  if (!checked.config) throw new Error(JSON.stringify(checked.problems));
  const planned = planDeployment(checked.config);
  if (!planned.plan) throw new Error(JSON.stringify(planned.problems));
  return planned.plan;
}

/** Named plans; each has a snapshot test/fixtures/dashboard/<name>.json per dry-run setting. */
export const dashboardPlans: Record<string, () => DeployPlan> = {
  "one-spot-service": () =>
    planOf({
      services: [{ cluster: "prod", service: "worker", policy: { maxTasks: 10, triggers: [{ type: "sqs", queueUrl: queue("jobs") }] }, spotFallback: { onDemandService: "worker-od" } }],
    }),
  "three-services-two-queues": () =>
    planOf({
      services: [
        { cluster: "prod", service: "worker", policy: { maxTasks: 10, triggers: [{ type: "sqs", queueUrl: queue("jobs"), targetWaitSeconds: 30, secondsPerMessage: 2 }] } },
        {
          cluster: "prod",
          service: "api",
          policy: { maxTasks: 8, triggers: [{ type: "metric", metric: { namespace: "App", name: "Load" }, target: 50 }] },
          spotFallback: { onDemandService: "api-od" },
        },
        {
          cluster: "batch",
          service: "reports",
          policy: {
            minTasks: 0,
            maxTasks: 4,
            triggers: [
              { type: "sqs", queueUrl: queue("reports", "us-east-1") },
              { type: "metric", expression: "SUM(METRICS())", target: 5 },
            ],
          },
        },
      ],
    }),
  /** Beyond 50 services: per-cluster and per-region SEARCH widgets instead of one per service and queue. */
  "fleet-of-120": () => planOf(fleetConfig(120)),
};
