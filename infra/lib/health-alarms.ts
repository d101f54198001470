// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * The alarms that make a total failure of the autoscaler visible, beside the Lambda ones in
 * infra/observability.yml (errors, no invocation at all): a pass that decided fewer services than
 * configured, the runtime's own failures, a function that failed to initialise, and queued passes
 * that are not being delivered. Generated here
 * so the metric names are the runtime's ({@link METRIC}); docs/deploy.md ("Alarms") is the runbook.
 */
import { METRIC } from "../../shared/runtime/metric-names.ts";
import { LOGICAL_IDS } from "./iam.ts";
import { RUNTIME_METRICS } from "./observability.ts";

const M = RUNTIME_METRICS;

/** Counted by a log metric filter: a function that did not start (bad config or environment, a crash at import). */
export const INIT_FAILURES_METRIC = "InitFailures";

/**
 * What an init failure writes: the functions' own line for an invalid config or environment, and
 * Lambda's platform report for an init phase that ended in an error (any other crash at import).
 */
export const INIT_FAILURE_PATTERN =
  '?"invalid configuration: the function will not run" ?"Phase: init Status: error"';

/** An alarm; a metric alarm gets a 60 s period (a Metrics Insights alarm has it in its query). */
const alarm = (name: string, properties: Record<string, unknown>, alarmActions: string[]) => ({
  Type: "AWS::CloudWatch::Alarm",
  Properties: {
    AlarmName: { "Fn::Sub": `\${AWS::StackName}-${name}` },
    ...("Metrics" in properties ? {} : { Period: 60 }),
    TreatMissingData: "notBreaching",
    AlarmActions: alarmActions,
    OKActions: alarmActions,
    ...properties,
  },
});

/** The health alarms and the init-failure metric filters, as CloudFormation resources. */
export function healthAlarms(alarmActions: string[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    ServicesNotEvaluatedAlarm: alarm(
      "services-not-evaluated",
      {
        AlarmDescription:
          "Evaluation passes decided fewer services than configured (or none), or no pass ran at all, in 3 of the last 5 minutes: those services are not being scaled. Read the evaluator's log (service evaluation failed, state table, permissions); with no log, the schedule and its role.",
        Namespace: M.namespace,
        MetricName: METRIC.servicesNotEvaluated,
        Dimensions: [{ Name: "service", Value: M.powertoolsService }],
        Statistic: "Maximum",
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        // Every pass emits the metric (0 when it decided every service) and a tick starts one each
        // minute, so a minute without it is an evaluator that is not running: that breaches too.
        TreatMissingData: "breaching",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      },
      alarmActions,
    ),
    RuntimeFailuresAlarm: alarm(
      "runtime-failures",
      {
        AlarmDescription:
          "The runtime counted failures (describe, read, state, update, event, capacityProvider) in 3 of the last 5 minutes. The dashboard's functions panel shows the stage; the log line is 'service evaluation failed'.",
        Metrics: [
          {
            Id: "failures",
            Expression: `SELECT SUM(${M.failures}) FROM SCHEMA("${M.namespace}", ${M.stageDimension}, service)`,
            Period: 60,
            ReturnData: true,
          },
        ],
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      },
      alarmActions,
    ),
    // A pass message becomes visible when its delay ends and the event source mapping takes it within
    // a second or so; visible ones piling up mean the mapping is not delivering (disabled, throttled,
    // its permissions gone). The tick's own pass still decides every service, so nothing else shows
    // that the cadence fell to a minute, and undelivered messages expire after the queue's retention.
    PassQueueBacklogAlarm: alarm(
      "pass-queue-backlog",
      {
        AlarmDescription:
          "Queued passes are not being delivered to the evaluator (3 or more waiting in each of 3 minutes): services are evaluated once a minute, by the tick, instead of every interval. Check the evaluator's SQS event source mapping (enabled? its last processing result) and Lambda throttling.",
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [LOGICAL_IDS.passQueue, "QueueName"] } }],
        Statistic: "Maximum",
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 3,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      },
      alarmActions,
    ),
    InitFailedAlarm: alarm(
      "init-failed",
      {
        AlarmDescription:
          "A function failed to initialise (invalid config or environment, or a crash at import): it scales nothing until fixed. Its log has the reason.",
        Namespace: M.namespace,
        MetricName: INIT_FAILURES_METRIC,
        Statistic: "Sum",
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      },
      alarmActions,
    ),
  };
  for (const logGroup of [LOGICAL_IDS.evaluateLogGroup, LOGICAL_IDS.taskEventsLogGroup]) {
    resources[`InitFailureMetricFilter${logGroup.replace("LogGroup", "")}`] = {
      Type: "AWS::Logs::MetricFilter",
      Properties: {
        LogGroupName: { Ref: logGroup },
        FilterPattern: INIT_FAILURE_PATTERN,
        MetricTransformations: [
          { MetricNamespace: M.namespace, MetricName: INIT_FAILURES_METRIC, MetricValue: "1", Unit: "Count" },
        ],
      },
    };
  }
  return resources;
}
