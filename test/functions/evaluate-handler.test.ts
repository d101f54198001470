/**
 * The evaluate function as Lambda runs it: module init (config, clients), middy + Powertools, ticks and
 * alarm events, on the real adapters (aws-sdk-client-mock per client class; state on dynalite).
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeCapacityProvidersCommand,
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  UpdateCapacityProviderCommand,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EvaluateResult } from "../../functions/evaluate/invocation.ts";
import { BUDGET_KEY_PREFIX } from "../../shared/aws/update-budget.ts";
import type { ValidationError } from "../../shared/config/issues.ts";
import { serverError, throttling } from "../aws/sdk-errors.ts";
import { exampleEvent } from "../runtime/fixtures.ts";
import { localDynamoDb } from "../setup/dynamodb.ts";
import { type Captured, captureOutput, coldStart, lambdaContext, lambdaEnv, mockAwsClasses, writeConfig, writePackagedConfig } from "./lambda-harness.ts";

type Handler = { handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<EvaluateResult> };
const HANDLER = "../../functions/evaluate/handler.ts";
const queue = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
const tick = (time = new Date().toISOString()) => ({
  source: "aws.scheduler",
  "detail-type": "Scheduled Event",
  resources: ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/ecs-autoscaler-dev-tick"],
  time,
  id: "exec-1",
});

let mocks: ReturnType<typeof mockAwsClasses>;
let out: Captured;
/** `cluster/service` → counts, answered by DescribeServices and changed by UpdateService. */
let ecsServices: Map<string, { desired: number; running: number }>;
let updateTimes: number[];

beforeEach(() => {
  mocks = mockAwsClasses();
  ecsServices = new Map();
  updateTimes = [];
  mocks.ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).flatMap((name) => {
      const s = ecsServices.get(`${input.cluster}/${name}`);
      return s ? [{ serviceName: name, status: "ACTIVE", desiredCount: s.desired, runningCount: s.running, pendingCount: 0, deployments: [] }] : [];
    }),
    failures: (input.services ?? []).filter((name) => !ecsServices.has(`${input.cluster}/${name}`)).map((name) => ({ arn: name, reason: "MISSING" })),
  }));
  mocks.ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
    updateTimes.push(Date.now());
    ecsServices.get(`${input.cluster}/${input.service}`)!.desired = input.desiredCount!;
    return {};
  });
  mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  out = captureOutput();
});
afterEach(() => {
  out.stop();
  mocks.ecs.restore();
  mocks.sqs.restore();
  mocks.cloudwatch.restore();
  vi.unstubAllEnvs();
});

/** The calls each second's counter item of the shared UpdateService budget granted. */
async function budgetCounters(table: string): Promise<number[]> {
  const client = localDynamoDb();
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
  client.destroy();
  return Items.map((item) => unmarshall(item))
    .filter((item) => String(item.pk).startsWith(BUDGET_KEY_PREFIX))
    .map((item) => item.n as number);
}

function depth(visible: number) {
  return { Attributes: { ApproximateNumberOfMessages: String(visible), ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" } };
}

function worker(name: string, extra: Record<string, unknown> = {}) {
  return { cluster: "prod", service: name, policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: queue(`${name}-jobs`), includeInFlight: false }] }, ...extra };
}

async function start(config: unknown, env: Record<string, string> = {}) {
  return coldStart<Handler>(HANDLER, await lambdaEnv(writePackagedConfig(config), env));
}

