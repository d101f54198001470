// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * The CloudWatch dashboard and the per-service alarms, generated from the deployment plan. Metric
 * names and dimensions are the ones the runtime emits through Powertools Metrics
 * ({@link RUNTIME_METRICS}); queue metrics are SQS's own (`AWS/SQS`), function health is Lambda's.
 */
import { createHash } from "node:crypto";
import type { DeployPlan, PlannedService } from "./plan.ts";

/** What the runtime emits (EMF through Powertools Metrics), as the dashboard and alarms read it. */
export const RUNTIME_METRICS = {
  namespace: "EcsAutoscaler",
  /** Dimension naming the ECS service, valued `<cluster>/<service>`. */
  serviceDimension: "service",
  desired: "DesiredCount",
  running: "RunningCount",
  backlog: "Backlog",
  /** One count per decision that changes something, with a `reason` dimension. */
  decisions: "Decisions",
  reasonDimension: "reason",
  /** 1 while the crash-loop guard caps scale-up, else 0. */
  crashLoopGuard: "CrashLoopGuardActive",
  /** Tasks currently shifted from the Spot service to its on-demand sibling. */
  spotShifted: "SpotFallbackTasks",
  /** A service's evaluation failed (describe, read, state or update). */
  failures: "EvaluationFailures",
} as const;

type Widget = Record<string, unknown>;

/** Fn::Sub treats `${` as a variable: names from the config must not be read as one. */
const literal = (text: string) => text.replaceAll("${", "${!");

const key = (s: { cluster: string; service: string }) => literal(`${s.cluster}/${s.service}`);

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
 * are filled in by CloudFormation). Rows: a guide; per configured service desired vs running (its
 * on-demand sibling beside it); per queue backlog and oldest-message age against the target wait;
 * decisions by reason and guards; function health; the decision log.
 */
export function dashboardBody(plan: DeployPlan, options: { dryRun: boolean }): { "Fn::Sub": string } {
  const M = RUNTIME_METRICS;
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
        "Desired vs running per service, then each queue's backlog and oldest message against its target wait, decisions by reason and guards, function health, and the decision log (one line per decision that changed something). docs/deploy.md explains each panel.",
      ].join("\n"),
    },
  });
  y += 3;

  const configured = plan.services.filter((s) => s.role === "configured");
  configured.forEach((s, i) => {
    const metrics: unknown[][] = [
      [M.namespace, M.desired, M.serviceDimension, key(s), { label: "desired", stat: "Maximum" }],
      [M.namespace, M.running, M.serviceDimension, key(s), { label: "running", stat: "Maximum" }],
    ];
    if (s.onDemandService) {
      const sibling: PlannedService = {
        cluster: s.cluster,
        service: s.onDemandService,
        role: "on-demand sibling",
      };
      metrics.push(
        [
          M.namespace,
          M.desired,
          M.serviceDimension,
          key(sibling),
          { label: `${literal(s.onDemandService)} desired (on-demand)`, stat: "Maximum" },
        ],
        [
          M.namespace,
          M.running,
          M.serviceDimension,
          key(sibling),
          { label: `${literal(s.onDemandService)} running (on-demand)`, stat: "Maximum" },
        ],
      );
    }
    widgets.push(
      metricWidget(
        `${key(s)}: desired vs running tasks`,
        (i % 2) * 12,
        y + Math.floor(i / 2) * 6,
        12,
        metrics,
        { yAxis: { left: { min: 0 } } },
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
      "Decisions by reason (per minute)",
      0,
      y,
      12,
      [
        [
          {
            expression: `SEARCH('{${M.namespace},${M.reasonDimension},${M.serviceDimension}} MetricName="${M.decisions}"', 'Sum', 60)`,
            id: "decisions",
            label: "",
          },
        ],
      ],
      { view: "bar", stacked: true },
    ),
    metricWidget("Guards: crash-loop (1 = capped), tasks shifted off Spot", 12, y, 12, [
      [
        {
          expression: `SEARCH('{${M.namespace},${M.serviceDimension}} MetricName="${M.crashLoopGuard}"', 'Maximum', 60)`,
          id: "crash",
          label: "crash-loop",
        },
      ],
      [
        {
          expression: `SEARCH('{${M.namespace},${M.serviceDimension}} MetricName="${M.spotShifted}"', 'Maximum', 60)`,
          id: "spot",
          label: "shifted to on-demand",
        },
      ],
    ]),
  );
  y += 6;

  widgets.push(
    metricWidget("Functions: errors, throttles and failed events", 0, y, 12, [
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
        "AWS/Lambda",
        "Throttles",
        "FunctionName",
        "${TaskDasheventsLambdaFunction}",
        { label: "task-events throttles", stat: "Sum" },
      ],
      [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "${FailedEventsQueue.QueueName}",
        { label: "failed events waiting", stat: "Maximum" },
      ],
      [
        {
          expression: `SEARCH('{${M.namespace},${M.serviceDimension}} MetricName="${M.failures}"', 'Sum', 60)`,
          id: "fail",
          label: "evaluation failures",
        },
      ],
    ]),
    metricWidget("Functions: duration (ms)", 12, y, 12, [
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
        "| fields @timestamp, service, from, to, reason, explanation, dryRun",
        "| filter ispresent(reason) and ispresent(to)",
        "| sort @timestamp desc",
        "| limit 100",
      ].join(" "),
    },
  });

  return { "Fn::Sub": JSON.stringify({ widgets }) };
}

