/**
 * The time a service is decided at. A pass reads the clock once, at its start (`now`); a slow pass
 * can load a record that another evaluator saved after that, whose entries (a scale event stamped
 * when its UpdateService landed, a recommendation made at a later pass's start) are dated after
 * `now`. The engine drops entries dated after its `now` (clock skew, hand edits), and the record it
 * returns is saved: deciding at the pass's `now` would erase a change that did land, and leave it out
 * of the rate limits. Such entries are real history, so the decision moves to just after them. Pure.
 */
import type { History } from "../engine/types.ts";

/**
 * How far ahead of this container's clock another writer's stamps may be and still count as written
 * during this pass: clocks of AWS hosts agree to well under a second. A later entry is a clock gone
 * wrong or a hand edit, and the engine's own rule for it applies.
 */
export const WRITER_CLOCK_SKEW_MS = 1_000;

/**
 * `now`, or 1 ms after the latest history entry dated after `now` and no later than `present` (the
 * clock when the record is decided) plus {@link WRITER_CLOCK_SKEW_MS}. One millisecond after, not
 * at: a scale event is identified by its time (a failed update takes back the event at the decision's
 * time, see ./overrides.ts), so a new one must not share another's.
 */
export function decisionTime(history: History | undefined, now: Date, present: Date): Date {
  if (!history) return now;
  const fromMs = now.getTime();
  const limitMs = Math.max(fromMs, present.getTime()) + WRITER_CLOCK_SKEW_MS;
  // One pass over the stamps, no arrays: every service is decided through this at every pass.
  let latest = Number.NEGATIVE_INFINITY;
  for (const e of history.scaleEvents) latest = laterStamp(latest, e.at, fromMs, limitMs);
  for (const r of history.recommendations) latest = laterStamp(latest, r.at, fromMs, limitMs);
  latest = laterStamp(latest, history.idleSince, fromMs, limitMs);
  latest = laterStamp(latest, history.lastActiveAt, fromMs, limitMs);
  return latest === Number.NEGATIVE_INFINITY ? now : new Date(latest + 1);
}

/** The later of `latest` and `at` (epoch ms) when `at` lies within [fromMs, limitMs]; else `latest`. */
function laterStamp(latest: number, at: string | undefined, fromMs: number, limitMs: number): number {
  if (at === undefined) return latest;
  const ms = Date.parse(at);
  return ms >= fromMs && ms <= limitMs && ms > latest ? ms : latest;
}
