/**
 * Step 5 of `decide`, stabilization (Kubernetes `stabilizeRecommendationWithBehaviors`): scale up to no
 * more than the smallest recommendation of the up-window, down to no less than the largest of the
 * down-window. A window of 0 ignores history (recommendations strictly after now − window count). Pure.
 */
import type { History, Policy } from "./types.ts";

export interface Stabilized {
  tasks: number;
  limitedBy?: "ScaleUpStabilized" | "ScaleDownStabilized";
  explanation?: string;
}

/** Stabilizes `desired` against `current` and the stored recommendations. */
export function stabilize(
  behavior: Policy["behavior"],
  current: number,
  desired: number,
  recommendations: History["recommendations"],
  nowMs: number,
): Stabilized {
  const upCutoff = nowMs - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upRecommendation = desired;
  let downRecommendation = desired;
  for (const r of recommendations) {
    const at = Date.parse(r.at);
    if (at > upCutoff) upRecommendation = Math.min(upRecommendation, r.tasks);
    if (at > downCutoff) downRecommendation = Math.max(downRecommendation, r.tasks);
  }
  let tasks = current;
  if (tasks < upRecommendation) tasks = upRecommendation;
  if (tasks > downRecommendation) tasks = downRecommendation;
  if (tasks < desired) {
    return {
      tasks,
      limitedBy: "ScaleUpStabilized",
      explanation: `lowest recommendation of the last ${behavior.scaleUp.stabilizationWindowSeconds} s is ${upRecommendation} → ${tasks}`,
    };
  }
  if (tasks > desired) {
    return {
      tasks,
      limitedBy: "ScaleDownStabilized",
      explanation: `highest recommendation of the last ${behavior.scaleDown.stabilizationWindowSeconds} s is ${downRecommendation} → ${tasks}`,
    };
  }
  return { tasks };
}

/**
 * First sight (the HPA's `recordInitialRecommendation`): with no recommendations yet — a new service, a
 * lost or recreated state record — the current count counts as a recommendation made now, so a
 * scale-down waits for the stabilization window instead of shedding a warm service at once. The HPA
 * records it whatever comes next; here it is recorded only when the first recommendation is below the
 * current count, so it never holds a scale-up (with a scale-up window the HPA's seed would). Returns
 * the recommendations to stabilize against and to remember.
 */
export function withFirstSight(
  recommendations: History["recommendations"],
  current: number,
  desired: number,
  now: string,
): { recommendations: History["recommendations"]; seeded: boolean } {
  if (recommendations.length > 0 || desired >= current) return { recommendations, seeded: false };
  return { recommendations: [{ at: now, tasks: current }], seeded: true };
}
