/**
 * CloudWatch adapter: GetMetricData batching (500 queries per call across all requests), the exact
 * queries for metric-and-statistic and expression queries, the window, NextToken pagination, and per-id readings
 * (latest datapoint of a complete period; no datapoints is an error, never a zero); series reads (every
 * complete minute since each id's own start, one metric billed per id).
 */
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CloudWatchMetrics, MAX_QUERIES_PER_CALL, planMetricCalls } from "../../shared/aws/cloudwatch-metrics.ts";
import type { MetricExpressionQuery, MetricQuery, MetricRequest } from "../../shared/ports/metrics.ts";
import { serverError, throttling } from "./sdk-errors.ts";

const cwMock = mockClient(CloudWatchClient);
const cloudwatch = new CloudWatchClient({ region: "eu-west-1" });
beforeEach(() => cwMock.reset());
afterEach(() => cwMock.reset());

const NOW = new Date("2026-03-02T12:00:30Z");
const at = (hhmmss: string) => new Date(`2026-03-02T${hhmmss}Z`);

const latencyQuery: MetricQuery = {
  kind: "stat",
  namespace: "AWS/ApplicationELB",
  name: "TargetResponseTime",
  dimensions: [{ name: "LoadBalancer", value: "app/web/123" }],
  stat: "p99",
  periodSeconds: 60,
};
const expressionQuery: MetricExpressionQuery = {
  kind: "expression",
  expression: 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/ECS", ClusterName, ServiceName)',
  periodSeconds: 300,
};

const manyRequests = (count: number): MetricRequest[] => Array.from({ length: count }, (_, i) => ({ id: `svc-${i}/trigger-0`, query: latencyQuery }));

/** Answers each query of a call with one complete datapoint whose value is its query index. */
function answerEveryQuery(): void {
  cwMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
      Id: q.Id,
      StatusCode: "Complete",
      Timestamps: [at("11:59:00")],
      Values: [Number(q.Id?.slice(1))],
    })),
  }));
}

describe("GetMetricData batching", () => {
  it("reads 1001 requests with 3 calls of 500, 500 and 1 queries", async () => {
    // Prepare
    answerEveryQuery();
    // Act
    const readings = await new CloudWatchMetrics(cloudwatch).latest(manyRequests(1001), NOW);
    // Assess
    const calls = cwMock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.MetricDataQueries?.length)).toEqual([500, 500, 1]);
    expect(calls.map((c) => [c.MetricDataQueries?.[0]?.Id, c.MetricDataQueries?.at(-1)?.Id])).toEqual([
      ["q0", "q499"],
      ["q500", "q999"],
      ["q1000", "q1000"],
    ]);
    expect(readings.size).toBe(1001);
    expect(readings.get("svc-1000/trigger-0")).toEqual({ value: 1000, at: at("11:59:00") });
    expect(readings.get("svc-0/trigger-0")).toEqual({ value: 0, at: at("11:59:00") });
  });

  it.each([
    { requests: 0, calls: [] },
    { requests: 1, calls: [1] },
    { requests: 500, calls: [500] },
    { requests: 501, calls: [500, 1] },
  ])("plans $requests requests as calls of $calls", ({ requests, calls }) => {
    expect(planMetricCalls(manyRequests(requests), NOW).map((c) => c.input.MetricDataQueries.length)).toEqual(calls);
  });

  it("makes no call when there is nothing to read", async () => {
    const readings = await new CloudWatchMetrics(cloudwatch).latest([], NOW);
    expect(readings.size).toBe(0);
    expect(cwMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it("refuses two requests with the same id", async () => {
    const request = { id: "dup", query: latencyQuery };
    await expect(new CloudWatchMetrics(cloudwatch).latest([request, request], NOW)).rejects.toThrow(/"dup" is used twice/);
  });

  it(`keeps every call at or under ${MAX_QUERIES_PER_CALL} queries`, () => {
    const calls = planMetricCalls(manyRequests(2345), NOW);
    expect(Math.max(...calls.map((c) => c.input.MetricDataQueries.length))).toBe(MAX_QUERIES_PER_CALL);
    expect(new Set(calls.flatMap((c) => c.input.MetricDataQueries.map((q) => q.Id))).size).toBe(2345);
  });
});

describe("GetMetricData queries", () => {
  it("sends a metric stat and an expression exactly, newest first, over a window of 5 of the longest period", async () => {
    // Prepare
    answerEveryQuery();
    // Act
    await new CloudWatchMetrics(cloudwatch).latest(
      [
        { id: "web/0", query: latencyQuery },
        { id: "web/1", query: expressionQuery },
      ],
      NOW,
    );
    // Assess
    expect(cwMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input).toStrictEqual({
      MetricDataQueries: [
        {
          Id: "q0",
          MetricStat: {
            Metric: { Namespace: "AWS/ApplicationELB", MetricName: "TargetResponseTime", Dimensions: [{ Name: "LoadBalancer", Value: "app/web/123" }] },
            Period: 60,
            Stat: "p99",
          },
          ReturnData: true,
        },
        { Id: "q1", Expression: expressionQuery.expression, Period: 300, ReturnData: true },
      ],
      // 5 × 300 s before 12:00:30 is 11:35:30, on the minute below.
      StartTime: at("11:35:00"),
      EndTime: NOW,
      ScanBy: "TimestampDescending",
    });
  });

  it("uses a window of 5 periods of 60 s for one-minute metrics", () => {
    const [call] = planMetricCalls(manyRequests(1), NOW);
    expect(call?.input.StartTime).toEqual(at("11:55:00"));
  });
});

describe("readings", () => {
  async function readOne(result: Partial<MetricDataResult>, query: MetricQuery = latencyQuery) {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "q0", StatusCode: "Complete", ...result }] });
    return (await new CloudWatchMetrics(cloudwatch).latest([{ id: "r", query }], NOW)).get("r");
  }

  it("takes the latest datapoint whose period has ended", async () => {
    const reading = await readOne({ Timestamps: [at("12:00:00"), at("11:59:00"), at("11:58:00")], Values: [1, 2, 3] });
    // 12:00:00–12:01:00 is still open at 12:00:30, so its partial value is skipped.
    expect(reading).toEqual({ value: 2, at: at("11:59:00") });
  });

  it("takes the latest datapoint even when CloudWatch lists them out of order", async () => {
    const reading = await readOne({ Timestamps: [at("11:57:00"), at("11:59:00"), at("11:58:00")], Values: [1, 2, 3] });
    expect(reading).toEqual({ value: 2, at: at("11:59:00") });
  });

  it("reports a metric without datapoints as an error, not a zero", async () => {
    const reading = await readOne({ Timestamps: [], Values: [] });
    expect(reading).toEqual({
      error: "AWS/ApplicationELB TargetResponseTime {LoadBalancer=app/web/123} (p99, 60 s): no datapoints in the last 330 s",
    });
  });

  it("reports a metric whose only datapoint is in the open period as an error", async () => {
    const reading = await readOne({ Timestamps: [at("12:00:00")], Values: [5] });
    expect(reading).toMatchObject({ error: expect.stringMatching(/no datapoints/) });
  });

  it.each(["InternalError", "Forbidden"] as const)("reports status %s as an error with CloudWatch's messages", async (status) => {
    const reading = await readOne({
      StatusCode: status,
      Timestamps: [at("11:59:00")],
      Values: [4],
      Messages: [{ Code: "Forbidden", Value: "not authorized for namespace" }],
    });
    expect(reading).toEqual({
      error: `AWS/ApplicationELB TargetResponseTime {LoadBalancer=app/web/123} (p99, 60 s): CloudWatch status ${status} (Forbidden not authorized for namespace)`,
    });
  });

  it("reports an id missing from the response as an error", async () => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const readings = await new CloudWatchMetrics(cloudwatch).latest([{ id: "r", query: expressionQuery }], NOW);
    expect(readings.get("r")).toEqual({ error: `expression ${JSON.stringify(expressionQuery.expression)} (300 s): not in the GetMetricData response` });
  });
});

