/**
 * What the ports count turns into the bill: item sizes as DynamoDB bills them, the counter's units and
 * calls, the Lambda model's passes and fixed part, and `ownCost` of a simulated run.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { itemBytes } from "../../shared/cost/item-size.ts";
import { fixedUsage, lambdaModel, lastPassStartSeconds, passesPerTick } from "../../shared/cost/lambda-model.ts";
import { usdPerMonth } from "../../shared/cost/own-bill.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import { LOOP_MARGINS } from "../../shared/runtime/evaluator-loop.ts";

describe("item sizes as DynamoDB bills them", () => {
  it.each<{ name: string; item: Record<string, unknown>; bytes: number }>([
    // "pk" 2 + "a/b" 3, "version" 7 + a one-digit number 2
    { name: "a key and a version", item: { pk: "a/b", version: 1 }, bytes: 14 },
    // 12345.67: 7 significant digits → 4 + 1
    { name: "a number by its significant digits", item: { n: 12345.67 }, bytes: 1 + 5 },
    { name: "UTF-8 bytes of a string", item: { s: "é€" }, bytes: 1 + 5 },
    // map: 3 + per entry (1 + name + value): 1 + 1 + 1 (bool) = 6
    { name: "a map of one boolean", item: { m: { a: true } }, bytes: 1 + 6 },
    // list: 3 + per element (1 + value): 2 × (1 + 2)
    { name: "a list of two numbers", item: { l: [1, 2] }, bytes: 1 + 9 },
    { name: "undefined attributes left out", item: { a: undefined, b: "x" }, bytes: 2 },
  ])("$name: $bytes bytes", ({ item, bytes }) => {
    expect(itemBytes(item)).toBe(bytes);
  });
});

describe("the usage counter", () => {
  it("turns item sizes into capacity units and calls into requests per AWS service", () => {
    const counter = new UsageCounter();
    counter.call("sqs:GetQueueAttributes");
    counter.call("sqs:GetQueueAttributes");
    counter.call("ecs:DescribeServices");
    counter.itemRead(5000, true, "state"); // 2 RRU
    counter.itemRead(0, true, "dedupe"); // a missing item still costs 1
    counter.itemWritten(1025, "dedupe"); // 2 WRU
    counter.metricsRequested(3);
    counter.customMetric("A");
    counter.customMetric("A");
    counter.customMetric("B");
    const usage = counter.usage(60);
    expect(usage).toMatchObject({ sqsRequests: 2, ecsApiCalls: 1, dynamodbReadUnits: 3, dynamodbWriteUnits: 2, getMetricDataMetrics: 3, customMetrics: 2 });
    expect(counter.counts().stateItemBytesMax).toBe(5000);
  });
});

describe("the Lambda model", () => {
  it.each([
    [10, 6, 50],
    [15, 4, 45],
    [30, 2, 30],
    [60, 1, 0],
    [7, 9, 56],
  ])("at %i s cadence a tick runs %i passes, the last starting at %i s", (interval, passes, last) => {
    expect(passesPerTick(interval)).toBe(passes);
    expect(lastPassStartSeconds(interval)).toBe(last);
  });

  it("uses the deployed memory sizes and the loop's margin before the next tick", () => {
    const yml = readFileSync(new URL("../../serverless.yml", import.meta.url), "utf8");
    expect([...yml.matchAll(/^ {4}memorySize: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([lambdaModel.evaluatorMemoryGb * 1024, lambdaModel.taskEventsMemoryGb * 1024]);
    expect(lambdaModel.stopBeforeNextTickSeconds * 1000).toBe(LOOP_MARGINS.beforeNextTickMs);
  });

  it("bills the evaluator's minute-long invocation at 10 s, a single pass at 60 s", () => {
    const day = 86_400;
    const lambdaAt = (interval: number) => fixedUsage(interval, day, 0).lambdaGbSeconds * 30;
    // 43,200 ticks × 50.3 s × 0.25 GB
    expect(lambdaAt(10)).toBeCloseTo(43_200 * 50.3 * 0.25, 3);
    expect(lambdaAt(60)).toBeCloseTo(43_200 * 0.3 * 0.25, 3);
    expect(usdPerMonth(fixedUsage(10, day, 0))).toBeGreaterThan(usdPerMonth(fixedUsage(60, day, 0)) + 7);
  });
});
