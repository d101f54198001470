/**
 * The functions' IAM policies, generated from the deployment plan at package time. An autoscaler
 * holds the power to stop every service in an account, so each statement names the exact actions the
 * adapters call and the resources the config names. No statement has a wildcard action;
 * `Resource: "*"` appears only where the action has no resource-level permissions.
 *
 * The policy does not grow per service, so a stack of 1,000 services stays within IAM's 10,240
 * characters per role: ECS services are granted per configured cluster (`service/<cluster>/*`, with
 * the `ecs:cluster` condition key naming the same clusters, and optionally a required resource tag),
 * queues one ARN each unless the config groups them under a name prefix it declares.
 */
import { BUDGET_KEY_PREFIX } from "../../shared/aws/update-budget.ts";
import { type CfnSub, capacityProviderArn, clusterArn, clusterServicesPrefix } from "./arns.ts";
import type { DeployPlan } from "./plan.ts";

/** A CloudFormation `Fn::GetAtt`. */
export interface CfnGetAtt {
  "Fn::GetAtt": [string, string];
}

export type CfnString = string | CfnSub | CfnGetAtt;

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: CfnString | CfnString[];
  Condition?: Record<string, Record<string, CfnString | CfnString[]>>;
}

/** Logical IDs of the stack resources the policies refer to (declared in infra/*.yml). */
export const LOGICAL_IDS = {
  table: "StateTable",
  failedEvents: "FailedEventsQueue",
  passQueue: "PassQueue",
  evaluateRole: "EvaluateRole",
  taskEventsRole: "TaskEventsRole",
  schedulerRole: "SchedulerRole",
  /** The Serverless Framework names a function's log group `<Normalized>LogGroup`. */
  evaluateLogGroup: "EvaluateLogGroup",
  taskEventsLogGroup: "TaskDasheventsLogGroup",
} as const;

/** The two functions and what each one's code does. */
export type FunctionName = "evaluate" | "task-events";

const getAtt = (id: string, attribute = "Arn"): CfnGetAtt => ({ "Fn::GetAtt": [id, attribute] });

/**
 * The statements of one function's execution role.
 *
 * - Both functions observe, decide and act (task-events re-evaluates the affected service at once),
 *   so both describe and update the configured services, read their queues and metrics, load and
 *   save state records, and take UpdateService calls from the shared budget's counters.
 * - Only the evaluator applies capacity-provider schedules.
 * - Both send events that exhausted their retries to the failed-events queue (Lambda's on-failure
 *   destination uses the function's own role).
 * - Only the evaluator sends to and receives from the pass queue.
 */
