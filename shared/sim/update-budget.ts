/**
 * The account's UpdateService budget over several simulated services. ECS throttles UpdateService per
 * account and Region with a token bucket: a burst of 50 calls, refilled at 5 per second
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). Each service
 * runs in its own simulated world, so the budget is not a constraint inside the run: the calls of
 * every service are put on one timeline afterwards and played through ECS's bucket, which says how
 * many would have been throttled. Pure.
 */

/** ECS's documented UpdateService bucket. */
export const ECS_UPDATE_SERVICE_BUCKET = { burst: 50, perSecond: 5 } as const;

export interface UpdateBudgetCheck {
  /** UpdateService calls of every service together. */
  calls: number;
  /** The most calls within any one second (a window starting at a call). */
  peakPerSecond: number;
  /** Virtual seconds from the start of the busiest second. */
  peakAtSeconds: number;
  /** Calls ECS's bucket would have refused (the SDK retries them, later). */
  throttled: number;
  bucket: { burst: number; perSecond: number };
}

/** Plays every service's UpdateService times (virtual seconds, in any order) through ECS's bucket. */
export function checkUpdateBudget(
  times: readonly number[],
  bucket: { burst: number; perSecond: number } = ECS_UPDATE_SERVICE_BUCKET,
): UpdateBudgetCheck {
  const sorted = [...times].sort((a, b) => a - b);
  let tokens = bucket.burst;
  let last = 0;
  let throttled = 0;
  for (const t of sorted) {
    tokens = Math.min(bucket.burst, tokens + (t - last) * bucket.perSecond);
    last = t;
    if (tokens >= 1) tokens -= 1;
    else throttled++;
  }
  const peak = busiestSecond(sorted);
  return { calls: sorted.length, peakPerSecond: peak.count, peakAtSeconds: peak.at, throttled, bucket };
}

/** The most calls in [t, t + 1 s) over the calls' own times t (sorted ascending). */
function busiestSecond(sorted: readonly number[]): { count: number; at: number } {
  let best = { count: 0, at: 0 };
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + 1) end++;
    if (end - start > best.count) best = { count: end - start, at: sorted[start]! };
  }
  return best;
}
