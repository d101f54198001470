/** Rate limits: Kubernetes TestScalingWithRules and the limit-function cases (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go). */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../shared/config/policy.ts";
import { rateLimit, scaleDownLimit, scaleUpLimit } from "../../shared/engine/rate-limit.ts";
import type { ScalingPolicy } from "../../shared/engine/types.ts";
import { ago, NOW, queueUrl } from "./build.ts";

const nowMs = Date.parse(NOW);
const tasks = (value: number, periodSeconds = 60): ScalingPolicy => ({ type: "Tasks", value, periodSeconds });
const percent = (value: number, periodSeconds = 60): ScalingPolicy => ({ type: "Percent", value, periodSeconds });

function behavior(up?: ScalingPolicy[], down?: ScalingPolicy[], selectPolicy: "Max" | "Min" = "Max") {
  return policySchema.parse({
    maxTasks: 1000,
    triggers: [{ type: "sqs", queueUrl }],
    behavior: {
      scaleUp: up ? { policies: up, selectPolicy } : {},
      scaleDown: down ? { policies: down, selectPolicy } : {},
    },
  }).behavior;
}

/** generateEventsUniformDistribution(changes, 120): events at −100 s, −60 s, −20 s. */
function events(direction: "up" | "down", changes: number[], start = 100) {
  return changes.map((c, i) => ({ at: ago(start - i * 40), from: 50, to: direction === "up" ? 50 + c : 50 - c }));
}

describe("rate limits without prior events", () => {
  it.each([
    { name: "default scale-up doubles: 10 → 50 gives 20", b: behavior(), current: 10, desired: 50, expected: 20 },
    { name: "Tasks policy larger than Percent: 110", b: behavior([tasks(100), percent(100)]), current: 10, desired: 500, expected: 110 },
    { name: "Percent policy larger than Tasks: 20", b: behavior([tasks(2), percent(100)]), current: 10, desired: 500, expected: 20 },
    { name: "a 1% policy still adds one task: 3 → 4", b: behavior([percent(1)]), current: 3, desired: 1000, expected: 4 },
    { name: "Tasks policy caps at 40", b: behavior([tasks(30)]), current: 10, desired: 50, expected: 40 },
    { name: "200% policy caps at 30", b: behavior([percent(200)]), current: 10, desired: 50, expected: 30 },
    { name: "a large Tasks policy lets 50 through", b: behavior([tasks(100)]), current: 10, desired: 50, expected: 50 },
    { name: "scale-down Tasks 20 beats 1%: 80", b: behavior(undefined, [tasks(20), percent(1)]), current: 100, desired: 2, expected: 80 },
    { name: "scale-down 1% beats Tasks 2: 98", b: behavior(undefined, [tasks(2), percent(1)]), current: 100, desired: 2, expected: 98 },
    { name: "scale-down Tasks 5 from 10: 5", b: behavior(undefined, [tasks(5)]), current: 10, desired: 2, expected: 5 },
    { name: "scale-down 50% lets 5 through", b: behavior(undefined, [percent(50)]), current: 10, desired: 5, expected: 5 },
    { name: "default scale-down allows 100%", b: behavior(), current: 10, desired: 5, expected: 5 },
  ])("$name", ({ b, current, desired, expected }) => {
    expect(rateLimit(b, current, desired, [], nowMs).tasks).toBe(expected);
  });

  it("selectPolicy Min takes the smallest scale-up: min(1 + 2, ceil(1.5)) = 2", () => {
    const b = behavior([tasks(2), percent(50)], undefined, "Min");
    expect(scaleUpLimit(b.scaleUp, 1, [], nowMs)).toBe(2);
  });
  it("selectPolicy Min takes the smallest scale-down: max(5 − 2, int(2.5)) = 3", () => {
    const b = behavior(undefined, [tasks(2), percent(50)], "Min");
    expect(scaleDownLimit(b.scaleDown, 5, [], nowMs)).toBe(3);
  });
  it("Disabled never moves in that direction", () => {
    const b = policySchema.parse({
      maxTasks: 10,
      triggers: [{ type: "sqs", queueUrl }],
      behavior: { scaleUp: { selectPolicy: "Disabled" }, scaleDown: { selectPolicy: "Disabled" } },
    }).behavior;
    expect(rateLimit(b, 3, 9, [], nowMs)).toMatchObject({ tasks: 3, limitedBy: "ScaleUpDisabled" });
    expect(rateLimit(b, 3, 1, [], nowMs)).toMatchObject({ tasks: 3, limitedBy: "ScaleDownDisabled" });
  });
});

