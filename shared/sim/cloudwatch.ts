/**
 * Simulated CloudWatch: one-minute datapoints the world records, visible only `delaySeconds` after their
 * minute closes (SQS metrics are "pushed to CloudWatch at one-minute intervals" and reach alarms
 * minutes late). Baseline alarms and the runtime's MetricsPort read from here.
 */

/**
 * Metrics the world publishes (namespace/name). Counters are per-minute sums; Visible and AgeOfOldest are
 * sampled at the end of each minute; NotVisible and RunningTaskCount are averages over the minute.
 */
export const simMetricNames = {
  sent: "AWS/SQS/NumberOfMessagesSent",
  received: "AWS/SQS/NumberOfMessagesReceived",
  deleted: "AWS/SQS/NumberOfMessagesDeleted",
  visible: "AWS/SQS/ApproximateNumberOfMessagesVisible",
  notVisible: "AWS/SQS/ApproximateNumberOfMessagesNotVisible",
  oldestAge: "AWS/SQS/ApproximateAgeOfOldestMessage",
  runningTasks: "ECS/ContainerInsights/RunningTaskCount",
  cpu: "AWS/ECS/CPUUtilization",
} as const;
export type SimMetricName = (typeof simMetricNames)[keyof typeof simMetricNames];

export type Statistic = "Sum" | "Average" | "Maximum" | "Minimum" | "SampleCount";

export class SimCloudWatch {
  private readonly series = new Map<string, Float64Array>();

  constructor(
    readonly minutes: number,
    readonly delaySeconds: number,
  ) {}

  /** The world's storage for one metric: value of minute k at index k; NaN = no datapoint. */
  seriesOf(name: SimMetricName): Float64Array {
    let s = this.series.get(name);
    if (!s) {
      s = new Float64Array(this.minutes + 1).fill(Number.NaN);
      this.series.set(name, s);
    }
    return s;
  }

  /** Index of the newest published minute at `now` (s), or -1 when none is published yet. */
  latestMinute(now: number): number {
    return Math.min(this.minutes, Math.floor((now - this.delaySeconds) / 60) - 1);
  }

  /** Seconds at which the datapoint of `minute` becomes visible. */
  publishedAt(minute: number): number {
    return 60 * (minute + 1) + this.delaySeconds;
  }

  /**
   * The datapoint for the period of `periodSeconds` (a multiple of 60) ending with minute `lastMinute`,
   * aggregated with `stat`; undefined when every minute in it is missing or not yet published at `now`.
   */
  datapoint(
    name: string,
    stat: Statistic,
    periodSeconds: number,
    lastMinute: number,
    now: number,
  ): number | undefined {
    const s = this.series.get(name);
    if (!s || lastMinute < 0 || lastMinute > this.latestMinute(now)) return undefined;
    const span = Math.max(1, Math.round(periodSeconds / 60));
    let sum = 0;
    let count = 0;
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let k = Math.max(0, lastMinute - span + 1); k <= lastMinute; k++) {
      const v = s[k]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      count++;
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    if (count === 0) return undefined;
    switch (stat) {
      case "Sum":
        return sum;
      case "Average":
        return sum / count;
      case "Maximum":
        return max;
      case "Minimum":
        return min;
      case "SampleCount":
        return count;
    }
  }

  /** The latest published datapoint of `name` at `now`, with the minute it belongs to. */
  latest(
    name: string,
    stat: Statistic,
    periodSeconds: number,
    now: number,
  ): { value: number; minute: number } | undefined {
    const minute = this.latestMinute(now);
    const value = this.datapoint(name, stat, periodSeconds, minute, now);
    return value === undefined ? undefined : { value, minute };
  }
}
