// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * The CloudWatch dashboard, the per-service alarms and the one log metric filter, generated from the
 * deployment plan. The metric names are the runtime's own ({@link METRIC} in
 * shared/runtime/metric-names.ts, emitted as EMF through Powertools Metrics), so the dashboard
 * cannot drift from what the functions emit; queue metrics are SQS's (`AWS/SQS`), function health is
 * Lambda's.
 */
import { createHash } from "node:crypto";
import { METRIC } from "../../shared/runtime/metric-names.ts";
import { STATE_LINE_MESSAGE } from "../../shared/runtime/telemetry.ts";
import type { DeployPlan, PlannedService } from "./plan.ts";

/**
 * Where and how the runtime's metrics are published. Powertools Metrics adds a `service` dimension
 * (POWERTOOLS_SERVICE_NAME, set in serverless.yml) to every metric; per-service metrics add
 * `Service` = `<cluster>/<service>` (the crash-loop trip only), failures add `Stage`. Decisions are
 * charted from their log lines, not from metrics.
 */
export const RUNTIME_METRICS = {
  namespace: "EcsAutoscaler",
  /** POWERTOOLS_SERVICE_NAME: the value of Powertools' own `service` dimension. */
  powertoolsService: "ecs-autoscaler",
  ecsServiceDimension: "Service",
  stageDimension: "Stage",
  ...METRIC,
  /**
   * Tasks a Spot service currently runs on its on-demand sibling. Not EMF: a log metric filter on the
   * decision lines' `split.onDemand` (they are logged whenever the split changes, back to 0 included).
   */
  spotOnDemandTasks: "SpotFallbackOnDemandTasks",
} as const;

const M = RUNTIME_METRICS;

/**
 * Up to this many configured services (queues) the dashboard has a widget per service (two per
 * queue) and each service its own alarms; beyond, a fleet is shown by SEARCH expressions per
 * cluster and alarmed by one Metrics Insights alarm per kind, so neither the 500 widgets of a
 * dashboard, the 1 MB of a template nor the 500 resources of a stack grow with the fleet.
 */
export const PER_SERVICE_LIMIT = 50;

/** Fn::Sub treats `${` as a variable: names from the config must not be read as one. */
const literal = (text: string) => text.replaceAll("${", "${!");

const key = (s: { cluster: string; service: string }) => `${s.cluster}/${s.service}`;

/** The functions' names, filled in by CloudFormation. */
const EVALUATE = "${EvaluateLambdaFunction}";
const TASK_EVENTS = "${TaskDasheventsLambdaFunction}";

// ── Widget specs and their layout ─────────────────────────────────────────────────────────────────