describe("rate limits with the scale events of the period", () => {
  it.each([
    { name: "Tasks 150/120s after +15: 100 − 15 + 150 = 235", b: behavior([tasks(150, 120)]), ev: events("up", [1, 5, 9]), current: 100, desired: 500, expected: 235 },
    { name: "200%/120s after +15: (100 − 15) × 3 = 255", b: behavior([percent(200, 120)]), ev: events("up", [1, 5, 9]), current: 100, desired: 500, expected: 255 },
    { name: "a limit below the current count holds the current count", b: behavior([tasks(5, 120)]), ev: events("up", [1, 5, 9]), current: 100, desired: 500, expected: 100 },
    {
      name: "mixed events: (6 − 4 + 2) × 4 = 16",
      b: behavior([percent(300, 300)]),
      ev: [...events("up", [4]), ...events("down", [2])],
      current: 6,
      desired: 24,
      expected: 16,
    },
    { name: "scale-down Tasks 5/120s after −15 holds 100", b: behavior(undefined, [tasks(5, 120)]), ev: events("down", [1, 5, 9]), current: 100, desired: 2, expected: 100 },
    { name: "scale-down 50%/120s after −12: int(112 × 0.5) = 56", b: behavior(undefined, [percent(50, 120)]), ev: events("down", [2, 4, 6]), current: 100, desired: 0, expected: 56 },
    {
      name: "scale-down mixed: int((10 − 2 + 4) × 0.5) = 6",
      b: behavior(undefined, [percent(50, 180)]),
      ev: [...events("up", [2]), ...events("down", [4])],
      current: 10,
      desired: 1,
      expected: 6,
    },
    { name: "scale-down blocked: int(130 × 0.9) = 117 > 100 holds 100", b: behavior(undefined, [percent(10, 120)]), ev: events("down", [10, 10, 10]), current: 100, desired: 0, expected: 100 },
    { name: "a negative limit lets the desired count through", b: behavior(undefined, [percent(1000, 120)]), ev: events("down", [10, 10, 10]), current: 10, desired: 5, expected: 5 },
    { name: "events older than the period do not count", b: behavior([tasks(150, 60)]), ev: events("up", [1, 5, 9], 180), current: 100, desired: 500, expected: 250 },
  ])("$name", ({ b, ev, current, desired, expected }) => {
    expect(rateLimit(b, current, desired, ev, nowMs).tasks).toBe(expected);
  });
});

describe("which limit decided", () => {
  it.each([
    { name: "a capped scale-up names ScaleUpLimit", b: behavior([tasks(30)]), current: 10, desired: 50, by: "ScaleUpLimit" },
    { name: "a scale-up the policy allows names no limit", b: behavior([tasks(100)]), current: 10, desired: 50, by: undefined },
    { name: "a capped scale-down names ScaleDownLimit", b: behavior(undefined, [tasks(5)]), current: 10, desired: 2, by: "ScaleDownLimit" },
    { name: "a scale-down the policy allows names no limit", b: behavior(undefined, [percent(50)]), current: 10, desired: 5, by: undefined },
    { name: "no move names no limit", b: behavior(), current: 10, desired: 10, by: undefined },
  ])("$name", ({ b, current, desired, by }) => {
    expect(rateLimit(b, current, desired, [], nowMs).limitedBy).toBe(by);
  });
});
