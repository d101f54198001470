/** Port: CloudWatch metric values. Adapter: shared/aws/cloudwatch-metrics.ts; simulator: shared/sim. */
import type { MetricTrigger } from "../engine/types.ts";

/** One metric to read, with an id unique within the call. */
export interface MetricRequest {
  id: string;
  trigger: MetricTrigger;
}

/** The latest datapoint of each request, or why there is none. */
export type MetricReading = { value: number; at: Date } | { error: string };

export interface MetricsPort {
  /** Reads the latest datapoint of every request; adapters batch GetMetricData by up to 500 queries. */
  latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>>;
}
