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
