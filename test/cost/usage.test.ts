/**
 * What the ports count turns into the bill: item sizes as DynamoDB bills them, the counter's units and
 * calls, the Lambda model's passes and fixed part, and `ownCost` of a simulated run.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { passOffsetsMs } from "../../functions/evaluate/fan-out.ts";
import { SERVICES_PER_SHARD, shardCount } from "../../functions/evaluate/shards.ts";
import { itemBytes } from "../../shared/cost/item-size.ts";
import { fixedUsage, lambdaModel, lastPassStartSeconds, passesPerTick, serviceLambdaUsage, shardsFor, shardUsage } from "../../shared/cost/lambda-model.ts";
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
    // As the tick plans them (functions/evaluate/fan-out.ts).
    expect(passOffsetsMs(interval, 60)).toHaveLength(passes);
    expect(passOffsetsMs(interval, 60).at(-1)).toBe(last * 1000);
  });

  it("uses the deployed memory sizes and the loop's margin before the next tick", () => {
    const yml = readFileSync(new URL("../../serverless.yml", import.meta.url), "utf8");
    expect([...yml.matchAll(/^ {4}memorySize: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([lambdaModel.evaluatorMemoryGb * 1024, lambdaModel.taskEventsMemoryGb * 1024]);
    expect(lambdaModel.stopBeforeNextTickSeconds * 1000).toBe(LOOP_MARGINS.beforeNextTickMs);
  });

  it("bills each pass as an invocation of its own, its pass time only: 6 a minute at 10 s, 1 at 60 s", () => {
    const month = 30 * 86_400;
    // 43,200 ticks × 6 passes × 0.3 s × 0.25 GB
    expect(fixedUsage(10, month, 0)).toMatchObject({ lambdaInvocations: 43_200 * 6, schedulerInvocations: 43_200 });
    expect(fixedUsage(10, month, 0).lambdaGbSeconds).toBeCloseTo(43_200 * 6 * 0.3 * 0.25, 3);
    expect(fixedUsage(60, month, 0).lambdaGbSeconds).toBeCloseTo(43_200 * 0.3 * 0.25, 3);
    // A service is in every pass: 8,640 passes a day at 10 s, each 9 ms of its own.
    expect(serviceLambdaUsage(86_400, 10, 0).lambdaGbSeconds).toBeCloseTo(8_640 * 0.009 * 0.25, 6);
  });

  it("counts the pass queue's requests: one SendMessageBatch and a receive and a delete per queued pass a tick, plus the mapping's idle polling", () => {
    const minute = 60;
    // 10 s: 5 queued passes → 1 send + 10; polling: 5 pollers × 3 long polls of 20 s
    expect(fixedUsage(10, minute, 0).sqsRequests).toBeCloseTo(1 + 10 + 15, 9);
    // 60 s: nothing queued, the mapping still polls
    expect(fixedUsage(60, minute, 0).sqsRequests).toBeCloseTo(15, 9);
    // 1 s: 57 queued → 6 sends
    expect(fixedUsage(1, minute, 0).sqsRequests).toBeCloseTo(6 + 114 + 15, 9);
  });

  it("adds, per extra shard, a queued invocation per pass; one shard adds nothing", () => {
    const minute = 60;
    expect(usdPerMonth(shardUsage(10, minute, 1))).toBe(0);
    // 4 shards at 10 s: 18 more passes; 23 messages (3 sends) instead of 5 (1 send)
    expect(shardUsage(10, minute, 4)).toMatchObject({ lambdaInvocations: 18, sqsRequests: 3 + 46 - (1 + 10) });
  });

  it("shards as the evaluator does", () => {
    expect(lambdaModel.servicesPerShard).toBe(SERVICES_PER_SHARD);
    for (const n of [1, 250, 251, 1000, 2000]) expect(shardsFor(n)).toBe(shardCount(n));
  });
});
