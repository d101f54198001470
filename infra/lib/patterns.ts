/**
 * EventBridge event patterns, filtered to the configured clusters, so the functions are invoked only
 * for events of those clusters (and pay nothing for the rest of the account's ECS traffic). A pattern
 * grows per cluster, never per service, so it stays within EventBridge's 2,048 characters at 1,000
 * services; events of services of those clusters that the config does not name are ignored by the
 * handler ("event ignored"). Each pattern filters on fields that the AWS example events carry
 * (test/infra checks this): task events on `detail.clusterArn` and a `service:` prefix of
 * `detail.group` (tasks of services, not standalone tasks); service action and deployment events on
 * a prefix of `resources` (the service ARN; deployment events have no `detail.clusterArn`); alarm
 * events on `detail.alarmName`.
 */
import { type CfnSub, clusterArn, clusterServicesPrefix } from "./arns.ts";
import type { DeployPlan } from "./plan.ts";

/** EventBridge prefix matching: `{ "prefix": "…" }` matches every value starting with it. */
export interface PrefixMatch {
  prefix: string | CfnSub;
}

export interface EventPattern {
  source: string[];
  "detail-type": string[];
  resources?: PrefixMatch[];
  detail?: Record<string, (string | CfnSub | PrefixMatch)[]>;
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
 * Builds the patterns. Every service of the configured clusters matches, on-demand siblings too:
 * their task events and deployments matter to the Spot pair (a sibling's deployment holds its
 * scale-in; its tasks failing trips the crash-loop guard).
 */
export function eventPatterns(plan: DeployPlan): EventPatterns {
  const serviceArns = plan.clusters.map((c) => ({ prefix: clusterServicesPrefix(c) }));
  return {
    ecsTask: {
      source: ["aws.ecs"],
      "detail-type": ["ECS Task State Change"],
      detail: {
        clusterArn: plan.clusters.map(clusterArn),
        group: [{ prefix: "service:" }],
        lastStatus: TASK_STATUSES,
      },
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
