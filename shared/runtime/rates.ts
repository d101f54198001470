/**
 * Arrival and processing rates of a queue, measured from its CloudWatch `AWS/SQS` metrics, for the
 * latency-aware queue policy. Pure.
 *
 * - Arrival: NumberOfMessagesSent (Sum) per second.
 * - Processing, by Little's law on the in-processing stage: in-flight messages L = completion rate X ×
 *   time in processing T, so 1 / T = X / L with X = NumberOfMessagesDeleted (Sum) per second and
 *   L = ApproximateNumberOfMessagesNotVisible (Average) of the same minute. That is what one message
 *   in processing completes per second, whether the tasks were saturated or half idle, and whatever the
 *   task count was during the minute; × `messagesPerTask` (how many messages a task works on at once)
 *   it is the rate of one busy task. Minutes with too little work in flight say nothing and are skipped.
 *   X and L are smoothed separately and divided (a ratio of sums, as Little's law holds over longer
 *   spans): averaging per-minute ratios instead gives quiet minutes — a burst's ramp, its last long
 *   messages — as much weight as busy ones and read 10–30% low on bursty traffic.
 * - Before the first sample, `messagesPerTask / secondsPerMessage` from the config, so the
 *   latency-aware model runs from the first pass instead of a static backlog-per-task target.
 *
 * An earlier version divided Deleted by the running count at the pass and learned only while the
 * backlog exceeded that count: after a scale-up it divided a small minute's work by the new, larger
 * count (0.16/s learned where tasks did 0.5/s), and the underestimate kept the tasks from ever looking
 * saturated again, so it was never corrected.
 */
import type { SqsTrigger } from "../engine/types.ts";
import type { MetricReading, MetricStatQuery } from "../ports/metrics.ts";
import type { ServiceRecord } from "../ports/state-store.ts";

type Learned = ServiceRecord["learned"];

/** SQS publishes these per minute; Sum over 60 s is the count of that minute, Average its mean level. */
export const SQS_RATE_PERIOD_SECONDS = 60;
/** Weight of a new processing-rate sample: a few minutes of history, one odd minute moves little. */
export const RATE_SMOOTHING = 0.3;
/**
 * A minute counts as a processing-rate sample only with at least this many messages in flight on
 * average (and some deleted): with less, a handful of deletions decides the rate.
 */
export const MIN_IN_FLIGHT_FOR_SAMPLE = 1;

/** The queue name of a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`), SQS's only metric dimension. */
export function queueNameOf(queueUrl: string): string {
  return (
    new URL(queueUrl).pathname
      .split("/")
      .filter((p) => p !== "")
      .pop() ?? queueUrl
  );
}

/** The AWS/SQS metrics behind the measured rates, with the statistic each is read with. */
export const sqsRateMetrics = {
  NumberOfMessagesSent: "Sum",
  NumberOfMessagesDeleted: "Sum",
  ApproximateNumberOfMessagesNotVisible: "Average",
} as const;
export type SqsRateMetric = keyof typeof sqsRateMetrics;

/** The query for one of the queue's AWS/SQS rate metrics: per 60 s, dimension QueueName. */
export function sqsRateQuery(queueUrl: string, name: SqsRateMetric): MetricStatQuery {
  return {
    kind: "stat",
    namespace: "AWS/SQS",
    name,
    dimensions: [{ name: "QueueName", value: queueNameOf(queueUrl) }],
    stat: sqsRateMetrics[name],
    periodSeconds: SQS_RATE_PERIOD_SECONDS,
  };
}

/** The first sqs trigger with a latency target: the one whose queue the service learns its rate from. */
export function latencyTriggerIndex(triggers: readonly { type: string }[]): number {
  return triggers.findIndex((t) => t.type === "sqs" && (t as SqsTrigger).targetWaitSeconds !== undefined);
}

