/**
 * When a service reads the AWS/SQS metrics its processing rate is learned from, and which minutes.
 * GetMetricData bills each metric requested, not each datapoint: one request over the last N minutes
 * at a 60 s period returns N datapoints for the price of one. So the two metrics (Deleted and
 * NotVisible, ./rates.ts) are read every {@link RATE_READ_INTERVAL_SECONDS}, each read asking for every
 * minute since the last one learned from (at most {@link RATE_LOOKBACK_SECONDS} back): the learning
 * still sees every minute, a few minutes later. The arrival rate needs no metric
 * (./snapshot-arrivals.ts). A read that fails is tried again after {@link RATE_RETRY_SECONDS}. Pure.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import type { MetricSeries, MetricSeriesRequest } from "../ports/metrics.ts";
import type { ServiceRecord } from "../ports/state-store.ts";
import { latencyTriggerIndex, SQS_RATE_PERIOD_SECONDS, type SqsRateMetric, sqsRateQuery } from "./rates.ts";
import { recordKey } from "./service-index.ts";

type Learned = ServiceRecord["learned"];

/**
 * Seconds between two reads of the rate metrics: 2 metrics × 4,320 reads in a 30-day month = 8,640
 * metrics, $0.086 at $0.01 per 1,000 (npm run bench:cost). npm run bench (cost ÷ oracle geometric
 * mean, with a 60 s arrival window): 5 minutes 1.101, 10 minutes 1.105, 15 minutes 1.103 — within the
 * bench's noise — but 15 minutes let azure-llm's within-target fall to 99.67% (the processing rate
 * learned later on its bursts); 5 minutes would cost $0.17.
 */
export const RATE_READ_INTERVAL_SECONDS = 600;
/** A failed read (throttled, an outage, a permission missing) is tried again this much later, not every pass. */
export const RATE_RETRY_SECONDS = 60;
/** How far back a read reaches at most: older minutes say little about the tasks running now. */
export const RATE_LOOKBACK_SECONDS = 1800;

/** Series request ids of one service's rate reads. */
export const rateSeriesId = {
  deleted: (service: ServiceConfig) => `${recordKey(service)}#deleted`,
  inFlight: (service: ServiceConfig) => `${recordKey(service)}#inFlight`,
};

const reads: readonly [SqsRateMetric, (service: ServiceConfig) => string][] = [
  ["NumberOfMessagesDeleted", rateSeriesId.deleted],
  ["ApproximateNumberOfMessagesNotVisible", rateSeriesId.inFlight],
];

/** Whether the rate metrics are due at `now`: never read, or read {@link RATE_READ_INTERVAL_SECONDS} ago. */
export function rateReadDue(learned: Learned, now: Date): boolean {
  const at = learned.ratesReadAt === undefined ? Number.NaN : Date.parse(learned.ratesReadAt);
  // A read stamped ahead of now (another evaluator's clock) counts as just done.
  return !(now.getTime() - at < RATE_READ_INTERVAL_SECONDS * 1000);
}

/** The first minute to ask for: the one after the last sample, at most {@link RATE_LOOKBACK_SECONDS} back. */
export function rateReadSince(learned: Learned, now: Date): Date {
  const oldest = Math.floor((now.getTime() - RATE_LOOKBACK_SECONDS * 1000) / 60_000) * 60_000;
  const sampled = learned.processingRateSampleAt ? Date.parse(learned.processingRateSampleAt) : Number.NaN;
  const next = sampled + SQS_RATE_PERIOD_SECONDS * 1000;
  return new Date(Number.isFinite(next) && next > oldest ? next : oldest);
}

/** The service's rate-metric series requests at `now`, if it has a latency queue and they are due. */
export function rateSeriesRequests(
  service: ServiceConfig,
  learned: Learned,
  now: Date,
): MetricSeriesRequest[] {
  const latency = service.policy.triggers[latencyTriggerIndex(service.policy.triggers)];
  if (latency?.type !== "sqs" || !rateReadDue(learned, now)) return [];
  const since = rateReadSince(learned, now);
  return reads.map(([name, id]) => ({ id: id(service), query: sqsRateQuery(latency.queueUrl, name), since }));
}

/**
 * `ratesReadAt` after this pass: now when it read the metrics, so that the next read is an interval
 * away; a read that failed is due again {@link RATE_RETRY_SECONDS} from now; unchanged when not read.
 */
export function afterRateRead(
  learned: Learned,
  deleted: MetricSeries | undefined,
  inFlight: MetricSeries | undefined,
  now: Date,
): Learned {
  if (deleted === undefined && inFlight === undefined) return learned;
  const failed = [deleted, inFlight].some((s) => s === undefined || "error" in s);
  const at = failed
    ? now.getTime() - (RATE_READ_INTERVAL_SECONDS - RATE_RETRY_SECONDS) * 1000
    : now.getTime();
  return { ...learned, ratesReadAt: new Date(at).toISOString() };
}
