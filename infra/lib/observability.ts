// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * The CloudWatch dashboard, the per-service alarms and the one log metric filter, generated from the
 * deployment plan. The metric names are the runtime's own ({@link METRIC} in
 * shared/runtime/powertools-sink.ts, emitted as EMF through Powertools Metrics), so the dashboard
 * cannot drift from what the functions emit; queue metrics are SQS's (`AWS/SQS`), function health is
 * Lambda's.
 */
import { createHash } from "node:crypto";
import { METRIC } from "../../shared/runtime/powertools-sink.ts";
import type { DeployPlan, PlannedService } from "./plan.ts";

/**
 * Where and how the runtime's metrics are published. Powertools Metrics adds a `service` dimension
 * (POWERTOOLS_SERVICE_NAME, set in serverless.yml) to every metric; per-service metrics add
 * `Service` = `<cluster>/<service>`, decisions add `Reason`, failures add `Stage`.
 */
export const RUNTIME_METRICS = {
  namespace: "EcsAutoscaler",
  /** POWERTOOLS_SERVICE_NAME: the value of Powertools' own `service` dimension. */
  powertoolsService: "ecs-autoscaler",
  ecsServiceDimension: "Service",
  reasonDimension: "Reason",
  stageDimension: "Stage",
  ...METRIC,
  /**
   * Tasks a Spot service currently runs on its on-demand sibling. Not EMF: a log metric filter on the
   * decision lines' `split.onDemand` (they are logged whenever the split changes, back to 0 included).
   */
  spotOnDemandTasks: "SpotFallbackOnDemandTasks",
} as const;

type Widget = Record<string, unknown>;
const M = RUNTIME_METRICS;

/** Fn::Sub treats `${` as a variable: names from the config must not be read as one. */
const literal = (text: string) => text.replaceAll("${", "${!");

const key = (s: { cluster: string; service: string }) => `${s.cluster}/${s.service}`;

/** A per-service EMF metric as a dashboard metric array (both dimensions, as published). */
const serviceMetric = (
  name: string,
  s: { cluster: string; service: string },
  options: Record<string, unknown>,
) => [M.namespace, name, M.ecsServiceDimension, literal(key(s)), "service", M.powertoolsService, options];

const search = (id: string, dims: string, metric: string, stat: string, label: string) => [
  { expression: `SEARCH('{${M.namespace},${dims}} MetricName="${metric}"', '${stat}', 60)`, id, label },
];

function metricWidget(
  title: string,
  x: number,
  y: number,
  w: number,
  metrics: unknown[][],
  extra: Widget = {},
): Widget {
  return {
    type: "metric",
    x,
    y,
    width: w,
    height: 6,
    properties: {
      title,
      region: "${AWS::Region}",
      view: "timeSeries",
      stacked: false,
      period: 60,
      metrics,
      ...extra,
    },
  };
}

/**
 * The dashboard body, an `Fn::Sub` template (the stack's region, function names and queue names
 * are filled in by CloudFormation). Rows: a guide; per configured service desired vs running with
 * its backlog (and, for a Spot service, the tasks on its on-demand sibling); per queue backlog and
 * oldest-message age against the target wait; decisions by reason and guards; function health; the
 * decision log.
 */