export interface RateInputs {
  /** NumberOfMessagesSent, Sum of the latest minute. */
  sent: MetricReading | undefined;
  /** NumberOfMessagesDeleted, Sum of the latest minute. */
  deleted: MetricReading | undefined;
  /** ApproximateNumberOfMessagesNotVisible, Average of the latest minute. */
  inFlight: MetricReading | undefined;
  /** Messages one task works on at once (the trigger's `messagesPerTask`). */
  messagesPerTask: number;
  /** The configured processing time of one message: the rate until one is measured. */
  secondsPerMessage?: number;
  learned: Learned;
}

export interface Rates {
  arrivalRate?: number;
  /** The start of the minute the arrival rate was measured over (the arrival profile files it there). */
  arrivalRateAt?: Date;
  processingRatePerTask?: number;
  learned: Learned;
}

function datapointOf(reading: MetricReading | undefined): { value: number; at: Date } | undefined {
  return reading && "value" in reading ? reading : undefined;
}

/**
 * The Deleted count and in-flight average of one CloudWatch minute, or undefined when the minute
 * cannot tell: a reading missing, the two from different minutes, nothing deleted, or less than
 * {@link MIN_IN_FLIGHT_FOR_SAMPLE} in flight on average.
 */
export function processingSample(
  deleted: MetricReading | undefined,
  inFlight: MetricReading | undefined,
): { deleted: number; inFlight: number; at: Date } | undefined {
  const d = datapointOf(deleted);
  const l = datapointOf(inFlight);
  if (!d || !l || d.at.getTime() !== l.at.getTime()) return undefined;
  if (!(d.value > 0) || !(l.value >= MIN_IN_FLIGHT_FOR_SAMPLE)) return undefined;
  return { deleted: d.value, inFlight: l.value, at: d.at };
}

function smooth(previous: number | undefined, sample: number): number {
  const next = previous === undefined ? sample : previous + RATE_SMOOTHING * (sample - previous);
  return Math.round(next * 1e6) / 1e6;
}

/** The measured rate per task from the learned values; undefined before a minute was measured. */
export function measuredRatePerTask(learned: Learned, messagesPerTask: number): number | undefined {
  const { deletedPerMinute, inFlightAverage } = learned;
  if (
    deletedPerMinute !== undefined &&
    inFlightAverage !== undefined &&
    deletedPerMinute > 0 &&
    inFlightAverage > 0
  ) {
    return (
      Math.round(((messagesPerTask * deletedPerMinute) / SQS_RATE_PERIOD_SECONDS / inFlightAverage) * 1e6) /
      1e6
    );
  }
  // A record from before the smoothed counts were kept: its rate until the next sample replaces it.
  const legacy = learned.processingRatePerTask;
  return legacy !== undefined && legacy > 0 ? legacy : undefined;
}

/** This pass's rates and the learned values to store. A missing datapoint leaves a rate out, never zero. */
export function estimateRates({
  sent,
  deleted,
  inFlight,
  messagesPerTask,
  secondsPerMessage,
  learned,
}: RateInputs): Rates {
  const sentNow = datapointOf(sent);
  const arrivalRate = sentNow ? sentNow.value / SQS_RATE_PERIOD_SECONDS : undefined;
  let next = learned;
  const sample = processingSample(deleted, inFlight);
  if (sample && sample.at.toISOString() !== learned.processingRateSampleAt) {
    const fresh = learned.deletedPerMinute === undefined || learned.inFlightAverage === undefined;
    next = {
      ...learned,
      deletedPerMinute: smooth(fresh ? undefined : learned.deletedPerMinute, sample.deleted),
      inFlightAverage: smooth(fresh ? undefined : learned.inFlightAverage, sample.inFlight),
      processingRateSampleAt: sample.at.toISOString(),
    };
    const rate = measuredRatePerTask(next, messagesPerTask);
    if (rate !== undefined) next.processingRatePerTask = rate;
  }
  const measured = measuredRatePerTask(next, messagesPerTask);
  const configured = secondsPerMessage !== undefined ? messagesPerTask / secondsPerMessage : undefined;
  const processingRatePerTask = measured ?? configured;
  return {
    arrivalRate,
    ...(sentNow ? { arrivalRateAt: sentNow.at } : {}),
    processingRatePerTask,
    learned: next,
  };
}