describe("pagination", () => {
  it("follows NextToken and merges the pages of each id", async () => {
    // Prepare: page 1 has only the older datapoint of q0 (PartialData); page 2 the newer one and q1's.
    cwMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) =>
      input.NextToken === undefined
        ? { MetricDataResults: [{ Id: "q0", StatusCode: "PartialData", Timestamps: [at("11:57:00")], Values: [1] }], NextToken: "page-2" }
        : {
            MetricDataResults: [
              { Id: "q0", StatusCode: "Complete", Timestamps: [at("11:59:00")], Values: [9] },
              { Id: "q1", StatusCode: "Complete", Timestamps: [at("11:55:00")], Values: [70] },
            ],
          },
    );
    // Act
    const readings = await new CloudWatchMetrics(cloudwatch).latest(
      [
        { id: "a", query: latencyQuery },
        { id: "b", query: expressionQuery },
      ],
      NOW,
    );
    // Assess
    const calls = cwMock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, "page-2"]);
    expect(calls[1]?.MetricDataQueries).toEqual(calls[0]?.MetricDataQueries);
    expect(readings.get("a")).toEqual({ value: 9, at: at("11:59:00") });
    expect(readings.get("b")).toEqual({ value: 70, at: at("11:55:00") });
  });

  it("ends a call whose NextToken repeats with an error reading for its ids", async () => {
    // Prepare
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: "same" });
    // Act
    const readings = await new CloudWatchMetrics(cloudwatch).latest([{ id: "a", query: latencyQuery }], NOW);
    // Assess
    expect(cwMock.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    expect(readings.get("a")).toEqual({ error: 'Error: GetMetricData kept paginating (2 pages, NextToken "same")' });
  });
});

