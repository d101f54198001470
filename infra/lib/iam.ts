/**
 * The functions' IAM policies, generated from the deployment plan at package time. An autoscaler
 * holds the power to stop every service in an account, so each statement names the exact actions the
 * adapters call and, wherever IAM allows it, the exact resources the config names. No statement has
 * a wildcard action; `Resource: "*"` appears only where the action has no resource-level permissions.
 */
import { type CfnSub, capacityProviderArn, serviceArn } from "./arns.ts";
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
}

/** Logical IDs of the stack resources the policies refer to (declared in infra/*.yml). */
export const LOGICAL_IDS = {
  table: "StateTable",
  failedEvents: "FailedEventsQueue",
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
 *   so both describe and update the configured services, read their queues and metrics, and load and
 *   save state records.
 * - Only the evaluator applies capacity-provider schedules.
 * - Both send events that exhausted their retries to the failed-events queue (Lambda's on-failure
 *   destination uses the function's own role).
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
    {
      Sid: "DescribeAndScaleConfiguredServices",
      Effect: "Allow",
      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
      Resource: plan.services.map((s) => serviceArn(s.cluster, s.service)),
    },
  ];
  if (plan.queues.length > 0) {
    statements.push({
      Sid: "ReadConfiguredQueueDepth",
      Effect: "Allow",
      Action: ["sqs:GetQueueAttributes"],
      Resource: plan.queues.map((q) => q.arn),
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
      Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: getAtt(LOGICAL_IDS.table),
    },
    {
      Sid: "SendExhaustedEventsToFailedEventsQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: getAtt(LOGICAL_IDS.failedEvents),
    },
  );
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
        // difference. Resource-level permissions for this Describe are not documented in the
        // references this project keeps, so it gets "*" rather than a policy that might deny it.
        Sid: "DescribeCapacityProviders",
        Effect: "Allow",
        Action: ["ecs:DescribeCapacityProviders"],
        Resource: "*",
      },
    );
  }
  return statements;
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
