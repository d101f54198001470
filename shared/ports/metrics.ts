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

/**
 * One metric to read as a series: every datapoint of a complete period from `since` (a period's start,
 * inclusive) up to the read. GetMetricData bills a metric requested once however many datapoints it
 * returns, so a metric read every few minutes gets all its minutes for the price of one.
 */
export interface MetricSeriesRequest extends MetricRequest {
  since: Date;
}

/** A metric's datapoints in the window, oldest first (empty: none published), or why they could not be read. */
export type MetricSeries = { points: { value: number; at: Date }[] } | { error: string };

export interface MetricsPort {
  /** Reads the latest datapoint of every request; adapters batch GetMetricData by up to 500 queries. */
  latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>>;
  /** Reads every complete datapoint since each request's `since`; batched like {@link latest}. */
  series(requests: readonly MetricSeriesRequest[], now: Date): Promise<Map<string, MetricSeries>>;
}