export function functionStatements(plan: DeployPlan, fn: FunctionName): PolicyStatement[] {
  const logGroup = fn === "evaluate" ? LOGICAL_IDS.evaluateLogGroup : LOGICAL_IDS.taskEventsLogGroup;
  const statements: PolicyStatement[] = [
    {
      // The log group is the stack's (declared with its retention), so CreateLogGroup is not needed.
      // Its ARN ends in ":*", which covers its log streams.
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: getAtt(logGroup),
    },
    serviceStatement(plan),
  ];
  if (plan.queues.length > 0) {
    statements.push({
      Sid: "ReadConfiguredQueueDepth",
      Effect: "Allow",
      Action: ["sqs:GetQueueAttributes"],
      Resource: queueResources(plan),
    });
  }
  statements.push(
    {
      // GetMetricData has no resource-level permissions: IAM only accepts "*" for it. It reads
      // metrics, it changes nothing.
      Sid: "ReadMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData"],
      Resource: "*",
    },
    {
      Sid: "LoadAndSaveStateRecords",
      Effect: "Allow",
      // Only the evaluator's passes load many records at once (BatchGetItem); the event handler
      // re-evaluates one service, with GetItem.
      Action:
        fn === "evaluate"
          ? ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"]
          : ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: getAtt(LOGICAL_IDS.table),
    },
    {
      // The shared UpdateService budget's per-second counters (shared/aws/update-budget.ts): the
      // only UpdateItem the functions make, and only on keys under the budget's prefix.
      Sid: "TakeFromSharedUpdateBudget",
      Effect: "Allow",
      Action: ["dynamodb:UpdateItem"],
      Resource: getAtt(LOGICAL_IDS.table),
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${BUDGET_KEY_PREFIX}*`] } },
    },
    {
      Sid: "SendExhaustedEventsToFailedEventsQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: getAtt(LOGICAL_IDS.failedEvents),
    },
  );
  if (fn === "evaluate") statements.push(...passQueueStatements());
  if (fn === "evaluate" && plan.capacityProviders.length > 0) {
    statements.push(
      {
        Sid: "TuneConfiguredCapacityProviders",
        Effect: "Allow",
        Action: ["ecs:UpdateCapacityProvider"],
        Resource: plan.capacityProviders.map(capacityProviderArn),
      },
      {
        // Read-only; compared with the wanted settings so UpdateCapacityProvider is called only on a
        // difference. The adapter always names the providers, and DescribeCapacityProviders takes the
        // capacity-provider resource type (Service Authorization Reference for Amazon ECS), so it is
        // granted on the configured providers only.
        Sid: "DescribeConfiguredCapacityProviders",
        Effect: "Allow",
        Action: ["ecs:DescribeCapacityProviders"],
        Resource: plan.capacityProviders.map(capacityProviderArn),
      },
    );
  }
  return statements;
}

/**
 * The evaluator's pass queue, and nothing else: the tick sends the minute's later passes
 * (SendMessageBatch is authorised as `sqs:SendMessage`), and the SQS event source mapping, which
 * polls with the function's role, receives, deletes and reads the queue's attributes (the
 * permissions Lambda's SQS mapping needs, AWS Lambda Developer Guide, "Using Lambda with Amazon SQS").
 */
function passQueueStatements(): PolicyStatement[] {
  return [
    {
      Sid: "SchedulePassesOnPassQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: getAtt(LOGICAL_IDS.passQueue),
    },
    {
      Sid: "ReceivePassesFromPassQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      Resource: getAtt(LOGICAL_IDS.passQueue),
    },
  ];
}

/**
 * DescribeServices and UpdateService on the services of the configured clusters. Both actions take
 * the `service` resource type and the `ecs:cluster` and `aws:ResourceTag/…` condition keys (Service
 * Authorization Reference for Amazon ECS); the condition repeats the clusters so the grant holds only
 * for requests ECS attributes to them.
 */
function serviceStatement(plan: DeployPlan): PolicyStatement {
  const tag = plan.permissions.serviceTag;
  return {
    Sid: "DescribeAndScaleServicesOfConfiguredClusters",
    Effect: "Allow",
    Action: ["ecs:DescribeServices", "ecs:UpdateService"],
    Resource: plan.clusters.map((c) => ({ "Fn::Sub": `${clusterServicesPrefix(c)["Fn::Sub"]}*` })),
    Condition: {
      ArnEquals: { "ecs:cluster": plan.clusters.map(clusterArn) },
      ...(tag ? { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } } : {}),
    },
  };
}

/**
 * One ARN per queue; a queue whose name starts with a prefix the config declares
 * (`permissions.queueNamePrefixes`) is granted through `arn:…:sqs:<region>:<account>:<prefix>*`
 * instead, one per prefix, region and account. Never `*`: a prefix has at least 3 characters.
 */
export function queueResources(plan: DeployPlan): string[] {
  const prefixes = plan.permissions.queueNamePrefixes;
  const resources = new Set<string>();
  for (const q of plan.queues) {
    const prefix = prefixes.find((p) => q.name.startsWith(p));
    resources.add(prefix ? `arn:${q.partition}:sqs:${q.region}:${q.account}:${prefix}*` : q.arn);
  }
  return [...resources];
}

/**
 * The EventBridge Scheduler role: invoke the evaluator (the schedule targets its unqualified ARN), and
 * send ticks that could not be delivered to the failed-events queue (Scheduler uses this role for
 * its dead-letter queue too).
 */
export function schedulerStatements(): PolicyStatement[] {
  return [
    {
      Sid: "InvokeEvaluator",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: [getAtt("EvaluateLambdaFunction")],
    },
    {
      Sid: "SendUndeliveredTicksToFailedEventsQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: getAtt(LOGICAL_IDS.failedEvents),
    },
  ];
}
