/**
 * The engine's memory between decisions: recommendations (for stabilization), scale events (for rate
 * limits), since when nothing keeps the service up (for scale to zero) and consecutive failed reads.
 * Each list is pruned to what the longest window or period that reads it needs. Pure.
 *
 * Recommendations are run-encoded: a decision whose recommendation equals the latest one stored adds
 * nothing (that entry stays in force until a different one), so a service whose load does not move
 * leaves its history, and so its state record, unchanged from one pass to the next. The windows read
 * the runs: every entry made inside the window, and the entry in force when the window opens
 * (./stabilization.ts).
 */
import type { History, Policy, Recommendation } from "./types.ts";

/** The history a request without one starts from. */
export function emptyHistory(): History {
  return { recommendations: [], scaleEvents: [], failures: 0 };
}

/** Longest stabilization window, seconds. */
export function recommendationHorizon(policy: Policy): number {
  return Math.max(
    policy.behavior.scaleUp.stabilizationWindowSeconds,
    policy.behavior.scaleDown.stabilizationWindowSeconds,
  );
}

/** Longest rate-limit period, seconds. */
export function scaleEventHorizon(policy: Policy): number {
  const periods = [...policy.behavior.scaleUp.policies, ...policy.behavior.scaleDown.policies].map(
    (p) => p.periodSeconds,
  );
  return Math.max(0, ...periods);
}

/** Keeps entries strictly newer than `now − horizon` (the only ones any window or period will read). */
export function pruneByAge<T extends { at: string }>(
  entries: readonly T[],
  horizonSeconds: number,
  nowMs: number,
): T[] {
  const cutoff = nowMs - horizonSeconds * 1000;
  return entries.filter((e) => Date.parse(e.at) > cutoff);
}

/**
 * The recommendations with `tasks` recommended at `at` added as a run: nothing is added when the
 * latest entry already recommends `tasks` (it stays in force).
 */
export function appendRun(
  recommendations: readonly Recommendation[],
  at: string,
  tasks: number,
): Recommendation[] {
  if (recommendations.at(-1)?.tasks === tasks) return [...recommendations];
  return [...recommendations, { at, tasks }];
}

/**
 * The index of the entry in force at `cutoffMs`: the latest one made at or before it (of entries
 * made at the same instant, the last in the list), or −1 if every entry is newer.
 */
export function inForceIndex(recommendations: readonly Recommendation[], cutoffMs: number): number {
  let index = -1;
  let latest = Number.NEGATIVE_INFINITY;
  recommendations.forEach((r, i) => {
    const at = Date.parse(r.at);
    if (at <= cutoffMs && at >= latest) {
      index = i;
      latest = at;
    }
  });
  return index;
}

/**
 * The entries a window opening at `cutoffMs` reads: those made after it, and the one in force at it
 * while its run reached into the window. A run's last decision is taken to be one `cadenceMs` before
 * the next entry (or before `nowMs`, for the latest): at a steady cadence that is when it was. With a
 * cadence of 0 (unknown), the entry in force at the window's start always counts.
 */
export function readFrom(
  recommendations: readonly Recommendation[],
  cutoffMs: number,
  nowMs: number,
  cadenceMs = 0,
): Recommendation[] {
  const inForce = inForceIndex(recommendations, cutoffMs);
  const later = recommendations.filter((r) => Date.parse(r.at) > cutoffMs);
  if (inForce < 0) return later;
  const endMs = Math.min(nowMs, ...later.map((r) => Date.parse(r.at)));
  return endMs - cadenceMs > cutoffMs ? [recommendations[inForce]!, ...later] : later;
}

/**
 * Keeps what a window of up to `horizon` seconds opening at `now − horizon` or later can read: the
 * entries made after that instant and the one in force at it. With a horizon of 0 no window reads
 * history, and nothing is kept.
 */
export function pruneRuns(
  recommendations: readonly Recommendation[],
  horizonSeconds: number,
  nowMs: number,
): Recommendation[] {
  if (horizonSeconds <= 0) return [];
  const cutoff = nowMs - horizonSeconds * 1000;
  const inForce = inForceIndex(recommendations, cutoff);
  return recommendations.filter((r, i) => i === inForce || Date.parse(r.at) > cutoff);
}

/**
 * Whether two histories hold the same entries, field by field (not by serialised form, whose key order
 * depends on who built the object). A missing history equals only a missing history.
 */
export function sameHistory(a: History | undefined, b: History | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.failures === b.failures &&
    a.idleSince === b.idleSince &&
    a.lastActiveAt === b.lastActiveAt &&
    sameEntries(a.recommendations, b.recommendations, (x, y) => x.at === y.at && x.tasks === y.tasks) &&
    sameEntries(a.scaleEvents, b.scaleEvents, (x, y) => x.at === y.at && x.from === y.from && x.to === y.to)
  );
}

function sameEntries<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}
