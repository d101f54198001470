/**
 * Every price the autoscaler's own AWS bill is computed from, in one place: US East (N. Virginia),
 * on-demand, no free tier (a deployment shares the free tier with everything else in its account, so
 * counting it would flatter the figure). Each price names the public page it comes from and the day it
 * was checked; when AWS changes a price, change it here and re-run `npm run bench:cost`.
 */

/** One price: dollars per `unit`, where it is published, and when it was checked. */
export interface Price {
  usd: number;
  unit: string;
  source: string;
  checked: string;
}

const checked = "2026-12-02";
const lambda = "https://aws.amazon.com/lambda/pricing/";
const dynamodb = "https://aws.amazon.com/dynamodb/pricing/on-demand/";
const cloudwatch = "https://aws.amazon.com/cloudwatch/pricing/";
const sqs = "https://aws.amazon.com/sqs/pricing/";
const eventbridge = "https://aws.amazon.com/eventbridge/pricing/";

/** The price list. Units are single items (one request, one GB-second), not the pages' millions. */
export const prices = {
  /** Lambda on Arm (Graviton), the architecture the functions are deployed on. */
  lambdaGbSecond: { usd: 0.0000133334, unit: "GB-second (arm64)", source: lambda, checked },
  lambdaRequest: { usd: 0.2 / 1e6, unit: "invocation", source: lambda, checked },
  /** On-demand capacity mode (the state table's billing mode); standard table class. */
  dynamodbWriteUnit: { usd: 0.625 / 1e6, unit: "write request unit (1 KB)", source: dynamodb, checked },
  dynamodbReadUnit: {
    usd: 0.125 / 1e6,
    unit: "read request unit (4 KB, strongly consistent)",
    source: dynamodb,
    checked,
  },
  dynamodbStorageGbMonth: { usd: 0.25, unit: "GB-month stored", source: dynamodb, checked },
  /** GetMetricData bills the metrics requested, whatever the number of datapoints returned. */
  getMetricDataMetric: {
    usd: 0.01 / 1000,
    unit: "metric requested by GetMetricData",
    source: cloudwatch,
    checked,
  },
  /** Custom metrics, EMF included: each distinct name + dimensions, first 10,000 tier. */
  customMetricMonth: { usd: 0.3, unit: "custom metric-month", source: cloudwatch, checked },
  /** CloudWatch Logs standard class ingestion (the Lambda log groups, EMF documents included). */
  logIngestionGb: { usd: 0.5, unit: "GB of log data ingested", source: cloudwatch, checked },
  logStorageGbMonth: { usd: 0.03, unit: "GB-month of logs archived", source: cloudwatch, checked },
  /** A standard-resolution alarm on one metric. */
  alarmMonth: { usd: 0.1, unit: "standard alarm metric-month", source: cloudwatch, checked },
  dashboardMonth: { usd: 3, unit: "dashboard-month", source: cloudwatch, checked },
  /** SQS standard queue requests; GetQueueAttributes is one request. */
  sqsRequest: { usd: 0.4 / 1e6, unit: "SQS request", source: sqs, checked },
  /** EventBridge Scheduler invocations (the evaluator's tick). */
  schedulerInvocation: {
    usd: 1 / 1e6,
    unit: "EventBridge Scheduler invocation",
    source: eventbridge,
    checked,
  },
  /**
   * Events from AWS services (ECS task, service and deployment state changes, alarm state changes)
   * delivered by a rule on the default bus: free; listed so the bill says so.
   */
  awsServiceEvent: { usd: 0, unit: "AWS service event matched by a rule", source: eventbridge, checked },
  /** ECS API calls (DescribeServices, UpdateService) carry no charge. */
  ecsApiCall: { usd: 0, unit: "ECS API call", source: "https://aws.amazon.com/ecs/pricing/", checked },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof prices;

/** Seconds in the 30-day month the bill is quoted for. */
export const secondsPerMonth = 30 * 24 * 3600;
