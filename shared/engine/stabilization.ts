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
