import { describe, expect, it } from "vitest";
import { compareCost } from "../../shared/sim/report/compare.ts";
import type { PolicyName, PolicyResult } from "../../shared/sim/result.ts";

function result(policy: PolicyName, withinTarget: number, costUsd: number): PolicyResult {
  return {
    policy,
    arrived: 100,
    processed: 100,
    withinTarget,
    waitP50Seconds: 1,
    waitP99Seconds: 2,
    waitMaxSeconds: 3,
    taskSeconds: 10,
    costUsd,
    utilization: 0.5,
    updateServiceCalls: 1,
    reactionSeconds: null,
  };
}

describe("cost at an equal or better within-target fraction", () => {
  it.each([
    {
      name: "cheapest and most on time wins alone; others are beaten by the cheapest that beats them",
      results: [result("ecs-autoscaler", 0.995, 1), result("keda", 0.97, 1.4), result("static", 0.99, 3)],
      best: ["ecs-autoscaler"],
      beatenBy: [null, "ecs-autoscaler", "ecs-autoscaler"],
    },
    {
      name: "cheaper but later is a trade-off, not a win",
      results: [result("ecs-autoscaler", 0.99, 1), result("static", 1, 3)],
      best: ["ecs-autoscaler", "static"],
      beatenBy: [null, null],
    },
    {
      name: "an equal fraction counts as good enough to beat",
      results: [result("target-tracking", 0.98, 2), result("keda", 0.98, 1.5)],
      best: ["keda"],
      beatenBy: ["keda", null],
    },
    {
      name: "equal cost and fraction: neither beats the other",
      results: [result("keda", 0.98, 2), result("step-scaling", 0.98, 2)],
      best: ["keda", "step-scaling"],
      beatenBy: [null, null],
    },
    {
      name: "beaten by the cheapest of several better policies",
      results: [result("static", 0.9, 5), result("keda", 0.95, 4), result("ecs-autoscaler", 0.99, 2)],
      best: ["ecs-autoscaler"],
      beatenBy: ["ecs-autoscaler", "ecs-autoscaler", null],
    },
    {
      name: "a result without a finite cost is neither best nor beats anyone",
      results: [result("keda", 0.98, Number.NaN), result("static", 0.9, 4)],
      best: ["static"],
      beatenBy: [null, null],
    },
  ])("$name", ({ results, best, beatenBy }) => {
    const comparison = compareCost(results);
    expect(comparison.best).toEqual(best);
    expect(comparison.verdicts.map((v) => v.beatenBy)).toEqual(beatenBy);
  });
});
