/**
 * The runtime on the real adapters (ECS/SQS/CloudWatch through aws-sdk-client-mock, the state store
 * on dynalite): the SDK requests one pass makes, and what SDK errors become once the adapters have
 * classified them. The runtime's behaviour itself is tested on in-memory ports in test/runtime.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { BatchGetItemCommandInput, BatchGetItemCommandOutput } from "@aws-sdk/client-dynamodb";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { ARRIVAL_WINDOW_SECONDS } from "../../shared/runtime/snapshot-arrivals.ts";
import { handleEcsEvent } from "../../shared/runtime/task-events.ts";
import { exampleEvent } from "../runtime/fixtures.ts";
import { type AwsWorld, awsWorld, configOf, queueUrl, workerService } from "./aws-world.ts";
import { serverError, throttling } from "./sdk-errors.ts";

let world: AwsWorld | undefined;
afterEach(() => world?.close());

async function setUp(start?: Date) {
  world = await awsWorld(start ? { start } : {});
  return world;
}

describe("the SDK requests of one pass", () => {
  it("describes 23 services of one cluster in batches of 10 and reads the shared queue once", async () => {
    const w = await setUp();
    const services = Array.from({ length: 23 }, (_, i) => {
      w.service(`prod/w${i}`, { desired: 1 });
      return { ...workerService(`w${i}`), policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queueUrl("shared") }] } };
    });
    w.queues.set(queueUrl("shared"), { visible: 0, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    const batches = w.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input);
    expect(batches.map((b) => b.services?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.cluster === "prod")).toBe(true);
    expect(w.sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
    expect(w.sink.decisions).toHaveLength(23);
  });

  it("reads a latency queue's processing rate as AWS/SQS Sum and Average series per minute, in one GetMetricData call, and its arrivals from the queue snapshots", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 4 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 400, inFlight: 4, delayed: 0 });
    w.metric("AWS/SQS", "NumberOfMessagesDeleted", ["worker-jobs"], 480);
    w.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", ["worker-jobs"], 4);
    // The queue a window (W s) ago: 404 − 2·W messages, 4 in flight; (2·W + 2/s · 4 · W) / W = 10/s.
    const W = ARRIVAL_WINDOW_SECONDS;
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, arrivals: { t: w.clock.now().getTime() - W * 1000, n: 404 - 2 * W, f: 4 } });
    const trigger = { type: "sqs", queueUrl: queueUrl("worker-jobs"), targetWaitSeconds: 60, secondsPerMessage: 0.5 };
    await runEvaluationPass(w.deps, configOf({ services: [workerService("worker", {}, { triggers: [trigger] })] }), w.clock.now());
    expect(w.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    const input = w.cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect((input?.MetricDataQueries ?? []).map((q) => [q.MetricStat?.Metric?.MetricName, q.MetricStat?.Stat, q.MetricStat?.Period, q.MetricStat?.Metric?.Dimensions])).toEqual([
      ["NumberOfMessagesDeleted", "Sum", 60, [{ Name: "QueueName", Value: "worker-jobs" }]],
      ["ApproximateNumberOfMessagesNotVisible", "Average", 60, [{ Name: "QueueName", Value: "worker-jobs" }]],
    ]);
    // Never sampled: every minute of the last 30.
    expect([input?.StartTime, input?.EndTime]).toEqual([new Date(w.clock.now().getTime() - 1800_000), w.clock.now()]);
    expect(w.sink.decisions[0]?.decision.explanation).toContain("arrivals 10/s at 2/s per task");
  });
});

describe("tasks draining after a scale-in, from DescribeServices", () => {
  it.each([
    { name: "runningCount above desiredCount, rollout COMPLETED: draining, no UpdateService, no task-protection call", deploying: false, draining: 3 },
    { name: "the same counts during a rollout IN_PROGRESS: old and new tasks, not draining", deploying: true, draining: undefined },
  ])("$name", async ({ deploying, draining }) => {
    const w = await setUp();
    w.service("prod/worker", { desired: 5, running: 8, deploying });
    w.queues.set(queueUrl("worker-jobs"), { visible: 25, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    // Inferred from the counts: the only ECS call is DescribeServices (no ListTasks, no GetTaskProtection).
    expect(w.ecs.calls().map((c) => c.args[0].constructor.name)).toEqual(["DescribeServicesCommand"]);
    expect(w.sink.decisions[0]?.draining).toBe(draining);
    expect(w.sink.decisions[0]?.decision.desiredCount).toBe(5);
  });
});

describe("SDK errors, as the runtime sees them", () => {
  it("DynamoDB leaving one record's key unprocessed on every BatchGetItem attempt: a throttled state failure of that service only", async () => {
    const w = await setUp();
    w.service("prod/a", { desired: 1 });
    w.service("prod/b", { desired: 1 });
    w.queues.set(queueUrl("a-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    w.queues.set(queueUrl("b-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    // dynalite never leaves keys unprocessed: the key is taken out of the request and reported back as such.
    const attempts: string[][] = [];
    w.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "BatchGetItemCommand") return next(args);
        const input = args.input as BatchGetItemCommandInput;
        const [table, request] = Object.entries(input.RequestItems ?? {})[0]!;
        const keys = request.Keys ?? [];
        attempts.push(keys.map((k) => k.pk?.S ?? ""));
        const kept = keys.filter((k) => k.pk?.S !== "prod/b");
        const unprocessed = { [table]: { ...request, Keys: keys.filter((k) => k.pk?.S === "prod/b") } };
        if (kept.length === 0) return { output: { Responses: { [table]: [] }, UnprocessedKeys: unprocessed, $metadata: {} }, response: {} } as unknown as Awaited<ReturnType<typeof next>>;
        const result = await next({ ...args, input: { RequestItems: { [table]: { ...request, Keys: kept } } } });
        (result.output as BatchGetItemCommandOutput).UnprocessedKeys = unprocessed;
        return result;
      },
      { step: "initialize", name: "leaveUnprocessed" },
    );
    try {
      const summary = await runEvaluationPass(w.deps, configOf({ services: [workerService("a"), workerService("b")] }), w.clock.now());
      expect(attempts).toEqual([["prod/a", "prod/b"], ["prod/b"], ["prod/b"], ["prod/b"], ["prod/b"]]);
      expect(summary).toMatchObject({ evaluated: 1, failed: 1, transientFailures: 1 });
      expect(w.sink.failures.map((f) => [f.ref.service, f.stage, f.failure.kind])).toEqual([["b", "state", "throttled"]]);
    } finally {
      w.dynamodb.middlewareStack.remove("leaveUnprocessed");
    }
  });

  it("DynamoDB BatchGetItem failing (a 5xx): a transient state failure of each service it was loading, and no decision", async () => {
    const w = await setUp();
    w.service("prod/a", { desired: 1 });
    w.service("prod/b", { desired: 1 });
    w.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "BatchGetItemCommand") throw Object.assign(new Error("injected"), { name: "InternalServerError", $fault: "server", $metadata: { httpStatusCode: 500 } });
        return next(args);
      },
      { step: "initialize", name: "failBatch" },
    );
    try {
      const summary = await runEvaluationPass(w.deps, configOf({ services: [workerService("a"), workerService("b")] }), w.clock.now());
      expect(summary).toMatchObject({ evaluated: 0, failed: 2, transientFailures: 2 });
      expect(w.sink.failures.map((f) => [f.ref.service, f.stage, f.failure.message]).sort()).toEqual([
        ["a", "state", "InternalServerError (HTTP 500): injected"],
        ["b", "state", "InternalServerError (HTTP 500): injected"],
      ]);
      expect(w.updates()).toEqual([]);
    } finally {
      w.dynamodb.middlewareStack.remove("failBatch");
    }
  });

  it.each([
    ["PutItem", "throttled", "ThrottlingException", 400],
    ["PutItem", "a 5xx", "InternalServerError", 500],
  ])("DynamoDB %s %s for one record: a transient state failure of that service only", async (command, _name, errorName, status) => {
    const w = await setUp();
    w.service("prod/a", { desired: 1 });
    w.service("prod/b", { desired: 1 });
    w.queues.set(queueUrl("a-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    w.queues.set(queueUrl("b-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    // Fault injection on the real client: dynalite cannot throttle, so one key's call fails before it is sent.
    w.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string } }; Item?: { pk?: { S?: string } } };
        const key = input.Key?.pk?.S ?? input.Item?.pk?.S;
        if (context.commandName === `${command}Command` && key === "prod/b") {
          throw Object.assign(new Error("injected"), { name: errorName, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status } });
        }
        return next(args);
      },
      { step: "initialize", name: "injectFault" },
    );
    try {
      const summary = await runEvaluationPass(w.deps, configOf({ services: [workerService("a"), workerService("b")] }), w.clock.now());
      expect(summary).toMatchObject({ evaluated: 1, failed: 1, transientFailures: 1 });
      expect(w.sink.failures.map((f) => [f.ref.service, f.stage, f.failure.kind])).toEqual([["b", "state", status >= 500 ? "transient" : "throttled"]]);
      expect(w.sink.failures[0]?.failure.message).toMatch(new RegExp(`^${errorName}`));
    } finally {
      w.dynamodb.middlewareStack.remove("injectFault");
    }
  });

  it.each([
    ["throttled", throttling(), "ThrottlingException: Rate exceeded"],
    ["a 5xx", serverError(), "InternalFailure (HTTP 500): We encountered an internal error."],
  ])("SQS %s: a read failure with the SDK error's name, and the service holds", async (_name, error, message) => {
    const w = await setUp();
    w.service("prod/worker", { desired: 1 });
    w.sqs.on(GetQueueAttributesCommand).rejects(error);
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(w.sink.failures.map((f) => [f.stage, f.failure.message])).toEqual([["read", message]]);
    expect(w.sink.decisions[0]?.decision.reason).toBe("ReadFailedHold");
  });

  it("CloudWatch 5xx: the metric-scaled service holds, its explanation naming the error and status", async () => {
    const w = await setUp();
    w.service("web/api", { desired: 2 });
    w.cloudwatch.on(GetMetricDataCommand).rejects(serverError());
    const policy = { maxTasks: 10, triggers: [{ type: "metric", metric: { namespace: "App", name: "Latency", dimensions: [{ name: "Service", value: "api" }] }, target: 50, targetType: "value" }] };
    await runEvaluationPass(w.deps, configOf({ services: [{ cluster: "web", service: "api", policy }] }), w.clock.now());
    expect(w.sink.decisions[0]?.decision).toMatchObject({ desiredCount: 2, reason: "ReadFailedHold" });
    expect(w.sink.decisions[0]?.decision.explanation).toContain("InternalFailure (HTTP 500)");
  });

  it("a throttled DescribeServices on a Spot shortage is thrown as a PortError, so Lambda retries the event", async () => {
    const w = await setUp(new Date("2019-11-19T19:55:40Z"));
    w.faults.describe.set("default", throttling());
    const config = configOf({ services: [{ ...workerService("servicetest", { spotFallback: { onDemandService: "servicetest-od" } }), cluster: "default" }] });
    await expect(handleEcsEvent(w.deps, config, exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now())).rejects.toMatchObject({
      name: "PortError",
      failure: { kind: "throttled", message: "ThrottlingException: Rate exceeded" },
    });
  });
});