describe("initialisation", () => {
  it("an invalid config never reaches the function: packaging refuses it, listing every problem with its path", () => {
    const bad = { services: [{ cluster: "prod", service: "w", policy: { minTasks: 5, maxTasks: 2, triggers: [] } }], intervalSeconds: 0 };
    const error = (() => {
      try {
        return writePackagedConfig(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: "ValidationError" });
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual(expect.arrayContaining(["intervalSeconds", "services[0].policy.triggers"]));
  });

  it("fails loudly on a config file that was not packaged, naming the file", async () => {
    const path = writeConfig({ services: [worker("w")] });
    const error = await coldStart<Handler>(HANDLER, await lambdaEnv(path)).catch((e: unknown) => e);
    // A fresh module graph per cold start: compare by name, not class identity.
    expect(error).toMatchObject({ name: "ValidationError", source: path });
    expect((error as ValidationError).problems).toEqual([{ path: "$", message: expect.stringContaining("not a packaged config") }]);
    expect(out.logs().find((l) => l.message === "invalid configuration: the function will not run")).toMatchObject({ level: "ERROR" });
  });

  it("fails loudly on a bad environment, naming each variable", async () => {
    const env = await lambdaEnv(writePackagedConfig({ services: [worker("w")] }), { DRY_RUN: "yes", INTERVAL_SECONDS: "90" });
    const error = await coldStart<Handler>(HANDLER, { ...env, STATE_TABLE_NAME: "" }).catch((e: unknown) => e);
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual(["STATE_TABLE_NAME", "DRY_RUN", "INTERVAL_SECONDS"]);
  });
});

describe("the tick", () => {
  it("scales, logs one line per change (service, from, to, reason, explanation), a state line for the unchanged service, and no EMF metric per decision", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    ecsServices.set("prod/b", { desired: 2, running: 2 });
    mocks.sqs.on(GetQueueAttributesCommand, { QueueUrl: queue("a-jobs") }).resolves(depth(20));
    mocks.sqs.on(GetQueueAttributesCommand, { QueueUrl: queue("b-jobs") }).resolves(depth(10));
    const { handler } = await start({ services: [worker("a"), worker("b")] });
    const result = await handler(tick(), lambdaContext(16_000));
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: 2, changed: 1, failed: 0 }] });
    expect(mocks.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: "prod", service: "a", desiredCount: 4 }]);
    const lines = out.logs().filter((l) => l.message === "scaling decision");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "INFO", ecsService: "prod/a", from: 1, to: 4, reason: "ScaleUp", applied: true, dryRun: false, function_request_id: expect.any(String) });
    expect(lines[0]?.explanation).toContain("backlog 20 at 5 per task");
    expect(out.logs().filter((l) => l.message === "service state")).toEqual([expect.objectContaining({ level: "INFO", ecsService: "prod/b", from: 2, to: 2, running: 2, backlog: 10 })]);
    const emf = out.emf();
    expect(emf.filter((doc) => "Service" in doc.dimensions)).toEqual([]);
    // One usage line for the invocation: what the adapters called, counted by the own-bill meter.
    const usage = out.logs().filter((l) => l.message === "usage");
    expect(usage).toHaveLength(1);
    expect(usage[0]!.calls).toMatchObject({ "ecs:DescribeServices": 1, "sqs:GetQueueAttributes": 2, "ecs:UpdateService": 1 });
    expect(emf.filter((doc) => "Decisions" in doc.metrics)).toEqual([]);
  });

  it("reports every pass's undecided services: 0 when all were decided, all of them when the state table is missing", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    ecsServices.set("prod/b", { desired: 2, running: 2 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(10));
    const healthy = await start({ services: [worker("a"), worker("b")] });
    await healthy.handler(tick(), lambdaContext(16_000));
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { ServicesNotEvaluated: 0 } });
    out.stop();
    out = captureOutput();
    const broken = await start({ services: [worker("a"), worker("b")] }, { STATE_TABLE_NAME: "no-such-table" });
    const result = await broken.handler(tick(), lambdaContext(16_000));
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: 0 }] });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { ServicesNotEvaluated: 2 } });
  });

  it("in DRY_RUN decides and logs but never calls UpdateService", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(20));
    const { handler } = await start({ services: [worker("a")] }, { DRY_RUN: "true" });
    await handler(tick(), lambdaContext(16_000));
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(out.logs().find((l) => l.ecsService === "prod/a")).toMatchObject({ message: "scaling decision (dry run: not applied)", from: 1, to: 4, applied: false, dryRun: true });
  });

  it("keeps evaluating every interval within the invocation, and stops before the time runs out", async () => {
    ecsServices.set("prod/a", { desired: 4, running: 4 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(20));
    const { handler } = await start({ services: [worker("a")] }, { INTERVAL_SECONDS: "1" });
    const started = Date.now();
    const result = await handler(tick(), lambdaContext(17_500));
    expect(result.kind === "tick" && result.passes).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it("takes every UpdateService from the budget shared in the state table: at most 4 per second", async () => {
    const names = Array.from({ length: 13 }, (_, i) => `w${i}`);
    for (const name of names) ecsServices.set(`prod/${name}`, { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(20));
    const env = await lambdaEnv(writePackagedConfig({ services: names.map((n) => worker(n)) }));
    const { handler } = await coldStart<Handler>(HANDLER, env);
    await handler(tick(), lambdaContext(16_000));
    expect(updateTimes).toHaveLength(13);
    const counters = await budgetCounters(env.STATE_TABLE_NAME!);
    expect(counters.reduce((sum, n) => sum + n, 0)).toBe(13);
    expect(Math.max(...counters)).toBeLessThanOrEqual(4);
    // 13 calls at 4 per second span at least 4 distinct seconds (timer slack allowed).
    expect(updateTimes.at(-1)! - updateTimes[0]!).toBeGreaterThan(1_900);
  });

  it("an UpdateService that ECS applied but answered with HTTP 500: no second call, the decision kept and confirmed", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(20));
    let lose = true;
    mocks.ecs.on(UpdateServiceCommand).callsFake(async (input: UpdateServiceCommandInput) => {
      ecsServices.get(`${input.cluster}/${input.service}`)!.desired = input.desiredCount!;
      if (!lose) return {};
      lose = false;
      throw serverError();
    });
    const env = await lambdaEnv(writePackagedConfig({ services: [worker("a")] }), { INTERVAL_SECONDS: "1" });
    const { handler } = await coldStart<Handler>(HANDLER, env);
    const result = await handler(tick(), lambdaContext(17_500));
    expect(result).toMatchObject({ kind: "tick", passes: [{ evaluated: 1, changed: 1, failed: 0 }, { changed: 0 }, { changed: 0 }] });
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    const client = localDynamoDb();
    const { Item } = await client.send(new GetItemCommand({ TableName: env.STATE_TABLE_NAME!, Key: { pk: { S: "prod/a" } } }));
    client.destroy();
    const record = unmarshall(Item!);
    expect(record.history.scaleEvents).toMatchObject([{ from: 1, to: 4 }]);
    expect(record.pendingUpdate).toBeUndefined();
  });

  it("sets capacity providers to their window's settings, only where they differ", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(0));
    mocks.ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        { name: "cp-a", status: "ACTIVE", autoScalingGroupProvider: { autoScalingGroupArn: "arn:asg:a", managedScaling: { status: "ENABLED", targetCapacity: 100, instanceWarmupPeriod: 120 } } },
        { name: "cp-b", status: "ACTIVE", autoScalingGroupProvider: { autoScalingGroupArn: "arn:asg:b", managedScaling: { status: "ENABLED", targetCapacity: 90 } } },
      ],
    });
    mocks.ecs.on(UpdateCapacityProviderCommand).resolves({});
    const { handler } = await start({
      services: [worker("a")],
      capacityProviders: [
        { name: "cp-a", managedScaling: { targetCapacity: 90 } },
        { name: "cp-b", managedScaling: { targetCapacity: 90 } },
      ],
    });
    await handler(tick(), lambdaContext(16_000));
    expect(mocks.ecs.commandCalls(UpdateCapacityProviderCommand).map((c) => c.args[0].input)).toEqual([
      {
        name: "cp-a",
        autoScalingGroupProvider: { managedScaling: { status: "ENABLED", targetCapacity: 90, instanceWarmupPeriod: 120, minimumScalingStepSize: 1, maximumScalingStepSize: 10000 } },
      },
    ]);
    expect(out.logs().find((l) => l.message === "capacity provider updated")).toMatchObject({ capacityProvider: "cp-a" });
  });

  it("does not touch capacity providers in DRY_RUN", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(0));
    const { handler } = await start({ services: [worker("a")], capacityProviders: [{ name: "cp-a", managedScaling: { targetCapacity: 90 } }] }, { DRY_RUN: "true" });
    await handler(tick(), lambdaContext(16_000));
    expect(mocks.ecs.commandCalls(DescribeCapacityProvidersCommand)).toHaveLength(0);
    expect(mocks.ecs.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
  });
});