export function dashboardBody(plan: DeployPlan, options: { dryRun: boolean }): { "Fn::Sub": string } {
  const widgets: Widget[] = [];
  let y = 0;
  widgets.push({
    type: "text",
    x: 0,
    y,
    width: 24,
    height: 3,
    properties: {
      markdown: [
        `## ecs-autoscaler (\${AWS::StackName}): ${options.dryRun ? "DRY RUN, decisions are logged, services are not changed" : "live, decisions are applied"}`,
        "Per service: desired vs running tasks and the backlog the autoscaler saw. Per queue: backlog and the oldest message against its target wait. Then decisions by reason, guards, function health, and the decision log (one line per decision that changed something). docs/deploy.md explains each panel.",
      ].join("\n"),
    },
  });
  y += 3;

  const configured = plan.services.filter((s) => s.role === "configured");
  const queueUsers = new Set(plan.queues.flatMap((q) => q.usedBy.map((p) => p.split(".")[0])));
  configured.forEach((s, i) => {
    const metrics: unknown[][] = [
      serviceMetric(M.desired, s, { label: "desired", stat: "Maximum" }),
      serviceMetric(M.running, s, { label: "running", stat: "Maximum" }),
    ];
    if (queueUsers.has(`services[${i}]`))
      metrics.push(
        serviceMetric(M.backlog, s, { label: "backlog (right)", stat: "Maximum", yAxis: "right" }),
      );
    if (s.onDemandService) {
      metrics.push([
        M.namespace,
        M.spotOnDemandTasks,
        M.ecsServiceDimension,
        literal(key(s)),
        { label: `on ${literal(s.onDemandService)} (Spot fallback)`, stat: "Maximum" },
      ]);
    }
    widgets.push(
      metricWidget(
        `${literal(key(s))}: desired vs running tasks`,
        (i % 2) * 12,
        y + Math.floor(i / 2) * 6,
        12,
        metrics,
        {
          yAxis: { left: { min: 0, label: "tasks" }, right: { min: 0, label: "messages" } },
        },
      ),
    );
  });
  y += Math.ceil(configured.length / 2) * 6;

  plan.queues.forEach((q, i) => {
    const name = literal(q.name);
    const dims = ["QueueName", name];
    const region = { region: q.region };
    widgets.push(
      metricWidget(`${name}: backlog`, 0, y + i * 6, 12, [
        [
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          ...dims,
          { label: "visible", stat: "Maximum", ...region },
        ],
        [
          "AWS/SQS",
          "ApproximateNumberOfMessagesNotVisible",
          ...dims,
          { label: "in flight", stat: "Maximum", ...region },
        ],
      ]),
      metricWidget(
        `${name}: oldest message age (s) against target`,
        12,
        y + i * 6,
        12,
        [
          [
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            ...dims,
            { label: "oldest message age", stat: "Maximum", ...region },
          ],
        ],
        q.targetWaitSeconds !== undefined
          ? {
              annotations: {
                horizontal: [{ label: "target wait", value: q.targetWaitSeconds, color: "#d62728" }],
              },
              yAxis: { left: { min: 0 } },
            }
          : { yAxis: { left: { min: 0 } } },
      ),
    );
  });
  y += plan.queues.length * 6;

  widgets.push(
    metricWidget(
      "Decisions by reason (every evaluation, per minute)",
      0,
      y,
      12,
      [search("decisions", `${M.reasonDimension},service`, M.decisions, "Sum", "")],
      {
        view: "bar",
        stacked: true,
      },
    ),
    metricWidget("Guards: crash-loop trips, tasks on on-demand siblings", 12, y, 12, [
      search(
        "crash",
        `${M.ecsServiceDimension},service`,
        M.crashLoopTripped,
        "Sum",
        "crash-loop guard tripped",
      ),
      search("spot", M.ecsServiceDimension, M.spotOnDemandTasks, "Maximum", "on on-demand sibling"),
    ]),
  );
  y += 6;

  widgets.push(
    metricWidget("Functions: errors, failures and failed events", 0, y, 12, [
      [
        "AWS/Lambda",
        "Errors",
        "FunctionName",
        "${EvaluateLambdaFunction}",
        { label: "evaluate errors", stat: "Sum" },
      ],
      [
        "AWS/Lambda",
        "Errors",
        "FunctionName",
        "${TaskDasheventsLambdaFunction}",
        { label: "task-events errors", stat: "Sum" },
      ],
      [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "${FailedEventsQueue.QueueName}",
        { label: "failed events waiting", stat: "Maximum" },
      ],
      search("failures", `${M.stageDimension},service`, M.failures, "Sum", ""),
      [
        M.namespace,
        M.malformedEvents,
        "service",
        M.powertoolsService,
        { label: "malformed events", stat: "Sum" },
      ],
    ]),
    metricWidget("Functions: duration (ms) and throttles", 12, y, 12, [
      [
        "AWS/Lambda",
        "Duration",
        "FunctionName",
        "${EvaluateLambdaFunction}",
        { label: "evaluate (max)", stat: "Maximum" },
      ],
      [
        "AWS/Lambda",
        "Duration",
        "FunctionName",
        "${TaskDasheventsLambdaFunction}",
        { label: "task-events (p99)", stat: "p99" },
      ],
      [
        "AWS/Lambda",
        "Throttles",
        "FunctionName",
        "${TaskDasheventsLambdaFunction}",
        { label: "task-events throttles", stat: "Sum", yAxis: "right" },
      ],
    ]),
  );
  y += 6;

  widgets.push({
    type: "log",
    x: 0,
    y,
    width: 24,
    height: 8,
    properties: {
      title: "Decision log (latest 100 decisions that changed something)",
      region: "${AWS::Region}",
      view: "table",
      query: [
        "SOURCE '/aws/lambda/${EvaluateLambdaFunction}' | SOURCE '/aws/lambda/${TaskDasheventsLambdaFunction}'",
        `| ${DECISION_LOG_QUERY}`,
        "| limit 100",
      ].join(" "),
    },
  });

  return { "Fn::Sub": JSON.stringify({ widgets }) };
}

