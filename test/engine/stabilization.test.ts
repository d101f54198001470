/** Stabilization: Kubernetes TestNormalizeDesiredReplicasWithBehavior (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go). */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../shared/config/policy.ts";
import { stabilize } from "../../shared/engine/stabilization.ts";
import { ago, NOW, queueUrl } from "./build.ts";

const nowMs = Date.parse(NOW);
const recs = (...pairs: [number, number][]) => pairs.map(([tasks, minutesAgo]) => ({ tasks, at: ago(minutesAgo * 60) }));
const windows = (up: number, down: number) =>
  policySchema.parse({
    maxTasks: 1000,
    triggers: [{ type: "sqs", queueUrl }],
    behavior: { scaleUp: { stabilizationWindowSeconds: up }, scaleDown: { stabilizationWindowSeconds: down } },
  }).behavior;

describe("stabilization windows", () => {
  it.each([
    { name: "no history: desired passes", r: recs(), current: 100, desired: 5, up: 0, down: 0, expected: 5 },
    { name: "down window keeps the highest recent recommendation", r: recs([4, 2], [5, 1]), current: 100, desired: 3, up: 0, down: 180, expected: 5 },
    { name: "up window keeps the lowest recent recommendation", r: recs([4, 2], [5, 1]), current: 1, desired: 7, up: 300, down: 0, expected: 4 },
    { name: "up window with lower history lets 3 through", r: recs([1, 2], [2, 1]), current: 100, desired: 3, up: 300, down: 0, expected: 3 },
    { name: "down window with lower history lets 3 through", r: recs([4, 2], [5, 1]), current: 1, desired: 3, up: 0, down: 300, expected: 3 },
    { name: "old recommendations are ignored", r: recs([10, 10], [9, 9]), current: 100, desired: 3, up: 0, down: 0, expected: 3 },
    { name: "old recommendations do not hold a scale-up", r: recs([10, 10], [9, 9]), current: 1, desired: 100, up: 0, down: 0, expected: 100 },
    { name: "only the window's entries count (down 180 s)", r: recs([10, 10], [9, 9], [5, 2], [4, 1]), current: 100, desired: 3, up: 0, down: 180, expected: 9 },
    { name: "the run in force when the window opens counts, an older one does not", r: recs([10, 10], [9, 9], [5, 2]), current: 100, desired: 3, up: 0, down: 180, expected: 9 },
    { name: "a run that ended before the window opens does not count", r: recs([10, 10], [9, 9], [5, 4], [4, 1]), current: 100, desired: 3, up: 0, down: 180, expected: 5 },
    { name: "only the window's entries count (up 300 s)", r: recs([10, 100], [6, 1], [5, 2], [9, 3]), current: 1, desired: 100, up: 300, down: 0, expected: 5 },
  ])("$name", ({ r, current, desired, up, down, expected }) => {
    expect(stabilize(windows(up, down), current, desired, r, nowMs).tasks).toBe(expected);
  });

  it("a default 300 s scale-down window over 5 minutes (TestNormalizeDesiredReplicas)", () => {
    expect(stabilize(windows(0, 300), 5, 3, recs([4, 2], [5, 1]), nowMs)).toMatchObject({ tasks: 5, limitedBy: "ScaleDownStabilized" });
  });
});

describe("which window decided", () => {
  it.each([
    { name: "the up-window names ScaleUpStabilized", current: 1, desired: 7, up: 300, down: 0, by: "ScaleUpStabilized" },
    { name: "the down-window names ScaleDownStabilized", current: 100, desired: 3, up: 0, down: 180, by: "ScaleDownStabilized" },
    { name: "a recommendation passed through names nothing", current: 100, desired: 5, up: 0, down: 0, by: undefined },
  ])("$name", ({ current, desired, up, down, by }) => {
    expect(stabilize(windows(up, down), current, desired, recs([4, 2], [5, 1]), nowMs).limitedBy).toBe(by);
  });
});
