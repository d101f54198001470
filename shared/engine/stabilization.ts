/**
 * Step 5 of `decide`, stabilization (Kubernetes `stabilizeRecommendationWithBehaviors`): scale up to no
 * more than the smallest recommendation of the up-window, down to no less than the largest of the
 * down-window, of the recommendations made strictly inside it. A window of 0 ignores history. Pure.
 *
 * The history is run-encoded (./history.ts): an entry stands for every decision from its own until
 * the next entry's, the last of them one cadence (the request's `intervalSeconds`) before it. So a
 * window of W > 0 seconds reads the entries made strictly after now − W, and the entry in force at
 * now − W if that last decision of its run falls after now − W. At a steady cadence that is exactly
 * the HPA's window over every decision. When decisions stop for a while, the missing ones count as
 * the value recommended before the gap (up to one cadence before the next decision); decisions closer
 * together than the cadence (an extra pass) can end a run's reading up to one cadence early. Without
 * a cadence (0) the entry in force at the window's start always counts: a window reads at most one
 * decision more than the HPA's.
 */
import { readFrom } from "./history.ts";
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
  cadenceSeconds = 0,
): Stabilized {
  const up = windowed(recommendations, behavior.scaleUp.stabilizationWindowSeconds, nowMs, cadenceSeconds);
  const down = windowed(
    recommendations,
    behavior.scaleDown.stabilizationWindowSeconds,
    nowMs,
    cadenceSeconds,
  );
  const upRecommendation = Math.min(desired, ...up);
  const downRecommendation = Math.max(desired, ...down);
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

/** The recommended counts a window of `windowSeconds` reads at `nowMs` (see the module comment). */
export function windowed(
  recommendations: History["recommendations"],
  windowSeconds: number,
  nowMs: number,
  cadenceSeconds = 0,
): number[] {
  if (windowSeconds <= 0) return [];
  return readFrom(recommendations, nowMs - windowSeconds * 1000, nowMs, cadenceSeconds * 1000).map(
    (r) => r.tasks,
  );
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
