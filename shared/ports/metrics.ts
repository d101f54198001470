/** Port: CloudWatch metric values. Adapter: shared/aws/cloudwatch-metrics.ts; simulator: shared/sim. */

/** A metric's identity and the statistic of its datapoints, as GetMetricData's MetricStat names them. */
export interface MetricStatQuery {
  kind: "stat";
  namespace: string;
  name: string;
  dimensions: readonly { name: string; value: string }[];
  /** CloudWatch statistic: Sum, Average, Maximum, Minimum, SampleCount, pNN, … */
  stat: string;
  /** Length of one datapoint, seconds. */
  periodSeconds: number;
}

/** A metric math or Metrics Insights expression, with the period of its datapoints. */
export interface MetricExpressionQuery {
  kind: "expression";
  expression: string;
  periodSeconds: number;
}

/**
 * What to read: a metric and statistic, or an expression. How far back to look for the latest
 * complete datapoint is the adapter's choice (a few periods).
 */
export type MetricQuery = MetricStatQuery | MetricExpressionQuery;

/** One metric to read, with an id unique within the call. */
export interface MetricRequest {
  id: string;
  query: MetricQuery;
}

/** The latest datapoint of each request, or why there is none. */
export type MetricReading = { value: number; at: Date } | { error: string };

export interface MetricsPort {
  /** Reads the latest datapoint of every request; adapters batch GetMetricData by up to 500 queries. */
  latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>>;
}
