/**
 * SQS pass queue adapter: the minute's later passes as delayed SendMessageBatch entries, at most 10 a
 * call, partial failures retried once, whole-call failures classified, nothing thrown.
 */
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { passMessageBody, SqsPassQueue } from "../../shared/aws/sqs-pass-queue.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import type { PlannedPass } from "../../shared/ports/pass-queue.ts";
import { serverError, throttling } from "./sdk-errors.ts";

const URL = "https://sqs.us-east-1.amazonaws.com/123456789012/ecs-autoscaler-dev-passes";
const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: "us-east-1" });
beforeEach(() => sqsMock.reset());
afterEach(() => sqsMock.reset());

const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const pass = (offset: number, shard = 0, count = 1): PlannedPass => ({ plannedAtMs: T0 + offset * 1000, delaySeconds: offset, shard: { index: shard, count } });
const acceptAll = (input: SendMessageBatchCommandInput) => ({ Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: "x" })), Failed: [] });
const inputs = () => sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);

describe("SqsPassQueue.schedule", () => {
  it("sends the minute's passes in one SendMessageBatch, each delayed by its offset, its planned time and shard in the body", async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
    const meter = new UsageCounter();
    // Act
    const outcome = await new SqsPassQueue(sqs, URL, meter).schedule([pass(10), pass(20), pass(30), pass(40), pass(50)]);
    // Assess
    expect(inputs()).toStrictEqual([
      {
        QueueUrl: URL,
        Entries: [10, 20, 30, 40, 50].map((s, i) => ({
          Id: `pass-${i}`,
          MessageBody: `{"kind":"ecs-autoscaler.pass","plannedAt":"2026-03-02T10:00:${s}.000Z","shard":0,"shards":1}`,
          DelaySeconds: s,
        })),
      },
    ]);
    expect(outcome).toEqual({ sent: [pass(10), pass(20), pass(30), pass(40), pass(50)], failed: [] });
    expect(meter.counts().calls).toEqual({ "sqs:SendMessageBatch": 1 });
  });

  it.each([
    { passes: 10, calls: [10] },
    { passes: 11, calls: [10, 1] },
    { passes: 25, calls: [10, 10, 5] },
  ])("sends $passes passes in calls of at most 10 entries: $calls", async ({ passes, calls }) => {
    sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
    const planned = Array.from({ length: passes }, (_, i) => pass(1 + (i % 5) * 10, Math.floor(i / 5), Math.ceil(passes / 5)));
    const outcome = await new SqsPassQueue(sqs, URL).schedule(planned);
    expect(inputs().map((i) => i.Entries?.length)).toEqual(calls);
    expect(outcome.sent).toHaveLength(passes);
  });

  it("sends nothing for no passes", async () => {
    expect(await new SqsPassQueue(sqs, URL).schedule([])).toEqual({ sent: [], failed: [] });
    expect(inputs()).toEqual([]);
  });

  it("retries once the entries SQS refused on its side; an entry refused as the sender's fault is not retried", async () => {
    // Prepare
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: "pass-0", MessageId: "m0", MD5OfMessageBody: "x" }],
        Failed: [
          { Id: "pass-1", SenderFault: false, Code: "InternalError", Message: "try again" },
          { Id: "pass-2", SenderFault: true, Code: "InvalidParameterValue", Message: "bad" },
        ],
      })
      .callsFake(acceptAll);
    // Act
    const outcome = await new SqsPassQueue(sqs, URL).schedule([pass(10), pass(20), pass(30)]);
    // Assess
    expect(inputs().map((i) => i.Entries?.map((e) => e.DelaySeconds))).toEqual([[10, 20, 30], [20]]);
    expect(outcome.sent).toEqual([pass(10), pass(20)]);
    expect(outcome.failed).toEqual([{ pass: pass(30), failure: expect.objectContaining({ kind: "invalid", message: "InvalidParameterValue: bad" }) }]);
  });

  it("reports an entry refused twice as failed, after exactly one retry", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: "pass-0", SenderFault: false, Code: "ServiceUnavailable" }] });
    const outcome = await new SqsPassQueue(sqs, URL).schedule([pass(10)]);
    expect(inputs()).toHaveLength(2);
    expect(outcome).toEqual({ sent: [], failed: [{ pass: pass(10), failure: expect.objectContaining({ kind: "transient", message: "ServiceUnavailable" }) }] });
  });

  it.each([
    { kind: "throttling", error: throttling(), failureKind: "throttled" },
    { kind: "a 5xx", error: serverError(), failureKind: "transient" },
    { kind: "access denied", error: Object.assign(new Error("not authorized"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }), failureKind: "denied" },
    { kind: "a missing queue", error: Object.assign(new Error("no queue"), { name: "QueueDoesNotExist" }), failureKind: "notFound" },
  ])("a whole call failing with $kind fails every entry, classified, without throwing (the SDK has retried it)", async ({ error, failureKind }) => {
    sqsMock.on(SendMessageBatchCommand).rejects(error);
    const outcome = await new SqsPassQueue(sqs, URL).schedule([pass(10), pass(20)]);
    expect(inputs()).toHaveLength(1);
    expect(outcome.sent).toEqual([]);
    expect(outcome.failed.map((f) => [f.pass.delaySeconds, f.failure.kind])).toEqual([
      [10, failureKind],
      [20, failureKind],
    ]);
  });

  it("clamps delays to SQS's range of 0 to 900 seconds", async () => {
    sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
    await new SqsPassQueue(sqs, URL).schedule([
      { ...pass(0), delaySeconds: -3 },
      { ...pass(0), delaySeconds: 2000 },
    ]);
    expect(inputs()[0]?.Entries?.map((e) => e.DelaySeconds)).toEqual([0, 900]);
  });

  it("writes the body as JSON with the planned time and shard", () => {
    expect(JSON.parse(passMessageBody(pass(20, 2, 3)))).toEqual({ kind: "ecs-autoscaler.pass", plannedAt: "2026-03-02T10:00:20.000Z", shard: 2, shards: 3 });
  });
});
