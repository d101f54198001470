/**
 * Arrival and processing rates of a queue, measured from its CloudWatch `AWS/SQS` metrics, for the
 * latency-aware queue policy. Arrival: NumberOfMessagesSent per second. Processing per task:
 * NumberOfMessagesDeleted per second per running task, learned (smoothed) only from minutes in which
 * the tasks were saturated, i.e. the backlog stayed above the running count; an idle minute says how
 * much work there was, not how fast a task can go. Pure.
 */
import type { MetricTrigger, SqsTrigger } from "../config/policy.ts";
import type { MetricReading } from "../ports/metrics.ts";
import type { ServiceRecord } from "../ports/state-store.ts";

type Learned = ServiceRecord["learned"];

/** SQS publishes these per minute; Sum over 60 s is the count of that minute. */
export const SQS_RATE_PERIOD_SECONDS = 60;
/** Weight of a new processing-rate sample: a few minutes of history, one odd minute moves little. */
export const RATE_SMOOTHING = 0.3;

/** The queue name of a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`), SQS's only metric dimension. */
export function queueNameOf(queueUrl: string): string {
  return (
    new URL(queueUrl).pathname
      .split("/")
      .filter((p) => p !== "")
      .pop() ?? queueUrl
  );
}

/** A metric request for one of the queue's AWS/SQS counters: Sum per 60 s, dimension QueueName. */
export function sqsCounter(
  queueUrl: string,
  name: "NumberOfMessagesSent" | "NumberOfMessagesDeleted",
): MetricTrigger {
  return {
    type: "metric",
    metric: {
      namespace: "AWS/SQS",
      name,
      dimensions: [{ name: "QueueName", value: queueNameOf(queueUrl) }],
      stat: "Sum",
      periodSeconds: SQS_RATE_PERIOD_SECONDS,
    },
    periodSeconds: SQS_RATE_PERIOD_SECONDS,
    target: 1,
    targetType: "value",
    activationThreshold: 0,
  };
}

/** The first sqs trigger with a latency target: the one whose queue the service learns its rate from. */
export function latencyTriggerIndex(triggers: readonly { type: string }[]): number {
  return triggers.findIndex((t) => t.type === "sqs" && (t as SqsTrigger).targetWaitSeconds !== undefined);
}

export interface RateInputs {
  sent: MetricReading | undefined;
  deleted: MetricReading | undefined;
  running: number;
  backlog: number;
  learned: Learned;
}

export interface Rates {
  arrivalRate?: number;
  processingRatePerTask?: number;
  learned: Learned;
}

/** This pass's rates and the learned values to store. A missing datapoint leaves a rate out, never zero. */
export function estimateRates({ sent, deleted, running, backlog, learned }: RateInputs): Rates {
  const arrivalRate = sent && "value" in sent ? sent.value / SQS_RATE_PERIOD_SECONDS : undefined;
  let next = learned;
  if (deleted && "value" in deleted && deleted.value > 0 && running > 0 && backlog > running) {
    const sampleAt = deleted.at.toISOString();
    if (sampleAt !== learned.processingRateSampleAt) {
      const sample = deleted.value / SQS_RATE_PERIOD_SECONDS / running;
      const previous = learned.processingRatePerTask;
      const smoothed = previous === undefined ? sample : previous + RATE_SMOOTHING * (sample - previous);
      next = {
        ...learned,
        processingRatePerTask: Math.round(smoothed * 1e6) / 1e6,
        processingRateSampleAt: sampleAt,
      };
    }
  }
  return {
    ...(arrivalRate !== undefined ? { arrivalRate } : {}),
    ...(next.processingRatePerTask !== undefined && next.processingRatePerTask > 0
      ? { processingRatePerTask: next.processingRatePerTask }
      : {}),
    learned: next,
  };
}
