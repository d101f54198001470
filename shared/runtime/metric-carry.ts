/**
 * Per-minute CloudWatch metrics read once per new datapoint, not once per pass. GetMetricData bills
 * every metric requested, but a 60 s metric gets a new datapoint once a minute: at a 10 s cadence
 * five reads of six return the datapoint the pass before already had. So each service's record
 * carries the latest datapoint of each metric it reads, and a metric is requested again only once a
 * newer datapoint can exist:
 *
 * - not before the next period has ended (`at` + 2 periods: a datapoint is stamped with its period's
 *   start and only complete periods count), and
 * - not before `period` after the last read that still found the previous datapoint: CloudWatch
 *   publishes a metric's datapoints at a steady delay after their period ends (SQS pushes its metrics
 *   once a minute), so if datapoint m was not there at time t, m + 1 is not there before t + period.
 *
 * Until then the carried datapoint is the answer a read would have given, so decisions are the same
 * as reading every pass. A read that finds nothing (an error reading) is read again every pass for
 * {@link MISSING_GRACE_SECONDS}; a metric that stays without datapoints longer (SQS stops publishing
 * the metrics of a queue idle for hours) is read once a period. Pure.
 */
import type { MetricQuery, MetricReading } from "../ports/metrics.ts";
import type { CarriedDatapoint, CarriedReading } from "../ports/state-store.ts";

/**
 * How long a metric without datapoints is read every pass before once a period: well beyond what a
 * datapoint takes to appear once a metric starts (its first period plus CloudWatch's delay, minutes),
 * so a metric that is merely late is still read every pass.
 */
export const MISSING_GRACE_SECONDS = 600;

/** A short fingerprint of a query, so a changed config (another queue, statistic or period) reads afresh. */
export function queryFingerprint(query: MetricQuery): string {
  const text = JSON.stringify(query);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** Whether a carried datapoint still answers `query` at `now` (no newer one can have been published). */
export function stillCurrent(carried: CarriedReading | undefined, query: MetricQuery, now: Date): boolean {
  if (!carried || carried.q !== queryFingerprint(query)) return false;
  const periodMs = query.periodSeconds * 1000;
  const t = now.getTime();
  if ("e" in carried) return t - carried.e >= MISSING_GRACE_SECONDS * 1000 && t - carried.r < periodMs;
  if (t < carried.t + 2 * periodMs) return true;
  return carried.u !== undefined && t <= carried.u + periodMs;
}

/**
 * What to carry after reading `reading` at `now`: the same datapoint read again (now the latest read
 * that found it), a newer one (with the latest time it was known not to be published yet), or for an
 * error reading since when the metric has had none.
 */
export function carryReading(
  previous: CarriedReading | undefined,
  query: MetricQuery,
  reading: MetricReading,
  now: Date,
): CarriedReading | undefined {
  const q = queryFingerprint(query);
  if ("error" in reading) {
    const since = previous !== undefined && previous.q === q && "e" in previous ? previous.e : now.getTime();
    return { q, e: since, r: now.getTime() };
  }
  const t = reading.at.getTime();
  const known = previous !== undefined && previous.q === q && !("e" in previous) ? previous : undefined;
  if (known && known.t === t) return { ...known, r: now.getTime() };
  const next: CarriedDatapoint = { q, v: reading.value, t, r: now.getTime() };
  if (known && t > known.t) {
    // Not published when the previous one was last read, nor when the previous one's bound ran out.
    const periodMs = query.periodSeconds * 1000;
    next.u = Math.max(known.r, known.u === undefined ? known.r : known.u + periodMs);
  }
  return next;
}

/** The carried datapoint as the reading it stands for (an error reading for a metric without datapoints). */
export function readingOf(carried: CarriedReading): MetricReading {
  if ("e" in carried)
    return { error: `no datapoints since ${new Date(carried.e).toISOString()} (read again once a period)` };
  return { value: carried.v, at: new Date(carried.t) };
}
