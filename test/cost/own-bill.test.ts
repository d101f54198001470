/**
 * The own-bill model against bills worked by hand from the AWS price pages (us-east-1, no free tier).
 */
import { describe, expect, it } from "vitest";
import { billOf, emptyUsage, readUnits, type Usage, usdPerMonth, writeUnits } from "../../shared/cost/own-bill.ts";
import { prices } from "../../shared/cost/prices.ts";

const day = 86_400;
const passesPerDay = day / 10;

describe("own bill", () => {
  it.each<{ name: string; usage: Partial<Usage>; usd: number }>([
    // 3 AWS/SQS metrics every 10 s pass: 25,920 a day, 777,600 a month at $0.01 per 1,000.
    { name: "GetMetricData: 3 metrics a pass at a 10 s cadence", usage: { seconds: day, getMetricDataMetrics: 3 * passesPerDay }, usd: 7.776 },
    // A 55 KB state item written every pass: 55 WRU × 8,640 × 30 = 14,256,000 WRU at $0.625 per million.
    { name: "DynamoDB: a 55 KB item written every pass", usage: { seconds: day, dynamodbWriteUnits: writeUnits(55 * 1024) * passesPerDay }, usd: 8.91 },
    // A 128 MB evaluator alive the whole minute: 43,200 invocations × 60 s × 0.125 GB = 324,000 GB-s.
    {
      name: "Lambda: one 128 MB invocation a minute lasting the minute",
      usage: { seconds: day, lambdaInvocations: 1440, lambdaGbSeconds: 1440 * 60 * 0.125 },
      usd: 324_000 * 0.0000133334 + 43_200 * 0.2e-6,
    },
    { name: "custom metrics, alarms and a dashboard are monthly already", usage: { seconds: day, customMetrics: 4, alarms: 3, dashboards: 1 }, usd: 4 * 0.3 + 3 * 0.1 + 3 },
    // 1 GiB of logs a day: 30 GiB ingested at $0.50 and kept at $0.03 a GB-month.
    { name: "logs: a GiB a day", usage: { seconds: day, logBytes: 1024 ** 3 }, usd: 30 * 0.5 + 30 * 0.03 },
    { name: "ECS calls and AWS service events are free", usage: { seconds: day, ecsApiCalls: 1e6, awsServiceEvents: 1e6 }, usd: 0 },
    { name: "nothing done costs nothing", usage: { seconds: day }, usd: 0 },
  ])("$name: $usd USD a month", ({ usage, usd }) => {
    expect(usdPerMonth({ ...emptyUsage(), ...usage })).toBeCloseTo(usd, 6);
  });

  it("a span twice as long with twice the counts costs the same per month", () => {
    const oneDay: Usage = { ...emptyUsage(day), sqsRequests: 8640, lambdaInvocations: 1440 };
    const twoDays: Usage = { ...emptyUsage(2 * day), sqsRequests: 2 * 8640, lambdaInvocations: 2 * 1440 };
    expect(usdPerMonth(twoDays)).toBeCloseTo(usdPerMonth(oneDay), 12);
  });

  it("lists non-zero lines, largest first, each with its monthly quantity", () => {
    const lines = billOf({ ...emptyUsage(day), sqsRequests: 8640, getMetricDataMetrics: 8640 });
    expect(lines).toEqual([
      { price: "getMetricDataMetric", quantityPerMonth: 259_200, usdPerMonth: expect.closeTo(2.592, 9) },
      { price: "sqsRequest", quantityPerMonth: 259_200, usdPerMonth: expect.closeTo(0.10368, 9) },
    ]);
  });

  it("every price names an https source and the day it was checked", () => {
    for (const price of Object.values(prices)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe("capacity units from item sizes", () => {
  it.each([
    [1, 1, 1],
    [1024, 1, 1],
    [1025, 2, 1],
    [4096, 4, 1],
    [4097, 5, 2],
    [55 * 1024, 55, 14],
  ])("an item of %i bytes: %i write units, %i strongly consistent read units", (bytes, write, read) => {
    expect(writeUnits(bytes)).toBe(write);
    expect(readUnits(bytes)).toBe(read);
    expect(readUnits(bytes, false)).toBe(read / 2);
  });
});
