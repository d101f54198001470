/**
 * Scores one policy's run (the simulator output's fields): arrivals, processed, the fraction of messages
 * within the target wait, wait percentiles, task-seconds, cost at Fargate prices, utilization,
 * UpdateService calls, reaction time, and what scale-ins cost: interrupted messages, their wasted
 * task-seconds and added wait, and (with task scale-in protection) the task-seconds spent draining.
 *
 * Waits: a message's wait is arrival → the start of the processing that completed it (a message returned
 * by a stopped task keeps waiting). At the end of the run, messages in processing count with their wait;
 * messages still queued count only once they are already older than the target (they can only miss it);
 * younger ones are undecided and left out.
 */
import type { PolicyName, PolicyResult, WaitDistribution } from "./result.ts";
import type { WorldRecord } from "./world.ts";

/**
 * Fargate on-demand, Linux/x86, us-east-1: $0.04048 per vCPU-hour and $0.004445 per GB-hour, billed per
 * second with a one-minute minimum (AWS Fargate pricing page; docs/simulator.md).
 */
export const fargatePrice = { vcpuHour: 0.04048, gbHour: 0.004445 };

/** The simulated task size: 1 vCPU, 2 GB. */
export const defaultTaskSize = { vcpu: 1, memoryGb: 2 };

/** USD per task-second for a task size. */
export function pricePerTaskSecond(size = defaultTaskSize): number {
  return (size.vcpu * fargatePrice.vcpuHour + size.memoryGb * fargatePrice.gbHour) / 3600;
}

export function scoreRun(
  policy: PolicyName,
  record: WorldRecord,
  targetWaitSeconds: number,
  concurrency: number,
): PolicyResult {
  const waits = unsortedDecidedWaits(record, targetWaitSeconds);
  let within = 0;
  for (const w of record.waits) if (w <= targetWaitSeconds) within++;
  // p99 first: selecting it leaves the smaller values in front, where p50 is selected next.
  const p99 = selectPercentile(waits, 0.99, waits.length);
  const p50 = selectPercentile(waits, 0.5, Math.min(waits.length, rankOf(0.99, waits.length)));
  let max = waits.length > 0 ? Number.NEGATIVE_INFINITY : 0;
  for (const w of waits) if (w > max) max = w;
  return {
    policy,
    arrived: record.arrived,
    processed: record.processed,
    withinTarget: waits.length === 0 ? 1 : within / waits.length,
    waitP50Seconds: round(p50),
    waitP99Seconds: round(p99),
    waitMaxSeconds: round(max),
    taskSeconds: record.taskSeconds,
    costUsd: Math.round(record.taskSeconds * pricePerTaskSecond() * 1e4) / 1e4,
    utilization:
      record.taskSeconds > 0 ? round(record.workSeconds / (record.taskSeconds * concurrency), 4) : 0,
    updateServiceCalls: record.updateServiceCalls,
    reactionSeconds: record.reactionSeconds === null ? null : round(record.reactionSeconds),
    interruptedMessages: record.interruptedMessages,
    wastedTaskSeconds: round(record.lostWorkSeconds / concurrency),
    interruptedExtraWaitSeconds: round(record.interruptedExtraWaitSeconds),
    drainingTaskSeconds: round(record.drainingTaskSeconds),
  };
}

/** Settled waits plus the ages of queued messages already past the target, in no particular order (a fresh array the caller may reorder). */
function unsortedDecidedWaits(record: WorldRecord, targetWaitSeconds: number): Float64Array {
  const late = record.pendingAges.filter((age) => age > targetWaitSeconds);
  const waits = new Float64Array(record.waits.length + late.length);
  waits.set(record.waits);
  waits.set(late, record.waits.length);
  return waits;
}

/** The 1-based nearest rank of quantile `q` among `n` values, clamped to 1..n. */
function rankOf(q: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(q * n)));
}

/**
 * What {@link percentile} of the sorted values would return, without sorting all of them: selects
 * (Hoare's quickselect) the value of that rank among the first `count` values of `values`, which it
 * reorders so that smaller values come before it and larger ones after. A run's 1.8 M waits cost
 * two linear passes here instead of a full sort per score.
 */