/** The Logs Insights query for decision lines (Powertools Logger JSON, see PowertoolsSink). */
export const DECISION_LOG_QUERY =
  "fields @timestamp, ecsService, from, to, reason, explanation, running, backlog, applied, dryRun | filter message like /^scaling decision/ | sort @timestamp desc";

/** A stable, CloudFormation-safe logical ID for a per-service resource. */
function logicalId(prefix: string, s: { cluster: string; service: string }): string {
  const readable = `${s.cluster}${s.service}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  const hash = createHash("sha256").update(key(s)).digest("hex").slice(0, 8);
  return `${prefix}${readable}${hash}`;
}

/**
 * Per-service alarms and what they need: the crash-loop guard tripping (EMF
 * `CrashLoopGuardTripped`), and, for Spot services with an on-demand sibling, tasks running on the
 * sibling (a log metric filter on the decision lines, one per function log group, since both
 * functions evaluate). Both are states to know about, not failures of the autoscaler.
 */
export function serviceAlarms(plan: DeployPlan, alarmActions: string[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const name = (what: string, s: PlannedService) => ({
    "Fn::Sub": `\${AWS::StackName}-${what}-${literal(s.cluster)}-${literal(s.service)}`,
  });
  const configured = plan.services.filter((x) => x.role === "configured");
  for (const s of configured) {
    resources[logicalId("CrashLoopAlarm", s)] = {
      Type: "AWS::CloudWatch::Alarm",
      Properties: {
        AlarmName: name("crash-loop", s),
        AlarmDescription: `${key(s)}: new tasks keep failing to start; scale-up is capped at running + margin until tasks start cleanly (the log says "crash-loop guard cleared"). Look at the stopped tasks' stoppedReason.`,
        Namespace: M.namespace,
        MetricName: M.crashLoopTripped,
        Dimensions: [
          { Name: "service", Value: M.powertoolsService },
          { Name: M.ecsServiceDimension, Value: key(s) },
        ],
        Statistic: "Sum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        // The metric counts trips: the alarm notifies on a trip and returns to OK a minute later.
        TreatMissingData: "notBreaching",
        AlarmActions: alarmActions,
      },
    };
  }
  const spot = configured.filter((s) => s.onDemandService);
  for (const s of spot) {
    resources[logicalId("SpotFallbackAlarm", s)] = {
      Type: "AWS::CloudWatch::Alarm",
      Properties: {
        AlarmName: name("spot-fallback", s),
        AlarmDescription: `${key(s)}: Fargate Spot capacity is short; tasks run on the on-demand sibling ${s.onDemandService} until Spot has been steady for the cool-off period.`,
        Namespace: M.namespace,
        MetricName: M.spotOnDemandTasks,
        Dimensions: [{ Name: M.ecsServiceDimension, Value: key(s) }],
        Statistic: "Maximum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        // A datapoint comes only when the split changes: between changes the state stays as it is.
        TreatMissingData: "ignore",
        AlarmActions: alarmActions,
        OKActions: alarmActions,
      },
    };
  }
  if (spot.length > 0) {
    for (const logGroup of ["EvaluateLogGroup", "TaskDasheventsLogGroup"]) {
      resources[`SpotFallbackMetricFilter${logGroup.replace("LogGroup", "")}`] = {
        Type: "AWS::Logs::MetricFilter",
        Properties: {
          LogGroupName: { Ref: logGroup },
          // Decision lines of Spot services carry `split`; `>= 0` matches when the number is there.
          FilterPattern: "{ $.split.onDemand >= 0 }",
          MetricTransformations: [
            {
              MetricNamespace: M.namespace,
              MetricName: M.spotOnDemandTasks,
              MetricValue: "$.split.onDemand",
              Dimensions: [{ Key: M.ecsServiceDimension, Value: "$.ecsService" }],
              Unit: "Count",
            },
          ],
        },
      };
    }
  }
  return resources;
}
