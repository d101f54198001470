/**
 * The evaluate function with its pass queue, as Lambda runs it (module init, middy + Powertools, the
 * real adapters; aws-sdk-client-mock per client class, state on dynalite): the tick runs the minute's
 * first pass and queues the others as delayed messages in one SendMessageBatch, runs what the queue
 * did not take itself, and each queued message is a pass of its own, dropped when late.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type DescribeServicesCommandInput, UpdateServiceCommand, type UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SendMessageBatchCommand, type SendMessageBatchCommandInput } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EvaluateResult } from "../../functions/evaluate/invocation.ts";
import { passMessageBody } from "../../shared/aws/sqs-pass-queue.ts";
import { type Captured, captureOutput, coldStart, lambdaContext, lambdaEnv, mockAwsClasses, writePackagedConfig } from "./lambda-harness.ts";

type Handler = { handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<EvaluateResult> };
const HANDLER = "../../functions/evaluate/handler.ts";
const PASS_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ecs-autoscaler-dev-passes";
const queue = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
const tick = (time: string) => ({ source: "aws.scheduler", "detail-type": "Scheduled Event", resources: ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/tick"], time, id: "exec-1" });
const body = (plannedAtMs: number, shard = 0, count = 1) => passMessageBody({ plannedAtMs, delaySeconds: 0, shard: { index: shard, count } });
const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((b, i) => ({
    messageId: `m-${i}`,
    receiptHandle: "rh",
    body: b,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "AROA", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: "x",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:ecs-autoscaler-dev-passes",
    awsRegion: "us-east-1",
  })),
});

let mocks: ReturnType<typeof mockAwsClasses>;
let out: Captured;
let ecsServices: Map<string, { desired: number; running: number }>;

beforeEach(() => {
  mocks = mockAwsClasses();
  ecsServices = new Map();
  mocks.ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).flatMap((name) => {
      const s = ecsServices.get(`${input.cluster}/${name}`);
      return s ? [{ serviceName: name, status: "ACTIVE", desiredCount: s.desired, runningCount: s.running, pendingCount: 0, deployments: [] }] : [];
    }),
    failures: [],
  }));
  mocks.ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
    ecsServices.get(`${input.cluster}/${input.service}`)!.desired = input.desiredCount!;
    return {};
  });
  mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  mocks.sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "20", ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" } });
  mocks.sqs
    .on(SendMessageBatchCommand)
    .callsFake((input: SendMessageBatchCommandInput) => ({ Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: "x" })), Failed: [] }));
  out = captureOutput();
});
afterEach(() => {
  out.stop();
  mocks.ecs.restore();
  mocks.sqs.restore();
  mocks.cloudwatch.restore();
  vi.unstubAllEnvs();
});

function worker(name: string) {
  return { cluster: "prod", service: name, policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: queue(`${name}-jobs`), includeInFlight: false }] } };
}

async function start(services: string[], env: Record<string, string> = {}) {
  for (const name of services) ecsServices.set(`prod/${name}`, { desired: 1, running: 1 });
  return coldStart<Handler>(HANDLER, await lambdaEnv(writePackagedConfig({ services: services.map(worker) }), { PASS_QUEUE_URL: PASS_QUEUE, ...env }));
}

const sent = () => mocks.sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
const metric = (name: string) => out.emf().filter((d) => name in d.metrics);

describe("the tick with a pass queue", () => {
  it("runs the first pass itself and queues the minute's other five in one SendMessageBatch, each delayed by its offset", async () => {
    // Prepare
    const { handler } = await start(["a"]);
    const tickAt = Date.now();
    // Act
    const result = await handler(tick(new Date(tickAt).toISOString()), lambdaContext(70_000));
    // Assess
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: 1, changed: 1 }], queued: 5, unqueued: 0 });
    expect(sent()).toStrictEqual([
      {
        QueueUrl: PASS_QUEUE,
        Entries: [10, 20, 30, 40, 50].map((s, i) => ({
          Id: `pass-${i}`,
          MessageBody: `{"kind":"ecs-autoscaler.pass","plannedAt":"${new Date(tickAt + s * 1000).toISOString()}","shard":0,"shards":1}`,
          DelaySeconds: s,
        })),
      },
    ]);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: "prod", service: "a", desiredCount: 4 }]);
    expect(metric("PassQueueFallbacks")).toEqual([]);
    expect(metric("ServicesNotEvaluated")).toEqual([{ dimensions: { service: "ecs-autoscaler" }, metrics: { ServicesNotEvaluated: 0 } }]);
  });

  it("shards a fleet beyond 250 services: the tick evaluates shard 0, and queues shard 1's first pass at once and both shards' later ones", async () => {
    // Prepare: 251 services make 2 shards; dry run keeps the 2/s UpdateService pacing out of the way
    const names = Array.from({ length: 251 }, (_, i) => `w${i}`);
    const { handler } = await start(names, { DRY_RUN: "true" });
    const { servicesOfShard } = await import("../../functions/evaluate/shards.ts");
    const config = { services: names.map((n) => ({ cluster: "prod", service: n })) } as unknown as Parameters<typeof servicesOfShard>[0];
    const shard0 = servicesOfShard(config, { index: 0, count: 2 }).map((s) => s.service);
    // Act
    const result = await handler(tick(new Date().toISOString()), lambdaContext(70_000));
    // Assess
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: shard0.length }], queued: 11, unqueued: 0 });
    const described = mocks.ecs.commandCalls(DescribeServicesCommand).flatMap((c) => c.args[0].input.services ?? []);
    expect([...described].sort()).toEqual([...shard0].sort());
    const entries = sent().flatMap((i) => i.Entries ?? []);
    expect(sent().map((i) => i.Entries?.length)).toEqual([10, 1]);
    expect(entries.map((e) => [e.DelaySeconds, JSON.parse(e.MessageBody!).shard])).toEqual([
      [0, 1],
      ...[10, 20, 30, 40, 50].flatMap((d) => [
        [d, 0],
        [d, 1],
      ]),
    ]);
    expect(entries.every((e) => JSON.parse(e.MessageBody!).shards === 2)).toBe(true);
  }, 30_000);

  it("queues nothing at a 60 s interval: the tick's pass is the minute's only one", async () => {
    const { handler } = await start(["a"], { INTERVAL_SECONDS: "60" });
    const result = await handler(tick(new Date().toISOString()), lambdaContext(70_000));
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: 1 }], queued: 0, unqueued: 0 });
    expect(sent()).toEqual([]);
  });

  it("falls back to running the passes itself when SendMessageBatch fails, counted and logged, as far as its time allows", async () => {
    // Prepare: 1 s interval; 17.5 s left leaves the loop 2.5 s (15 s are kept before the timeout)
    mocks.sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    const { handler } = await start(["a"], { INTERVAL_SECONDS: "1" });
    // Act
    const started = Date.now();
    const result = await handler(tick(new Date(started).toISOString()), lambdaContext(17_500));
    // Assess: passes at 0, 1 and 2 s; the 55 later ones are not run (and said so)
    expect(result).toMatchObject({ kind: "tick", queued: 0, unqueued: 57 });
    expect(result.kind === "tick" && result.passes).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(sent().map((i) => i.Entries?.length)).toEqual([10, 10, 10, 10, 10, 7]);
    expect(metric("PassQueueFallbacks")).toEqual([{ dimensions: { service: "ecs-autoscaler" }, metrics: { PassQueueFallbacks: 1 } }]);
    expect(out.logs()).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "pass queue did not take the minute's passes: this invocation runs them",
        notQueued: 57,
        queued: 0,
        errors: ["AccessDenied: not authorized"],
      }),
    );
    expect(out.logs()).toContainEqual(expect.objectContaining({ level: "ERROR", message: "passes not run: the invocation's time ran out", notRun: 55 }));
  });

  it("runs only the pass SQS refused twice; the others stay queued", async () => {
    // Prepare: the 1 s pass is refused on both tries
    mocks.sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).filter((e) => e.DelaySeconds !== 1).map((e) => ({ Id: e.Id!, MessageId: "m", MD5OfMessageBody: "x" })),
      Failed: (input.Entries ?? []).filter((e) => e.DelaySeconds === 1).map((e) => ({ Id: e.Id!, SenderFault: false, Code: "InternalError" })),
    }));
    const { handler } = await start(["a"], { INTERVAL_SECONDS: "1" });
    // Act
    const result = await handler(tick(new Date().toISOString()), lambdaContext(17_500));
    // Assess
    expect(result).toMatchObject({ kind: "tick", queued: 56, unqueued: 1 });
    expect(result.kind === "tick" && result.passes).toHaveLength(2);
    expect(sent().map((i) => i.Entries?.length)).toEqual([10, 10, 10, 10, 10, 7, 1]);
    expect(metric("PassQueueFallbacks")).toHaveLength(1);
  });
});

describe("a queued pass", () => {
  it("evaluates the services at once when it arrives on time", async () => {
    const { handler } = await start(["a", "b"]);
    const result = await handler(sqsEvent(body(Date.now() - 300)), lambdaContext(70_000));
    expect(result).toEqual({ kind: "pass", passes: [expect.objectContaining({ evaluated: 2, changed: 2 })], late: 0, malformed: 0 });
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(2);
    expect(metric("ServicesNotEvaluated")).toEqual([{ dimensions: { service: "ecs-autoscaler" }, metrics: { ServicesNotEvaluated: 0 } }]);
    expect(sent()).toEqual([]);
  });

  it("is dropped and counted when it arrives more than one interval after its planned time", async () => {
    const { handler } = await start(["a"]);
    const plannedAt = Date.now() - 10_500;
    const result = await handler(sqsEvent(body(plannedAt)), lambdaContext(70_000));
    expect(result).toEqual({ kind: "pass", passes: [], late: 1, malformed: 0 });
    expect(mocks.ecs.calls()).toHaveLength(0);
    expect(metric("LatePasses")).toEqual([{ dimensions: { service: "ecs-autoscaler" }, metrics: { LatePasses: 1 } }]);
    expect(out.logs()).toContainEqual(
      expect.objectContaining({ level: "WARN", message: "pass dropped: more than one interval late (the next pass comes anyway)", plannedAt: new Date(plannedAt).toISOString() }),
    );
  });

  it("evaluates only its shard's services", async () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const { handler } = await start(names);
    const { servicesOfShard } = await import("../../functions/evaluate/shards.ts");
    const config = { services: names.map((n) => ({ cluster: "prod", service: n })) } as unknown as Parameters<typeof servicesOfShard>[0];
    const expected = servicesOfShard(config, { index: 1, count: 2 }).map((s) => s.service);
    const result = await handler(sqsEvent(body(Date.now(), 1, 2)), lambdaContext(70_000));
    expect(result).toMatchObject({ kind: "pass", passes: [{ evaluated: expected.length }] });
    expect(
      mocks.ecs
        .commandCalls(UpdateServiceCommand)
        .map((c) => c.args[0].input.service)
        .sort(),
    ).toEqual([...expected].sort());
  });

  it.each([
    ["a body that is not JSON", sqsEvent("tick")],
    ["a message that is not a pass", sqsEvent(JSON.stringify({ kind: "something-else", plannedAt: new Date().toISOString(), shard: 0, shards: 1 }))],
    ["a shard beyond the shard count", sqsEvent(JSON.stringify({ kind: "ecs-autoscaler.pass", plannedAt: new Date().toISOString(), shard: 2, shards: 2 }))],
    ["a planned time that is not a time", sqsEvent(JSON.stringify({ kind: "ecs-autoscaler.pass", plannedAt: "soon", shard: 0, shards: 1 }))],
    ["a planned time further ahead than SQS can delay", sqsEvent(body(Date.now() + 3_600_000))],
    ["a body over 1 KB", sqsEvent("x".repeat(2000))],
    ["more than 10 records", sqsEvent(...Array.from({ length: 11 }, () => body(Date.now())))],
  ])("%s: logged and counted as malformed, nothing evaluated, not thrown", async (_name, event) => {
    const { handler } = await start(["a"]);
    const result = await handler(event, lambdaContext(70_000));
    expect(result).toMatchObject({ kind: "pass", passes: [], malformed: 1 });
    expect(mocks.ecs.calls()).toHaveLength(0);
    expect(metric("MalformedEvents")).toEqual([{ dimensions: { service: "ecs-autoscaler" }, metrics: { MalformedEvents: 1 } }]);
  });
});
