/**
 * The real adapters count what they call through the usage meter, as the simulator's ports do: one
 * call per request, GetMetricData's metrics per page, DynamoDB units from the stored item's size.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { marshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { CloudWatchMetrics } from "../../shared/aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore } from "../../shared/aws/dynamodb-state-store.ts";
import { SqsQueues } from "../../shared/aws/sqs-queues.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import type { ServiceRecord } from "../../shared/ports/state-store.ts";
import { sqsRateQuery } from "../../shared/runtime/rates.ts";
import { recordItemBytes } from "../../shared/sim/ports.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";

const sqsMock = mockClient(SQSClient);
const cwMock = mockClient(CloudWatchClient);
beforeEach(() => {
  sqsMock.reset();
  cwMock.reset();
});
afterAll(() => {
  sqsMock.restore();
  cwMock.restore();
});

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";

describe("usage counted by the AWS adapters", () => {
  it("SQS: one GetQueueAttributes per depth read", async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" } });
    const counter = new UsageCounter();
    const queues = new SqsQueues(new SQSClient({ region: "us-east-1" }), counter);
    await queues.depth(queueUrl);
    await queues.depth(queueUrl);
    expect(counter.counts().calls).toEqual({ "sqs:GetQueueAttributes": 2 });
  });

  it("CloudWatch: every page of GetMetricData requests all of the call's metrics", async () => {
    cwMock.on(GetMetricDataCommand).resolvesOnce({ MetricDataResults: [], NextToken: "more" }).resolves({ MetricDataResults: [] });
    const counter = new UsageCounter();
    const metrics = new CloudWatchMetrics(new CloudWatchClient({ region: "us-east-1" }), { meter: counter });
    const requests = (["NumberOfMessagesDeleted", "ApproximateNumberOfMessagesNotVisible"] as const).map((name) => ({ id: name, query: sqsRateQuery(queueUrl, name) }));
    await metrics.latest(requests, new Date("2026-03-02T10:00:00Z"));
    expect(counter.counts()).toMatchObject({ calls: { "cloudwatch:GetMetricData": 2 }, getMetricDataMetrics: 4 });
  });

  it("CloudWatch: a series read bills one metric per series, however many minutes it returns", async () => {
    const minutes = Array.from({ length: 10 }, (_, i) => new Date(Date.parse("2026-03-02T09:48:00Z") + i * 60_000));
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "q0", Timestamps: minutes, Values: minutes.map(() => 1), StatusCode: "Complete" },
        { Id: "q1", Timestamps: minutes, Values: minutes.map(() => 2), StatusCode: "Complete" },
      ],
    });
    const counter = new UsageCounter();
    const metrics = new CloudWatchMetrics(new CloudWatchClient({ region: "us-east-1" }), { meter: counter });
    const since = new Date("2026-03-02T09:48:00Z");
    const requests = (["NumberOfMessagesDeleted", "ApproximateNumberOfMessagesNotVisible"] as const).map((name) => ({ id: name, query: sqsRateQuery(queueUrl, name), since }));
    const series = await metrics.series(requests, new Date("2026-03-02T10:00:00Z"));
    expect(series.get("NumberOfMessagesDeleted")).toMatchObject({ points: minutes.map((at) => ({ value: 1, at })) });
    expect(counter.counts()).toMatchObject({ calls: { "cloudwatch:GetMetricData": 1 }, getMetricDataMetrics: 2 });
  });

  it("DynamoDB: units by the item's size, the same size the simulator's store counts", async () => {
    const client = localDynamoDb();
    const counter = new UsageCounter();
    const store = new DynamoDbStateStore(client, await freshStateTable(client), counter);
    const record: ServiceRecord = {
      key: "prod/worker",
      version: 0,
      learned: { startupSeconds: 42.5 },
      history: { recommendations: Array.from({ length: 40 }, (_, i) => ({ at: new Date(i * 10_000).toISOString(), tasks: i })), scaleEvents: [], failures: 0 },
    };
    expect(await store.save(record)).toBe("saved");
    await store.load("prod/worker");
    await store.load("prod/missing");
    const bytes = recordItemBytes(record, 1);
    expect(bytes).toBeGreaterThan(1024);
    expect(counter.counts()).toMatchObject({
      calls: { "dynamodb:PutItem": 1, "dynamodb:GetItem": 2 },
      dynamodbWriteUnits: Math.ceil(bytes / 1024),
      dynamodbReadUnits: 2,
      stateItemBytesMax: bytes,
    });
    client.destroy();
  });

  it("DynamoDB: carried metric datapoints and gaps survive the round trip", async () => {
    const client = localDynamoDb();
    const store = new DynamoDbStateStore(client, await freshStateTable(client));
    const metrics = { sent: { q: "abc", v: 12, t: 1_700_000_000_000, r: 1_700_000_130_000, u: 1_700_000_110_000 }, deleted: { q: "def", e: 1_700_000_000_000, r: 1_700_000_600_000 } };
    await store.save({ key: "prod/worker", version: 0, learned: {}, metrics });
    expect((await store.load("prod/worker"))?.metrics).toEqual(metrics);
    await client.send(new PutItemCommand({ TableName: store.tableName, Item: marshall({ pk: "prod/bad", version: 1, learned: {}, metrics: { sent: { q: "abc" } } }) }));
    await expect(store.load("prod/bad")).rejects.toThrow(/metrics\.sent/);
    client.destroy();
  });
});
