/**
 * EventBridge event patterns, filtered to what the config names, so the functions are invoked only
 * for events they act on (and pay nothing for the rest of the account's ECS traffic). Each pattern
 * filters on fields that the real AWS example events carry (test/infra checks this against
 * shared/reference/events): task events on `detail.clusterArn` and `detail.group`; service action and
 * deployment events on `resources` (the service ARN; deployment events have no `detail.clusterArn`);
 * alarm events on `detail.alarmName`.
 */
import { type CfnSub, clusterArn, serviceArn } from "./arns.ts";
import type { DeployPlan } from "./plan.ts";

export interface EventPattern {
  source: string[];
  "detail-type": string[];
  resources?: CfnSub[];
  detail?: Record<string, (string | CfnSub)[]>;
}

/**
 * The task states task-events acts on: RUNNING (start-up samples; the Fargate Spot termination notice
 * is a RUNNING task with desiredStatus STOPPED) and STOPPED (start failures; Spot interruptions keep
 * their stop code to the end). A task sends about eight state changes in its life; the six in
 * between would each cost an invocation and a state-record write racing the evaluator's, for nothing.
 */
export const TASK_STATUSES = ["RUNNING", "STOPPED"];

/** The four patterns; `alarm` is undefined when no service names an alarm. */
export interface EventPatterns {
  ecsTask: EventPattern;
  ecsServiceAction: EventPattern;
  ecsDeployment: EventPattern;
  alarm?: EventPattern;
}

/**
 * Builds the patterns. Every service in the plan is included, on-demand siblings too: their task
 * events and deployments matter to the Spot pair (a sibling's deployment holds its scale-in; its
 * tasks failing trips the crash-loop guard).
 */
export function eventPatterns(plan: DeployPlan): EventPatterns {
  const serviceArns = plan.services.map((s) => serviceArn(s.cluster, s.service));
  const groups = [...new Set(plan.services.map((s) => `service:${s.service}`))];
  return {
    ecsTask: {
      source: ["aws.ecs"],
      "detail-type": ["ECS Task State Change"],
      detail: { clusterArn: plan.clusters.map(clusterArn), group: groups, lastStatus: TASK_STATUSES },
    },
    ecsServiceAction: { source: ["aws.ecs"], "detail-type": ["ECS Service Action"], resources: serviceArns },
    ecsDeployment: {
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources: serviceArns,
    },
    ...(plan.alarmNames.length > 0
      ? {
          alarm: {
            source: ["aws.cloudwatch"],
            "detail-type": ["CloudWatch Alarm State Change"],
            detail: { alarmName: plan.alarmNames },
          },
        }
      : {}),
  };
}
