import { describe, expect, it } from "vitest";
import { goalShareWithinTarget, judge, meetsGoal } from "../../shared/sim/report/verdict.ts";
import type { PolicyResult } from "../../shared/sim/result.ts";

function result(policy: string, withinTarget: number, costUsd: number): PolicyResult {
  return {
    policy: policy as PolicyResult["policy"],
    arrived: 100,
    processed: 100,
    withinTarget,
    waitP50Seconds: 1,
    waitP99Seconds: 2,
    waitMaxSeconds: 3,
    taskSeconds: costUsd * 1000,
    costUsd,
    utilization: 0.5,
    updateServiceCalls: 1,
    reactionSeconds: null,
    interruptedMessages: 0,
    wastedTaskSeconds: 0,
    interruptedExtraWaitSeconds: 0,
    drainingTaskSeconds: 0,
  };
}

describe("the goal", () => {
  it("is 99 % of messages within the target wait", () => {
    expect(goalShareWithinTarget).toBe(0.99);
  });

  it.each([
    { withinTarget: 1, passes: true },
    { withinTarget: 0.99, passes: true },
    { withinTarget: 0.99 - 1e-12, passes: true }, // the same count ratio computed another way
    { withinTarget: 0.9899, passes: false },
    { withinTarget: 0.7261, passes: false },
    { withinTarget: Number.NaN, passes: false },
  ])("withinTarget $withinTarget passes: $passes", ({ withinTarget, passes }) => {
    expect(meetsGoal(withinTarget)).toBe(passes);
  });
});

describe("judge", () => {
  it.each([
    {
      name: "a cheap policy that misses the goal is not best; the cheapest passing one is",
      results: [result("ecs-autoscaler", 0.7261, 4.45), result("keda", 0.8144, 12), result("static", 1, 44.53)],
      statuses: ["fail", "fail", "pass"],
      best: "static",
      passing: 1,
    },
    {
      name: "among passing policies the cheapest wins",
      results: [result("ecs-autoscaler", 0.995, 3.63), result("keda", 1, 8.35), result("static", 1, 11.36)],
      statuses: ["pass", "pass", "pass"],
      best: "ecs-autoscaler",
      passing: 3,
    },
    {
      name: "at equal cost, more messages within target wins",
      results: [result("keda", 0.99, 5), result("static", 0.999, 5)],
      statuses: ["pass", "pass"],
      best: "static",
      passing: 2,
    },
    {
      name: "none passes: no best",
      results: [result("ecs-autoscaler", 0.9, 1), result("static", 0.98, 2)],
      statuses: ["fail", "fail"],
      best: null,
      passing: 0,
    },
  ])("$name", ({ results, statuses, best, passing }) => {
    const j = judge(results);
    expect(j.verdicts.map((v) => v.status)).toEqual(statuses);
    expect(j.best).toBe(best);
    expect(j.passing).toBe(passing);
    expect(j.verdicts.filter((v) => v.best).map((v) => v.policy)).toEqual(best === null ? [] : [best]);
  });

  it("marks a floor policy as not deployable: never best, not counted as passing", () => {
    const j = judge([result("oracle", 1, 1), result("ecs-autoscaler", 0.995, 3)], 0.99, new Set(["oracle"]));
    expect(j.verdicts).toEqual([
      { policy: "oracle", status: "floor", best: false },
      { policy: "ecs-autoscaler", status: "pass", best: true },
    ]);
    expect(j.passing).toBe(1);
  });

  it("takes the goal share as a parameter, for a run that asks for another share", () => {
    expect(judge([result("keda", 0.95, 1)], 0.95).best).toBe("keda");
    expect(judge([result("keda", 0.95, 1)], 0.999).best).toBeNull();
  });
});
