/** The usage line: at most once a minute per container, what the adapters called since the last one. */
import { Logger } from "@aws-lambda-powertools/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { USAGE_LINE_MESSAGE, UsageLine } from "../../functions/lib/usage-log.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import { captureOutputOf } from "./lambda-harness.ts";

/** The log lines `act` prints. */
const printed = (act: () => void) => captureOutputOf(act).logs();

afterEach(() => vi.restoreAllMocks());

describe("the usage line", () => {
  it("reports the calls, metrics and DynamoDB units since the last line, then counts from zero", () => {
    // Prepare
    const logger = new Logger({ serviceName: "ecs-autoscaler" });
    const usage = new UsageCounter();
    const line = new UsageLine(logger, usage);
    usage.call("ecs:DescribeServices");
    usage.call("dynamodb:BatchGetItem");
    usage.metricsRequested(3);
    usage.itemRead(800, true, "state");
    usage.itemWritten(800, "state");
    // Act
    const first = printed(() => line.afterInvocation(0));
    usage.call("sqs:GetQueueAttributes");
    const sameMinute = printed(() => line.afterInvocation(59_999));
    usage.call("sqs:GetQueueAttributes");
    const second = printed(() => line.afterInvocation(60_000));
    // Assess
    expect(first).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: USAGE_LINE_MESSAGE,
        calls: { "ecs:DescribeServices": 1, "dynamodb:BatchGetItem": 1 },
        getMetricDataMetrics: 3,
        dynamodbReadUnits: 1,
        dynamodbWriteUnits: 1,
      }),
    ]);
    expect(sameMinute).toEqual([]);
    expect(second).toEqual([expect.objectContaining({ calls: { "sqs:GetQueueAttributes": 2 }, getMetricDataMetrics: 0 })]);
  });

  it("is not written for an invocation that called nothing", () => {
    const line = new UsageLine(new Logger({ serviceName: "ecs-autoscaler" }), new UsageCounter());
    expect(printed(() => line.afterInvocation(0))).toEqual([]);
  });
});
