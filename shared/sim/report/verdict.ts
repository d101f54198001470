/**
 * Pass or fail against the run's goal, and the cheapest policy that passes. The goal today is "at least
 * {@link goalShareWithinTarget} of messages wait no longer than the target wait"; a policy that misses it
 * is never called best, however cheap.
 */
import { clairvoyantPolicies, type PolicyResult } from "../result.ts";

/**
 * The share of messages that must wait no longer than the target wait for a policy to pass. One named
 * constant so that a "share of messages" setting of the run can replace it.
 */
export const goalShareWithinTarget = 0.99;

/**
 * Policies that are not deployable but are shown as the floor a real policy can approach (a policy that
 * knows the future, for instance). They get a verdict of their own and are never best.
 */
export const floorPolicies: ReadonlySet<string> = new Set<string>(clairvoyantPolicies);

/** Fractions closer than this are equal (they come from counts divided by the same total). */
const fractionEpsilon = 1e-9;

/** `pass`/`fail` against the goal; `floor` for a reference policy that cannot be deployed. */
export type VerdictStatus = "pass" | "fail" | "floor";

/** One policy's verdict. */
export interface PolicyVerdict {
  policy: string;
  status: VerdictStatus;
  /** The cheapest passing policy (ties: more messages within the target, then the first listed). */
  best: boolean;
}

/** Verdicts in the order of `results`, and the best policy (null when none passes). */
export interface Judgement {
  goalShare: number;
  verdicts: PolicyVerdict[];
  best: string | null;
  passing: number;
}

/** True when `withinTarget` meets `goalShare` (a missing or non-finite value never does). */
export function meetsGoal(withinTarget: number, goalShare = goalShareWithinTarget): boolean {
  return Number.isFinite(withinTarget) && withinTarget >= goalShare - fractionEpsilon;
}

/** Judges every policy against the goal and picks the cheapest that passes. */
export function judge(
  results: readonly PolicyResult[],
  goalShare = goalShareWithinTarget,
  floors: ReadonlySet<string> = floorPolicies,
): Judgement {
  const statusOf = (r: PolicyResult): VerdictStatus =>
    floors.has(r.policy) ? "floor" : meetsGoal(r.withinTarget, goalShare) ? "pass" : "fail";
  const passing = results.filter((r) => statusOf(r) === "pass" && Number.isFinite(r.costUsd));
  let best: PolicyResult | null = null;
  for (const r of passing) {
    if (
      best === null ||
      r.costUsd < best.costUsd ||
      (r.costUsd === best.costUsd && r.withinTarget > best.withinTarget + fractionEpsilon)
    ) {
      best = r;
    }
  }
  return {
    goalShare,
    verdicts: results.map((r) => ({ policy: r.policy, status: statusOf(r), best: r === best })),
    best: best?.policy ?? null,
    passing: results.filter((r) => statusOf(r) === "pass").length,
  };
}
