/**
 * The engine's memory between decisions: recommendations (for stabilization), scale events (for rate
 * limits), when a trigger was last active (for scale to zero) and consecutive failed reads. Each list
 * is pruned to what the longest window or period that reads it needs. Pure.
 */
import type { History, Policy } from "./types.ts";

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
 * Whether two histories hold the same entries, field by field (not by serialised form, whose key order
 * depends on who built the object). A missing history equals only a missing history.
 */
export function sameHistory(a: History | undefined, b: History | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.failures === b.failures &&
    a.lastActiveAt === b.lastActiveAt &&
    sameEntries(a.recommendations, b.recommendations, (x, y) => x.at === y.at && x.tasks === y.tasks) &&
    sameEntries(a.scaleEvents, b.scaleEvents, (x, y) => x.at === y.at && x.from === y.from && x.to === y.to)
  );
}

function sameEntries<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}