describe("errors", () => {
  it.each([
    { kind: "throttling", error: throttling(), reason: "ThrottlingException: Rate exceeded" },
    { kind: "a 5xx", error: serverError(), reason: "InternalFailure (HTTP 500): We encountered an internal error." },
  ])("gives every id of a call that failed with $kind an error reading; other calls still count", async ({ error, reason }) => {
    // Prepare: the second call of three fails.
    let call = 0;
    cwMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      call += 1;
      if (call === 2) throw error;
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({ Id: q.Id, StatusCode: "Complete", Timestamps: [at("11:59:00")], Values: [1] })),
      };
    });
    // Act
    const readings = await new CloudWatchMetrics(cloudwatch).latest(manyRequests(1001), NOW);
    // Assess
    expect(readings.get("svc-499/trigger-0")).toEqual({ value: 1, at: at("11:59:00") });
    expect(readings.get("svc-500/trigger-0")).toEqual({ error: reason });
    expect(readings.get("svc-999/trigger-0")).toEqual({ error: reason });
    expect(readings.get("svc-1000/trigger-0")).toEqual({ value: 1, at: at("11:59:00") });
  });
});

describe("GetMetricData series reads", () => {
  const deletedQuery: MetricQuery = { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesDeleted", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Sum", periodSeconds: 60 };
  const inFlightQuery: MetricQuery = {
    kind: "stat",
    namespace: "AWS/SQS",
    name: "ApproximateNumberOfMessagesNotVisible",
    dimensions: [{ name: "QueueName", value: "jobs" }],
    stat: "Average",
    periodSeconds: 60,
  };

  it("asks once for every minute since the earliest `since` of the call, oldest first", async () => {
    // Prepare
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    // Act: one service last learned from 11:47, another never (30 minutes back), read at 12:00:30.
    await new CloudWatchMetrics(cloudwatch).series(
      [
        { id: "a#deleted", query: deletedQuery, since: at("11:48:00") },
        { id: "b#inFlight", query: inFlightQuery, since: at("11:30:00") },
      ],
      NOW,
    );
    // Assess
    expect(cwMock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input)).toEqual([
      {
        MetricDataQueries: [
          {
            Id: "q0",
            MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: "NumberOfMessagesDeleted", Dimensions: [{ Name: "QueueName", Value: "jobs" }] }, Period: 60, Stat: "Sum" },
            ReturnData: true,
          },
          {
            Id: "q1",
            MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesNotVisible", Dimensions: [{ Name: "QueueName", Value: "jobs" }] }, Period: 60, Stat: "Average" },
            ReturnData: true,
          },
        ],
        StartTime: at("11:30:00"),
        EndTime: NOW,
        ScanBy: "TimestampAscending",
      },
    ]);
  });

  it("gives each id its complete minutes from its own `since`, oldest first, across pages, each minute once", async () => {
    // Prepare: newest first on the first page, an older minute on the second, the open minute 12:00 and a NaN.
    cwMock
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: "q0", StatusCode: "PartialData", Timestamps: [at("12:00:00"), at("11:59:00"), at("11:58:00")], Values: [5, 60, Number.NaN] }], NextToken: "p2" })
      .resolves({ MetricDataResults: [{ Id: "q0", StatusCode: "Complete", Timestamps: [at("11:57:00"), at("11:47:00")], Values: [120, 999] }] });
    // Act
    const series = await new CloudWatchMetrics(cloudwatch).series([{ id: "a#deleted", query: deletedQuery, since: at("11:48:00") }], NOW);
    // Assess: 11:47 is before `since`, 12:00 is not complete at 12:00:30, the NaN is no datapoint.
    expect(series.get("a#deleted")).toEqual({
      points: [
        { value: 120, at: at("11:57:00") },
        { value: 60, at: at("11:59:00") },
      ],
    });
  });

  it.each([
    ["no datapoints: an empty series, not an error", { Id: "q0", StatusCode: "Complete", Timestamps: [], Values: [] }, { points: [] }],
    [
      "status Forbidden: an error naming it",
      { Id: "q0", StatusCode: "Forbidden", Messages: [{ Code: "Forbidden", Value: "denied" }] },
      { error: "AWS/SQS NumberOfMessagesDeleted {QueueName=jobs} (Sum, 60 s): CloudWatch status Forbidden (Forbidden denied)" },
    ],
    ["missing from the response: an error", undefined, { error: "AWS/SQS NumberOfMessagesDeleted {QueueName=jobs} (Sum, 60 s): not in the GetMetricData response" }],
  ])("%s", async (_name, result, expected) => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: result ? [result as MetricDataResult] : [] });
    const series = await new CloudWatchMetrics(cloudwatch).series([{ id: "a#deleted", query: deletedQuery, since: at("11:48:00") }], NOW);
    expect(series.get("a#deleted")).toEqual(expected);
  });

  it("gives every id of a failed call the error, after the SDK's retries", async () => {
    cwMock.on(GetMetricDataCommand).rejects(serverError());
    const series = await new CloudWatchMetrics(new CloudWatchClient({ region: "eu-west-1", maxAttempts: 1 })).series([{ id: "a#deleted", query: deletedQuery, since: at("11:48:00") }], NOW);
    expect(series.get("a#deleted")).toEqual({ error: "InternalFailure (HTTP 500): We encountered an internal error." });
  });
});