/** A widget before layout: its kind, size and CloudWatch `properties`. */
interface WidgetSpec {
  type: "text" | "metric" | "log";
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** A metric line of a metric widget: CloudWatch's `[namespace, name, dim, value, …, options]` array. */
type MetricLine = unknown[];

/** A time-series widget of `width` columns; `extra` adds or replaces properties (`view`, `yAxis`, …). */
function metricWidget(
  title: string,
  width: number,
  metrics: MetricLine[],
  extra: Record<string, unknown> = {},
): WidgetSpec {
  const properties = { title, region: "${AWS::Region}", view: "timeSeries", stacked: false, period: 60 };
  return { type: "metric", width, height: 6, properties: { ...properties, metrics, ...extra } };
}

/**
 * Places each section's widgets left to right on the dashboard's 24 columns, wrapping to a new line
 * when a widget does not fit; every section starts on a new line.
 */
function layout(sections: readonly WidgetSpec[][]): Record<string, unknown>[] {
  const placed: Record<string, unknown>[] = [];
  let y = 0;
  for (const section of sections) {
    let x = 0;
    let lineHeight = 0;
    for (const { type, width, height, properties } of section) {
      if (x + width > 24) [x, y, lineHeight] = [0, y + lineHeight, 0];
      placed.push({ type, x, y, width, height, properties });
      x += width;
      lineHeight = Math.max(lineHeight, height);
    }
    y += lineHeight;
  }
  return placed;
}

// ── Metric lines ──────────────────────────────────────────────────────────────────────────────────

/** Every published dimension combination of one of the runtime's metrics, by a SEARCH expression. */
const search = (id: string, dims: string, metric: string, stat: string, label: string): MetricLine => [
  { expression: `SEARCH('{${M.namespace},${dims}} MetricName="${metric}"', '${stat}', 60)`, id, label },
];

const lambda = (metric: string, fn: string, label: string, stat: string, more = {}): MetricLine => [
  "AWS/Lambda",
  metric,
  "FunctionName",
  fn,
  { label, stat, ...more },
];

const sqs = (metric: string, queue: string, options: Record<string, unknown>): MetricLine => [
  "AWS/SQS",
  metric,
  "QueueName",
  queue,
  options,
];

// ── The sections, top to bottom ───────────────────────────────────────────────────────────────────

function guide(options: { dryRun: boolean }, fleet: { services: boolean; queues: boolean }): WidgetSpec[] {
  const mode = options.dryRun
    ? "DRY RUN, decisions are logged, services are not changed"
    : "live, decisions are applied";
  const services = fleet.services
    ? "Per cluster: the services with the largest backlog and the most desired tasks."
    : "Per service: desired vs running tasks and the backlog the autoscaler saw.";
  const queues = fleet.queues
    ? "Per queue region: the queues with the oldest and the most messages."
    : "Per queue: backlog and the oldest message against its target wait.";
  const markdown = [
    `## ecs-autoscaler (\${AWS::StackName}): ${mode}`,
    `${services} ${queues} Then decisions by reason, guards, function health, and the decision log (one line per decision that changed something). docs/deploy.md explains each panel.`,
  ].join("\n");
  return [{ type: "text", width: 24, height: 3, properties: { markdown } }];
}

/** Both functions' log groups, as a Logs Insights query starts (both evaluate and log decisions). */
const BOTH_LOGS = `SOURCE '/aws/lambda/${EVALUATE}' | SOURCE '/aws/lambda/${TASK_EVENTS}'`;

/** The INFO lines that carry a service's counts: its changes and its once-a-minute state line. */
const COUNT_LINES = `message in ["scaling decision", "scaling decision (dry run: not applied)", "${STATE_LINE_MESSAGE}"]`;

/** A Logs Insights widget of `width` columns: a time series (`stats … by bin`) or a table. */
function logWidget(
  title: string,
  width: number,
  query: string,
  view: "timeSeries" | "table" | "bar",
): WidgetSpec {
  return { type: "log", width, height: 6, properties: { title, region: "${AWS::Region}", view, query } };
}

/**
 * Per configured service: desired vs running, its backlog if a queue drives it, its Spot sibling's
 * tasks, charted per minute from the decision and state lines (no custom metric per service).
 */
function serviceTasks(plan: DeployPlan): WidgetSpec[] {
  return plan.services
    .filter((s) => s.role === "configured")
    .map((s) => {
      const counts = ["max(to) as desired", "max(running) as running", "max(backlog) as backlog"];
      if (s.onDemandService) counts.push("max(split.onDemand) as on_demand_sibling");
      const query = `${BOTH_LOGS} | filter ecsService = "${literal(key(s))}" and ${COUNT_LINES} | stats ${counts.join(", ")} by bin(1m)`;
      return logWidget(`${literal(key(s))}: desired vs running tasks`, 12, query, "timeSeries");
    });
}

/**
 * A fleet's services, per cluster: the 20 with the largest backlog and the 20 with the most desired
 * tasks in the dashboard's time range, from the decision and state lines.
 */
function fleetServiceTasks(plan: DeployPlan): WidgetSpec[] {
  const top = (cluster: string, by: string) =>
    `${BOTH_LOGS} | filter ecsService like /^${literal(cluster)}\\// and ${COUNT_LINES} | stats max(backlog) as backlog, max(to) as desired, max(running) as running by ecsService | sort ${by} desc | limit 20`;
  return plan.clusters.flatMap((cluster) => [
    logWidget(
      `${literal(cluster)}: the 20 services with the largest backlog`,
      12,
      top(cluster, "backlog"),
      "table",
    ),
    logWidget(
      `${literal(cluster)}: the 20 services with the most desired tasks`,
      12,
      top(cluster, "desired"),
      "table",
    ),
  ]);
}

/** A fleet's queues, per region: the 20 with the oldest message and the 20 with the most visible messages. */
function fleetQueueBacklogs(plan: DeployPlan): WidgetSpec[] {
  const regions = [...new Set(plan.queues.map((q) => q.region))];
  const top = (id: string, metric: string) => [
    {
      expression: `SORT(SEARCH('{AWS/SQS,QueueName} MetricName="${metric}"', 'Maximum', 60), MAX, DESC, 20)`,
      id,
      label: "",
    },
  ];
  return regions.flatMap((region, i) => [
    metricWidget(
      `${region}: the 20 queues with the oldest message (s)`,
      12,
      [top(`age${i}`, "ApproximateAgeOfOldestMessage")],
      { region },
    ),
    metricWidget(
      `${region}: the 20 queues with the most visible messages`,
      12,
      [top(`vis${i}`, "ApproximateNumberOfMessagesVisible")],
      { region },
    ),
  ]);
}

/** Per queue: backlog, and the oldest message's age against the target wait when there is one. */
function queueBacklogs(plan: DeployPlan): WidgetSpec[] {
  return plan.queues.flatMap((q) => {
    const name = literal(q.name);
    const at = (label: string) => ({ label, stat: "Maximum", region: q.region });
    const targetLine = { label: "target wait", value: q.targetWaitSeconds, color: "#d62728" };
    const target = q.targetWaitSeconds === undefined ? {} : { annotations: { horizontal: [targetLine] } };
    return [
      metricWidget(`${name}: backlog`, 12, [
        sqs("ApproximateNumberOfMessagesVisible", name, at("visible")),
        sqs("ApproximateNumberOfMessagesNotVisible", name, at("in flight")),
      ]),
      metricWidget(
        `${name}: oldest message age (s) against target`,
        12,
        [sqs("ApproximateAgeOfOldestMessage", name, at("oldest message age"))],
        { ...target, yAxis: { left: { min: 0 } } },
      ),
    ];
  });
}

/** The rows that do not depend on the plan: decisions and guards, then function health. */
const fixedRows: readonly WidgetSpec[][] = [
  [
    logWidget(
      "Decisions by reason (every change, and each service once a minute)",
      12,
      `${BOTH_LOGS} | filter ${COUNT_LINES} | stats count(*) as decisions by reason | sort decisions desc`,
      "bar",
    ),
    metricWidget("Guards: crash-loop trips, tasks on on-demand siblings", 12, [
      search(
        "crash",
        `${M.ecsServiceDimension},service`,
        M.crashLoopTripped,
        "Sum",
        "crash-loop guard tripped",
      ),
      search("spot", M.ecsServiceDimension, M.spotOnDemandTasks, "Maximum", "on on-demand sibling"),
    ]),
  ],
  [
    metricWidget("Functions: errors, failures and failed events", 12, [
      lambda("Errors", EVALUATE, "evaluate errors", "Sum"),
      lambda("Errors", TASK_EVENTS, "task-events errors", "Sum"),
      sqs("ApproximateNumberOfMessagesVisible", "${FailedEventsQueue.QueueName}", {
        label: "failed events waiting",
        stat: "Maximum",
      }),
      search("failures", `${M.stageDimension},service`, M.failures, "Sum", ""),
      [
        M.namespace,
        M.malformedEvents,
        "service",
        M.powertoolsService,
        { label: "malformed events", stat: "Sum" },
      ],
    ]),
    metricWidget("Functions: duration (ms) and throttles", 12, [
      lambda("Duration", EVALUATE, "evaluate (max)", "Maximum"),
      lambda("Duration", TASK_EVENTS, "task-events (p99)", "p99"),
      lambda("Throttles", TASK_EVENTS, "task-events throttles", "Sum", { yAxis: "right" }),
    ]),
  ],
];

/** The latest decision lines of both functions. */
function decisionLog(): WidgetSpec[] {
  const properties = {
    title: "Decision log (latest 100 decisions that changed something)",
    region: "${AWS::Region}",
    view: "table",
    query: [BOTH_LOGS, `| ${DECISION_LOG_QUERY}`, "| limit 100"].join(" "),
  };
  return [{ type: "log", width: 24, height: 8, properties }];
}

/**
 * The dashboard body, an `Fn::Sub` template (the stack's region, function names and queue names
 * are filled in by CloudFormation). Rows: a guide; per configured service desired vs running with
 * its backlog (and, for a Spot service, the tasks on its on-demand sibling); per queue backlog and
 * oldest-message age against the target wait; decisions by reason and guards; function health; the
 * decision log.
 */
export function dashboardBody(plan: DeployPlan, options: { dryRun: boolean }): { "Fn::Sub": string } {
  const fleet = { services: isFleet(plan), queues: plan.queues.length > PER_SERVICE_LIMIT };
  const services = fleet.services ? fleetServiceTasks(plan) : serviceTasks(plan);
  const queues = fleet.queues ? fleetQueueBacklogs(plan) : queueBacklogs(plan);
  const sections = [guide(options, fleet), services, queues, ...fixedRows, decisionLog()];
  return { "Fn::Sub": JSON.stringify({ widgets: layout(sections) }) };
}

/** The Logs Insights query for decision lines (Powertools Logger JSON, see PowertoolsSink). */
export const DECISION_LOG_QUERY =
  "fields @timestamp, ecsService, from, to, reason, explanation, running, backlog, applied, dryRun | filter message like /^scaling decision/ | sort @timestamp desc";

/** Whether the plan has more configured services than get a widget and alarms of their own. */
export function isFleet(plan: DeployPlan): boolean {
  return plan.services.filter((s) => s.role === "configured").length > PER_SERVICE_LIMIT;
}

/** A stable, CloudFormation-safe logical ID for a per-service resource. */
function logicalId(prefix: string, s: { cluster: string; service: string }): string {
  const readable = `${s.cluster}${s.service}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  const hash = createHash("sha256").update(key(s)).digest("hex").slice(0, 8);
  return `${prefix}${readable}${hash}`;
}

/**
 * The alarms on per-service states (not failures of the autoscaler): the crash-loop guard tripping
 * (EMF `CrashLoopGuardTripped`), and, for Spot services with an on-demand sibling, tasks running on
 * the sibling (a log metric filter on the decision lines, one per function log group, since both
 * functions evaluate).
 *
 * The crash-loop guard has one alarm over every service, a CloudWatch Metrics Insights query, at
 * any size: a standard alarm per service costs $0.10 a month each (https://aws.amazon.com/cloudwatch/pricing/),
 * the largest per-service line of the autoscaler's own bill after the metric reads, for a state that
 * is rare; the query's metric exists only in the minutes a trip is published. Its notification does
 * not name the service: the log line "crash-loop guard tripped" and the dashboard's guards panel do.
 * Spot fallback alarms stay per service up to {@link PER_SERVICE_LIMIT} configured services (only
 * Spot services have them), and are one Metrics Insights alarm for a fleet.
 */
export function serviceAlarms(plan: DeployPlan, alarmActions: string[]): Record<string, unknown> {
  const resources: Record<string, unknown> = { FleetCrashLoopAlarm: crashLoopAlarm(alarmActions) };
  const spot = plan.services.filter((x) => x.role === "configured" && x.onDemandService);
  if (spot.length === 0) return resources;
  if (isFleet(plan)) resources.FleetSpotFallbackAlarm = fleetSpotFallbackAlarm(alarmActions);
  else
    for (const s of spot) resources[logicalId("SpotFallbackAlarm", s)] = spotFallbackAlarm(s, alarmActions);
  return { ...resources, ...spotMetricFilters() };
}

/** A Metrics Insights query as an alarm's only metric, per minute. */
function insights(id: string, query: string) {
  return [{ Id: id, Expression: query, Period: 60, ReturnData: true }];
}

/** One alarm over every service's crash-loop trips (see {@link serviceAlarms}). */
function crashLoopAlarm(alarmActions: string[]): Record<string, unknown> {
  return {
    Type: "AWS::CloudWatch::Alarm",
    Properties: {
      AlarmName: { "Fn::Sub": "${AWS::StackName}-crash-loop" },
      AlarmDescription: `The crash-loop guard tripped for a service: its new tasks keep failing to start, scale-up is capped at running + margin until tasks start cleanly (the log says "crash-loop guard cleared"). The log line "crash-loop guard tripped" and the dashboard's guards panel name the service; look at its stopped tasks' stoppedReason.`,
      Metrics: insights(
        "trips",
        `SELECT SUM(${M.crashLoopTripped}) FROM SCHEMA("${M.namespace}", ${M.ecsServiceDimension}, service)`,
      ),
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      // The metric counts trips: the alarm notifies on a trip and returns to OK a minute later.
      TreatMissingData: "notBreaching",
      AlarmActions: alarmActions,
    },
  };
}

/** A Spot service's alarm: tasks run on its on-demand sibling. */
function spotFallbackAlarm(s: PlannedService, alarmActions: string[]): Record<string, unknown> {
  return {
    Type: "AWS::CloudWatch::Alarm",
    Properties: {
      AlarmName: {
        "Fn::Sub": `\${AWS::StackName}-spot-fallback-${literal(s.cluster)}-${literal(s.service)}`,
      },
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

/** A fleet's one Spot fallback alarm: some Spot service runs tasks on its on-demand sibling. */
function fleetSpotFallbackAlarm(alarmActions: string[]): Record<string, unknown> {
  return {
    Type: "AWS::CloudWatch::Alarm",
    Properties: {
      AlarmName: { "Fn::Sub": "${AWS::StackName}-spot-fallback" },
      AlarmDescription:
        "Fargate Spot capacity is short for a service: tasks run on its on-demand sibling until Spot has been steady for the cool-off period. The dashboard's guards panel names it.",
      Metrics: insights(
        "onDemand",
        `SELECT MAX(${M.spotOnDemandTasks}) FROM SCHEMA("${M.namespace}", ${M.ecsServiceDimension})`,
      ),
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "ignore",
      AlarmActions: alarmActions,
      OKActions: alarmActions,
    },
  };
}

/** The log metric filters that turn decision lines' `split.onDemand` into a metric, one per function log. */
function spotMetricFilters(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
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
  return resources;
}