function selectPercentile(values: Float64Array, q: number, count: number): number {
  if (values.length === 0) return 0;
  const k = rankOf(q, values.length) - 1;
  let lo = 0;
  let hi = count - 1;
  while (hi > lo) {
    const x = values[lo]!;
    const y = values[(lo + hi) >>> 1]!;
    const z = values[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi], and anything between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Quantile levels of {@link waitDistribution}: every 1 % to 90 %, then ever finer towards 100 %. */
export const waitQuantileLevels: readonly number[] = (() => {
  const levels: number[] = [];
  const add = (from: number, to: number, step: number) => {
    for (let k = Math.round(from / step); k * step < to - step / 2; k++) levels.push(round(k * step, 6));
  };
  add(0, 0.9, 0.01);
  add(0.9, 0.99, 0.001);
  add(0.99, 0.999, 0.0001);
  add(0.999, 1, 0.00001);
  levels.push(1);
  return levels;
})();

/**
 * The waits of `scoreRun`'s population at {@link waitQuantileLevels} (levels that repeat the previous
 * wait are dropped, so a run where most messages waited 0 s stays short). Empty when nothing is decided.
 */
export function waitDistribution(record: WorldRecord, targetWaitSeconds: number): WaitDistribution {
  const ranked = new RankedCentiseconds(unsortedDecidedWaits(record, targetWaitSeconds));
  const out: WaitDistribution = { share: [], seconds: [] };
  const n = ranked.length;
  if (n === 0) return out;
  // Nearest rank, robust to q × n landing a hair above a whole number (0.55 × 100 = 55.000000000000007).
  const at = (q: number) => ranked.at(Math.min(n - 1, Math.max(0, Math.ceil(q * n - 1e-9) - 1))) / 100;
  for (const [i, q] of waitQuantileLevels.entries()) {
    const s = at(q);
    const next = waitQuantileLevels[i + 1];
    // Keep the last level of a run of equal waits: it is the largest share known to be within `s`.
    if (next !== undefined && at(next) === s) continue;
    out.share.push(q);
    out.seconds.push(s);
  }
  return out;
}

/** Waits below this many centiseconds (about 11 minutes) are counted, not sorted. */
const countedCentiseconds = 1 << 16;

/**
 * Waits rounded to centiseconds (as the distribution reports them), readable by rank as if sorted.
 * Rounding keeps order, so the k-th smallest rounded wait is the k-th smallest wait rounded; most waits
 * are short, so they go into a histogram and only the long tail is sorted — one linear pass instead of
 * sorting a day's 1.8 M waits for every policy. Negative waits (none are made) fall back to a full sort.
 */
class RankedCentiseconds {
  readonly length: number;
  /** cumulative[c]: how many waits round to fewer than c centiseconds. */
  private readonly cumulative = new Uint32Array(countedCentiseconds + 1);
  /** The rounded waits of countedCentiseconds or more (and NaN), sorted; all of them after a fallback. */
  private readonly tail: Float64Array;

  constructor(waits: Float64Array) {
    this.length = waits.length;
    const rounded = waits.map((w) => Math.round(w * 100));
    // −0 too: the histogram would report it as 0.
    if (rounded.some((c) => c < 0 || Object.is(c, -0))) {
      this.tail = rounded.sort();
      return;
    }
    for (const c of rounded) if (c < countedCentiseconds) this.cumulative[c + 1]!++;
    for (let c = 1; c <= countedCentiseconds; c++) this.cumulative[c]! += this.cumulative[c - 1]!;
    this.tail = rounded.filter((c) => !(c < countedCentiseconds)).sort();
  }

  /** The rounded wait of 0-based rank `k` (0 ≤ k < length), in centiseconds. */
  at(k: number): number {
    const counted = this.length - this.tail.length;
    if (k >= counted) return this.tail[k - counted]!;
    // The smallest c with cumulative[c + 1] > k: the bucket holding rank k.
    let lo = 0;
    let hi = countedCentiseconds - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid + 1]! > k) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
