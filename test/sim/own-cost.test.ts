/**
 * `ownCost` in the simulator output: ecs-autoscaler's ports count what its passes and events did, and
 * the bill follows from those counts.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../shared/sim/simulate.ts";

describe("ownCost of a simulated run", async () => {
  const output = await simulate({ scenario: "step-burst", duration: "30m", policies: ["ecs-autoscaler", "keda"] });
  const own = output.results[0]!.ownCost!;

  it("is reported for ecs-autoscaler only", () => {
    expect(own).toBeDefined();
    expect(output.results[1]!.ownCost).toBeUndefined();
  });

  it("counts one queue read and one DescribeServices call per pass", () => {
    expect(own.counts.passes).toBe(1800 / 10);
    expect(own.counts.calls["sqs:GetQueueAttributes"]).toBe(own.counts.passes);
    expect(own.counts.calls["ecs:DescribeServices"]).toBe(own.counts.passes);
  });

  it("counts a state load per pass, a state and a dedupe load per task event, by item size", () => {
    expect(own.counts.calls["dynamodb:GetItem"]).toBe(own.counts.passes + 2 * own.counts.taskEvents);
    expect(own.counts.calls["dynamodb:PutItem"]).toBeGreaterThanOrEqual(own.counts.taskEvents);
    expect(own.counts.dynamodbWriteUnits).toBeGreaterThanOrEqual(own.counts.calls["dynamodb:PutItem"]!);
    expect(own.stateItemBytesMax).toBeGreaterThan(100);
    expect(own.counts.dedupeItemBytesMax).toBeLessThan(1024);
  });

  it("prices the counts per month: the service's share apart from the deployment's fixed part", () => {
    const sum = (lines: { usdPerMonth: number }[]) => lines.reduce((s, l) => s + l.usdPerMonth, 0);
    expect(own.usdPerMonth).toBeCloseTo(sum(own.lines.service), 3);
    expect(own.fixedUsdPerMonth).toBeCloseTo(sum(own.lines.fixed), 3);
    expect(own.lines.fixed.map((l) => l.price)).toContain("lambdaGbSecond");
    expect(own.lines.service.map((l) => l.price)).not.toContain("dashboardMonth");
  });
});
