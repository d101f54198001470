/**
 * Step 6 of `decide`, rate limits (Kubernetes `convertDesiredReplicasWithBehaviorRate`): how far the count
 * may move given the policies and the scale events of their periods. The count at a period's start is the
 * current count less the tasks added and plus the tasks removed within it. Pure.
 */
import type { History, Policy, ScalingRules } from "./types.ts";

export interface RateLimited {
  tasks: number;
  limitedBy?: "ScaleUpLimit" | "ScaleDownLimit" | "ScaleUpDisabled" | "ScaleDownDisabled";
  explanation?: string;
}

/** Limits the move from `current` to `desired` by the behavior's policies. */
export function rateLimit(
  behavior: Policy["behavior"],
  current: number,
  desired: number,
  scaleEvents: History["scaleEvents"],
  nowMs: number,
): RateLimited {
  if (desired > current) {
    const rules = behavior.scaleUp;
    if (rules.selectPolicy === "Disabled") {
      return { tasks: current, limitedBy: "ScaleUpDisabled", explanation: `scale-up disabled → ${current}` };
    }
    const limit = Math.max(current, scaleUpLimit(rules, current, scaleEvents, nowMs));
    return limit < desired
      ? {
          tasks: limit,
          limitedBy: "ScaleUpLimit",
          explanation: `scale-up limit ${limit} (${describe(rules)})`,
        }
      : { tasks: desired };
  }
  if (desired < current) {
    const rules = behavior.scaleDown;
    if (rules.selectPolicy === "Disabled") {
      return {
        tasks: current,
        limitedBy: "ScaleDownDisabled",
        explanation: `scale-down disabled → ${current}`,
      };
    }
    const limit = Math.min(current, scaleDownLimit(rules, current, scaleEvents, nowMs));
    return limit > desired
      ? {
          tasks: limit,
          limitedBy: "ScaleDownLimit",
          explanation: `scale-down limit ${limit} (${describe(rules)})`,
        }
      : { tasks: desired };
  }
  return { tasks: desired };
}

/**
 * The count at the start of a policy's period: the current count less the tasks added and plus the
 * tasks removed by the scale events strictly after `nowMs − periodSeconds`.
 */
function periodStartCount(
  current: number,
  scaleEvents: History["scaleEvents"],
  periodSeconds: number,
  nowMs: number,
): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let periodStart = current;
  for (const e of scaleEvents) {
    if (Date.parse(e.at) > cutoff) periodStart -= e.to - e.from;
  }
  return periodStart;
}

/** `calculateScaleUpLimitWithScalingRules`: Max picks the largest proposal, Min the smallest. */
export function scaleUpLimit(
  rules: ScalingRules,
  current: number,
  scaleEvents: History["scaleEvents"],
  nowMs: number,
): number {
  const proposals = rules.policies.map((p) => {
    const periodStart = periodStartCount(current, scaleEvents, p.periodSeconds, nowMs);
    return p.type === "Tasks" ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100) - 1e-9);
  });
  return rules.selectPolicy === "Min" ? Math.min(...proposals) : Math.max(...proposals);
}

/** `calculateScaleDownLimitWithBehaviors`: Max picks the biggest change (the smallest count). */
export function scaleDownLimit(
  rules: ScalingRules,
  current: number,
  scaleEvents: History["scaleEvents"],
  nowMs: number,
): number {
  const proposals = rules.policies.map((p) => {
    const periodStart = periodStartCount(current, scaleEvents, p.periodSeconds, nowMs);
    // The HPA truncates toward zero (int32 conversion) here, where scale-up rounds up.
    return p.type === "Tasks" ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100) + 1e-9);
  });
  return rules.selectPolicy === "Min" ? Math.max(...proposals) : Math.min(...proposals);
}

function describe(rules: ScalingRules): string {
  const list = rules.policies
    .map((p) => `${p.type === "Tasks" ? p.value : `${p.value}%`}/${p.periodSeconds}s`)
    .join(", ");
  return rules.policies.length > 1 ? `${rules.selectPolicy} of ${list}` : list;
}