describe("alarm state changes", () => {
  it("evaluates at once only the services that name the alarm (the AWS example event)", async () => {
    ecsServices.set("prod/a", { desired: 1, running: 1 });
    ecsServices.set("prod/b", { desired: 1, running: 1 });
    mocks.sqs.on(GetQueueAttributesCommand).resolves(depth(20));
    const { handler } = await start({ services: [worker("a", { alarms: ["ServerCpuTooHigh"] }), worker("b")] });
    const result = await handler(exampleEvent("cloudwatch-alarm-state-change"), lambdaContext(30_000));
    expect(result).toMatchObject({ kind: "alarm", alarm: "ServerCpuTooHigh", services: ["prod/a"], summary: { evaluated: 1, changed: 1 } });
    expect(mocks.ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).toEqual([{ cluster: "prod", services: ["a"] }]);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: "prod", service: "a", desiredCount: 4 }]);
  });

  it("ignores an alarm no service names, calling nothing", async () => {
    const { handler } = await start({ services: [worker("a")] });
    const result = await handler(exampleEvent("cloudwatch-alarm-state-change"), lambdaContext(30_000));
    expect(result).toEqual({ kind: "alarm", alarm: "ServerCpuTooHigh", services: [] });
    expect(mocks.ecs.calls()).toHaveLength(0);
  });

  it("does not throw when the evaluation failed transiently (not retried: the tick evaluates again); logs and counts it", async () => {
    // Prepare
    mocks.ecs.on(DescribeServicesCommand).rejects(throttling());
    const { handler } = await start({ services: [worker("a", { alarms: ["ServerCpuTooHigh"] })] });
    // Act
    const result = await handler(exampleEvent("cloudwatch-alarm-state-change"), lambdaContext(30_000));
    // Assess
    expect(result).toMatchObject({ kind: "alarm", services: ["prod/a"], summary: { failed: 1, transientFailures: 1 } });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler", Stage: "describe" }, metrics: { Failures: 1 } });
    expect(out.logs()).toContainEqual(expect.objectContaining({ level: "WARN", message: "alarm evaluation failed transiently; the running tick evaluates again", alarm: "ServerCpuTooHigh" }));
  });
});

describe("events that are not for this function", () => {
  it.each([
    ["an empty object", {}],
    ["a string", "tick"],
    ["an ECS event", exampleEvent("ecs-deployment-state-change-in-progress")],
    ["an alarm event without alarmName", { "detail-type": "CloudWatch Alarm State Change", detail: {} }],
  ])("%s: logged and counted, not thrown", async (_name, event) => {
    const { handler } = await start({ services: [worker("a")] });
    const result = await handler(event, lambdaContext(30_000));
    expect(result.kind).toBe("ignored");
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { MalformedEvents: 1 } });
    expect(mocks.ecs.calls()).toHaveLength(0);
  });
});