/** A stable, CloudFormation-safe logical ID for a per-service resource. */
function logicalId(prefix: string, s: { cluster: string; service: string }): string {
  const readable = `${s.cluster}${s.service}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 40);
  const hash = createHash("sha256").update(`${s.cluster}/${s.service}`).digest("hex").slice(0, 8);
  return `${prefix}${readable}${hash}`;
}

/**
 * Per-service alarms: the crash-loop guard capping a service's scale-up, and (for Spot services with
 * an on-demand sibling) Spot fallback running tasks on demand. Both are states to know about, not
 * failures of the autoscaler: they say something about the service or about Spot capacity.
 */
export function serviceAlarms(plan: DeployPlan, alarmActions: string[]): Record<string, unknown> {
  const M = RUNTIME_METRICS;
  const resources: Record<string, unknown> = {};
  const alarm = (s: PlannedService, what: string, description: string, metric: string) => ({
    Type: "AWS::CloudWatch::Alarm",
    Properties: {
      AlarmName: {
        "Fn::Sub": `\${AWS::StackName}-${literal(what)}-${literal(s.cluster)}-${literal(s.service)}`,
      },
      AlarmDescription: description,
      Namespace: M.namespace,
      MetricName: metric,
      Dimensions: [{ Name: M.serviceDimension, Value: `${s.cluster}/${s.service}` }],
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      // No datapoint means no evaluation reported the state: not in alarm.
      TreatMissingData: "notBreaching",
      AlarmActions: alarmActions,
      OKActions: alarmActions,
    },
  });
  for (const s of plan.services.filter((x) => x.role === "configured")) {
    resources[logicalId("CrashLoopAlarm", s)] = alarm(
      s,
      "crash-loop",
      `${s.cluster}/${s.service}: new tasks keep failing to start; the autoscaler stopped scaling it up beyond running + margin until tasks run again`,
      M.crashLoopGuard,
    );
    if (s.onDemandService) {
      resources[logicalId("SpotFallbackAlarm", s)] = alarm(
        s,
        "spot-fallback",
        `${s.cluster}/${s.service}: Fargate Spot capacity is short; tasks run on the on-demand sibling ${s.onDemandService} until Spot has been steady for the cool-off period`,
        M.spotShifted,
      );
    }
  }
  return resources;
}
