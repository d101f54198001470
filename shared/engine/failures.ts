/**
 * Step 3 of `decide`, failed reads and fallback (KEDA `GetMetricsWithFallback` + the HPA's missing-metric
 * rule). A failed read never lowers the count: the count is held, unless the valid proposals scale up (as
 * the HPA does with partial data), or until more than `fallback.failureThreshold` consecutive failures,
 * when `fallback.tasks` stands in for the failed triggers' proposals. Pure.
 */
import type { ExplainedProposal } from "./triggers.ts";
import type { Policy } from "./types.ts";

export type ReadOutcome =
  | { kind: "ok"; desired: number; failures: 0 }
  | { kind: "hold"; failures: number; explanation: string }
  | { kind: "partial"; desired: number; failures: number; explanation: string }
  | { kind: "fallback"; desired: number; fallbackTasks: number; failures: number; explanation: string };

/** Decides what the readings allow: the desired count, a hold, or the fallback. */
export function assessReadings(
  policy: Policy,
  proposals: readonly ExplainedProposal[],
  priorFailures: number,
  current: number,
): ReadOutcome {
  const valid = proposals.flatMap((p) => (p.tasks === null ? [] : [p.tasks]));
  const validMax = Math.max(0, ...valid);
  if (valid.length === proposals.length) return { kind: "ok", desired: validMax, failures: 0 };

  const failures = priorFailures + 1;
  const fallback = policy.fallback;
  if (fallback && failures > fallback.failureThreshold) {
    // KEDA feeds the fallback through the HPA as the failed trigger's metric: the tolerance band
    // applies to it, and the largest proposal over all triggers wins.
    const ratio = current > 0 ? fallback.tasks / current : Number.POSITIVE_INFINITY;
    const withinTolerance = ratio >= 1 - policy.tolerance && ratio <= 1 + policy.tolerance;
    const fallbackTasks = withinTolerance ? current : fallback.tasks;
    const desired = Math.max(fallbackTasks, validMax);
    const tolerated =
      withinTolerance && fallback.tasks !== current ? ` (within tolerance of ${current})` : "";
    return {
      kind: "fallback",
      desired,
      fallbackTasks,
      failures,
      explanation: `${failures} consecutive failed reads > threshold ${fallback.failureThreshold}: fallback ${fallback.tasks}${tolerated}${valid.length > 0 ? `, largest with valid proposals ${desired}` : ""}`,
    };
  }
  if (valid.length > 0 && validMax > current) {
    return {
      kind: "partial",
      desired: validMax,
      failures,
      explanation: `${failures} consecutive failed read(s), but the valid proposals scale up to ${validMax}`,
    };
  }
  return { kind: "hold", failures, explanation: `${failures} consecutive failed read(s): hold ${current}` };
}
