/**
 * Arrival and processing rates of a queue for the latency-aware queue policy. Pure.
 *
 * - Arrival: from the GetQueueAttributes snapshots every pass reads (./snapshot-arrivals.ts): the
 *   change of the messages in the queue plus what the in-flight ones completed, over the last three minutes.
 * - Processing, by Little's law on the in-processing stage: in-flight messages L = completion rate X ×
 *   time in processing T, so 1 / T = X / L with X = NumberOfMessagesDeleted (Sum) per second and
 *   L = ApproximateNumberOfMessagesNotVisible (Average) of the same minute, both CloudWatch AWS/SQS
 *   metrics. That is what one message in processing completes per second, whether the tasks were
 *   saturated or half idle, and whatever the task count was during the minute; × `messagesPerTask`
 *   (how many messages a task works on at once) it is the rate of one busy task. Minutes with too
 *   little work in flight say nothing and are skipped. X and L are smoothed separately and divided (a
 *   ratio of sums, as Little's law holds over longer spans): averaging per-minute ratios instead gives
 *   quiet minutes — a burst's ramp, its last long messages — as much weight as busy ones and read
 *   10–30% low on bursty traffic. The two metrics are read every few minutes as a series of every
 *   minute since the last sample (./rate-reads.ts), so each minute is learned from, in order.
 * - Before the first sample, `messagesPerTask / secondsPerMessage` from the config, so the
 *   latency-aware model runs from the first pass instead of a static backlog-per-task target.
 *
 * An earlier version divided Deleted by the running count at the pass and learned only while the
 * backlog exceeded that count: after a scale-up it divided a small minute's work by the new, larger
 * count (0.16/s learned where tasks did 0.5/s), and the underestimate kept the tasks from ever looking
 * saturated again, so it was never corrected.
 */
import type { SqsTrigger } from "../engine/types.ts";
import type { MetricSeries, MetricStatQuery } from "../ports/metrics.ts";
import type { QueueDepth } from "../ports/queues.ts";
import type { ArrivalAnchor, ServiceRecord } from "../ports/state-store.ts";
import { snapshotArrivals } from "./snapshot-arrivals.ts";

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

/** The AWS/SQS metrics behind the measured processing rate, with the statistic each is read with. */
export const sqsRateMetrics = {
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
  /** NumberOfMessagesDeleted (Sum) per minute since the last read, when this pass read them. */
  deleted: MetricSeries | undefined;
  /** ApproximateNumberOfMessagesNotVisible (Average) per minute, read with `deleted`. */
  inFlight: MetricSeries | undefined;
  /** This pass's snapshot of the latency queue, undefined when it could not be read. */
  depth: QueueDepth | undefined;
  /** The record's queue snapshot to measure arrivals from. */
  anchor: ArrivalAnchor | undefined;
  /** When this pass read the queue. */
  now: Date;
  /** Messages one task works on at once (the trigger's `messagesPerTask`). */
  messagesPerTask: number;
  /** The configured processing time of one message: the rate until one is measured. */
  secondsPerMessage?: number;
  learned: Learned;
}

export interface Rates {
  arrivalRate?: number;
  /** When the arrival rate was measured (the queue read that closed its window): the arrival profile files it there. */
  arrivalRateAt?: Date;
  processingRatePerTask?: number;
  learned: Learned;
  /** The queue snapshot to keep for the next passes. */
  anchor: ArrivalAnchor | undefined;
}

/** One CloudWatch minute of a series. */
type Point = { value: number; at: Date };

/**
 * The Deleted count and in-flight average of one CloudWatch minute, or undefined when the minute
 * cannot tell: a datapoint missing, the two from different minutes, nothing deleted, or less than
 * {@link MIN_IN_FLIGHT_FOR_SAMPLE} in flight on average.
 */
export function processingSample(
  deleted: Point | undefined,
  inFlight: Point | undefined,
): { deleted: number; inFlight: number; at: Date } | undefined {
  if (!deleted || !inFlight || deleted.at.getTime() !== inFlight.at.getTime()) return undefined;
  if (!(deleted.value > 0) || !(inFlight.value >= MIN_IN_FLIGHT_FOR_SAMPLE)) return undefined;
  return { deleted: deleted.value, inFlight: inFlight.value, at: deleted.at };
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

const pointsOf = (series: MetricSeries | undefined): Point[] =>
  series && "points" in series ? series.points : [];

/**
 * The learned values after every minute of the two series that is newer than the last sample, oldest
 * first, each folded in as a sample (the minutes joined by their time; one without both is skipped).
 */
export function learnProcessingRate(
  learned: Learned,
  deleted: MetricSeries | undefined,
  inFlight: MetricSeries | undefined,
  messagesPerTask: number,
): Learned {
  const after = learned.processingRateSampleAt ? Date.parse(learned.processingRateSampleAt) : -Infinity;
  const inFlightAt = new Map(pointsOf(inFlight).map((p) => [p.at.getTime(), p]));
  const minutes = pointsOf(deleted)
    .filter((p) => p.at.getTime() > after)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  let next = learned;
  for (const d of minutes) {
    const sample = processingSample(d, inFlightAt.get(d.at.getTime()));
    if (!sample) continue;
    const fresh = next.deletedPerMinute === undefined || next.inFlightAverage === undefined;
    next = {
      ...next,
      deletedPerMinute: smooth(fresh ? undefined : next.deletedPerMinute, sample.deleted),
      inFlightAverage: smooth(fresh ? undefined : next.inFlightAverage, sample.inFlight),
      processingRateSampleAt: sample.at.toISOString(),
    };
    const rate = measuredRatePerTask(next, messagesPerTask);
    if (rate !== undefined) next.processingRatePerTask = rate;
  }
  return next;
}

/**
 * This pass's rates, the learned values and the queue snapshot to store. A rate that cannot be
 * measured is left out, never zero.
 */
export function estimateRates({
  deleted,
  inFlight,
  depth,
  anchor,
  now,
  messagesPerTask,
  secondsPerMessage,
  learned,
}: RateInputs): Rates {
  const next = learnProcessingRate(learned, deleted, inFlight, messagesPerTask);
  const measured = measuredRatePerTask(next, messagesPerTask);
  const configured = secondsPerMessage !== undefined ? messagesPerTask / secondsPerMessage : undefined;
  const processingRatePerTask = measured ?? configured;
  const arrivals = snapshotArrivals({
    anchor,
    depth,
    now,
    completionRatePerMessage:
      processingRatePerTask === undefined ? undefined : processingRatePerTask / messagesPerTask,
  });
  return {
    arrivalRate: arrivals.arrivalRate,
    ...(arrivals.arrivalRate !== undefined ? { arrivalRateAt: now } : {}),
    processingRatePerTask,
    learned: next,
    anchor: arrivals.anchor,
  };
}
