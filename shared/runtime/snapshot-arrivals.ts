/**
 * The arrival rate from the GetQueueAttributes snapshots every pass reads anyway, instead of a
 * CloudWatch NumberOfMessagesSent read per minute. Pure.
 *
 * SQS keeps every message it accepted until it is deleted (or expires): visible, in flight and
 * delayed messages are all of them, so over a window Δt
 *
 *   arrivals = Δ(visible + in flight + delayed) + completions, completions ≈ F̄ · μ_msg · Δt
 *
 * with F̄ the mean in-flight count over the window (the mean of its two ends) and μ_msg what one
 * in-flight message completes per second (Little's law, learned from CloudWatch's Deleted and
 * NotVisible minutes: shared/runtime/rates.ts). A message received again after its visibility timeout
 * moves from in flight back to visible and changes nothing. The first term telescopes, so its errors do
 * not build up over windows; the completions follow μ_msg, which each CloudWatch read corrects. At a
 * steady load Δ ≈ 0 and the estimate is F̄ · μ_msg: divided by the rate per task, the busy tasks —
 * whatever μ was learned.
 *
 * The window ends at this pass and starts at the anchor, a snapshot kept in the state record and
 * replaced once it is {@link ARRIVAL_WINDOW_SECONDS} old, so the record changes once every few minutes,
 * not every pass. A pass inside the window blends the anchor's own window rate with the partial
 * window since (weights: what is left of the window, and the time since the anchor): a sliding window
 * of that length ending at this pass.
 * No rate (the engine then bounds arrivals from below by what the busy tasks complete, and a missing
 * rate never sheds capacity): before an anchor, after a gap longer than {@link MAX_WINDOW_SECONDS}, a
 * partial window shorter than {@link MIN_WINDOW_SECONDS} without a rate to blend with, or no μ_msg.
 */
import type { QueueDepth } from "../ports/queues.ts";
import type { ArrivalAnchor } from "../ports/state-store.ts";

/**
 * The window length: the anchor is replaced once it is this old. Measured (npm run bench, cost ÷
 * oracle geometric mean, every scenario ≥ 99.9% within target): 60 s 1.105, 120 s 1.096, 180 s 1.087,
 * 240 s 1.096. A short window follows each snapshot's noise (a task between two messages, ±2% counts)
 * into the count; a long one is late.
 */
export const ARRIVAL_WINDOW_SECONDS = 180;
/** A partial window at least this long gives a rate on its own when the anchor has none to blend with. */
export const MIN_WINDOW_SECONDS = 30;
/** A longer window (passes missed, a queue read failing) says too little about now: start afresh. */
export const MAX_WINDOW_SECONDS = 300;

export interface SnapshotArrivalsInput {
  /** The record's anchor, if any. */
  anchor: ArrivalAnchor | undefined;
  /** This pass's snapshot of the queue, undefined when it could not be read. */
  depth: QueueDepth | undefined;
  /** When this pass read it. */
  now: Date;
  /** What one in-flight message completes per second (μ_msg), undefined when not known. */
  completionRatePerMessage: number | undefined;
}

export interface SnapshotArrivals {
  /** Messages arriving per second, undefined when the snapshots cannot tell (see the module comment). */
  arrivalRate?: number;
  /** The anchor to keep: the same one inside the window, this pass's snapshot once it ended. */
  anchor: ArrivalAnchor | undefined;
}

/** The arrival rate over the window from `from` to `to` (seconds apart), with `mu` per in-flight message. */
export function windowArrivalRate(
  from: Pick<ArrivalAnchor, "n" | "f">,
  to: Pick<ArrivalAnchor, "n" | "f">,
  seconds: number,
  mu: number,
): number {
  const completions = mu * ((from.f + to.f) / 2) * seconds;
  return Math.max(0, to.n - from.n + completions) / seconds;
}

const rounded = (n: number) => Math.round(n * 1e4) / 1e4;

/** This pass's arrival rate from the anchor and its snapshot, and the anchor to keep. */
export function snapshotArrivals({
  anchor,
  depth,
  now,
  completionRatePerMessage: mu,
}: SnapshotArrivalsInput): SnapshotArrivals {
  if (!depth) return { anchor };
  const t = now.getTime();
  const current: ArrivalAnchor = {
    t,
    n: Math.max(0, depth.visible) + Math.max(0, depth.inFlight) + Math.max(0, depth.delayed),
    f: Math.max(0, depth.inFlight),
  };
  const seconds = anchor ? (t - anchor.t) / 1000 : Number.NaN;
  if (!anchor || !(seconds >= 0) || seconds > MAX_WINDOW_SECONDS) return { anchor: current };
  const ended = seconds >= ARRIVAL_WINDOW_SECONDS;
  if (mu === undefined || !(mu > 0)) return { anchor: ended ? current : anchor };
  const partial = seconds > 0 ? windowArrivalRate(anchor, current, seconds, mu) : undefined;
  if (ended) return { arrivalRate: partial, anchor: { ...current, r: rounded(partial!) } };
  if (anchor.r !== undefined) {
    const w = seconds / ARRIVAL_WINDOW_SECONDS;
    return { arrivalRate: anchor.r * (1 - w) + (partial ?? 0) * w, anchor };
  }
  return { arrivalRate: seconds >= MIN_WINDOW_SECONDS ? partial : undefined, anchor };
}
