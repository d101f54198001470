/**
 * The task-events function as Lambda runs it, fed the AWS example events and their duplicates,
 * reordered and malformed variants: real adapters (aws-sdk-client-mock per client class), state on
 * dynalite, Powertools output captured.
 */
import { DescribeServicesCommand, type DescribeServicesCommandInput, UpdateServiceCommand, type UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EventOutcome } from "../../shared/runtime/task-events.ts";
import { throttling } from "../aws/sdk-errors.ts";
import { exampleEvent, type RawEvent, recentEvent } from "../runtime/fixtures.ts";
import { type Captured, captureOutput, coldStart, lambdaContext, lambdaEnv, mockAwsClasses, writePackagedConfig } from "./lambda-harness.ts";

type Handler = { handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<EventOutcome> };
const HANDLER = "../../functions/task-events/handler.ts";
const queue = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;

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
  mocks.sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: "25", ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" },
  });
  out = captureOutput();
});
afterEach(() => {
  out.stop();
  mocks.ecs.restore();
  mocks.sqs.restore();
  mocks.cloudwatch.restore();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

/** The services the example events name: default/servicetest (Spot, with an on-demand sibling) and FargateCluster/worker. */
const config = {
  services: [
    {
      cluster: "default",
      service: "servicetest",
      policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: queue("jobs"), includeInFlight: false }] },
      spotFallback: { onDemandService: "servicetest-od" },
    },
    { cluster: "FargateCluster", service: "worker", policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: queue("worker-jobs") }] } },
  ],
};

async function start(env: Record<string, string> = {}) {
  return coldStart<Handler>(HANDLER, await lambdaEnv(writePackagedConfig(config), env));
}

/** Runs the handler as if delivered at `at` (the examples are from 2019–2020; age checks use the clock). */
async function deliver(handler: Handler["handler"], event: unknown, at: string) {
  vi.useFakeTimers({ now: new Date(at), toFake: ["Date"] });
  try {
    return await handler(event, lambdaContext(30_000, "ecs-autoscaler-dev-task-events"));
  } finally {
    vi.useRealTimers();
  }
}

function serviceTask(version: number): RawEvent {
  const event = recentEvent("ecs-task-state-change-running", new Date());
  event.detail.group = "service:worker";
  event.detail.version = version;
  return event;
}

describe("the AWS example events", () => {
  it("placement failure on FARGATE_SPOT: shifts the unplaced tasks to the sibling at once, with exact UpdateService calls", async () => {
    ecsServices.set("default/servicetest", { desired: 5, running: 2 });
    ecsServices.set("default/servicetest-od", { desired: 0, running: 0 });
    const { handler } = await start();
    const outcome = await deliver(handler, exampleEvent("ecs-service-action-placement-failure-fargate-spot"), "2019-11-19T19:55:40Z");
    expect(outcome).toMatchObject({ status: "handled", service: "default/servicetest", reevaluated: { evaluated: 1, changed: 1 } });
    expect(mocks.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "default", service: "servicetest-od", desiredCount: 3 },
      { cluster: "default", service: "servicetest", desiredCount: 2 },
    ]);
    expect(out.logs().find((l) => l.message === "event handled")).toMatchObject({
      ecsService: "default/servicetest",
      effects: ["no Fargate Spot capacity: shift 3 task(s) to on-demand"],
    });
  });

  it("placement failure in DRY_RUN: remembers the shift but calls no UpdateService", async () => {
    ecsServices.set("default/servicetest", { desired: 5, running: 2 });
    ecsServices.set("default/servicetest-od", { desired: 0, running: 0 });
    const { handler } = await start({ DRY_RUN: "true" });
    await deliver(handler, exampleEvent("ecs-service-action-placement-failure-fargate-spot"), "2019-11-19T19:55:40Z");
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(out.logs().find((l) => l.ecsService === "default/servicetest" && l.dryRun === true)).toMatchObject({
      message: "scaling decision (dry run: not applied)",
      split: { spot: 2, onDemand: 3 },
    });
  });

  it("deployment in progress: holds scale-in, no re-evaluation needed", async () => {
    const { handler } = await start();
    const outcome = await deliver(handler, exampleEvent("ecs-deployment-state-change-in-progress"), "2020-05-23T12:31:20Z");
    expect(outcome).toEqual({ status: "handled", service: "default/servicetest", effects: ["deployment ecs-svc/123 in progress: scale-in held"] });
    expect(mocks.ecs.calls()).toHaveLength(0);
  });

  it.each([
    ["the standalone running task", "ecs-task-state-change-running", "not a service task (group family:sample-fargate)"],
    ["the termination notice without a group", "ecs-task-state-change-spot-termination-notice", "task event without a group"],
    ["the scale-in stop of a service not configured", "ecs-task-state-change-stopped-scale-in", "service not configured"],
    ["an alarm event", "cloudwatch-alarm-state-change", "alarm events go to the evaluate function"],
  ] as const)("%s: ignored, logged and counted", async (_name, file, reason) => {
    const { handler } = await start();
    const outcome = await handler(exampleEvent(file), lambdaContext(30_000));
    expect(outcome).toMatchObject({ status: "ignored", reason });
    expect(out.logs().find((l) => l.message === "event ignored")).toMatchObject({ reason });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { IgnoredEvents: 1 } });
  });
});

describe("at-least-once, unordered delivery", () => {
  it("a duplicate is recognised, logged and counted; the learned startup time counts once", async () => {
    const { handler } = await start();
    expect(await handler(serviceTask(4), lambdaContext(30_000))).toMatchObject({ status: "handled", effects: [expect.stringContaining("startup sample 23.7 s")] });
    expect(await handler(serviceTask(4), lambdaContext(30_000))).toEqual({ status: "duplicate", service: "FargateCluster/worker" });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { DuplicateEvents: 1 } });
  });

  it("an older version after a newer one of the same task is stale", async () => {
    const { handler } = await start();
    const stopped = serviceTask(6);
    Object.assign(stopped.detail, { lastStatus: "STOPPED", desiredStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedAt: "2020-01-23T17:58:10Z" });
    stopped.id = "stopped";
    await handler(stopped, lambdaContext(30_000));
    expect(await handler(serviceTask(4), lambdaContext(30_000))).toEqual({ status: "stale", service: "FargateCluster/worker" });
  });
});

describe("crash-loop guard", () => {
  it("logs an alarm-worthy line and counts the trip", async () => {
    ecsServices.set("FargateCluster/worker", { desired: 2, running: 1 });
    const { handler } = await start();
    const now = new Date();
    for (let i = 0; i < 3; i++) {
      const failed = serviceTask(3);
      failed.id = `fail-${i}`;
      Object.assign(failed.detail, {
        taskArn: `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/t${i}`,
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stopCode: "TaskFailedToStart",
        stoppedAt: new Date(now.getTime() - (30 - i) * 1000).toISOString(),
      });
      await handler(failed, lambdaContext(30_000));
    }
    expect(out.logs().find((l) => String(l.message).startsWith("crash-loop guard tripped"))).toMatchObject({ level: "ERROR", ecsService: "FargateCluster/worker" });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler", Service: "FargateCluster/worker" }, metrics: { CrashLoopGuardTripped: 1 } });
    // Backlog 25 wants 5 tasks; the guard holds at max(desired 2, running 1 + 1).
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

describe("bad input and bad days", () => {
  it.each([
    ["not an object", 42],
    ["no detail-type", { source: "aws.ecs", detail: {} }],
    ["a task event with a string version", { "detail-type": "ECS Task State Change", detail: { lastStatus: "RUNNING", version: "four", group: "service:worker" } }],
  ])("a malformed event (%s) is logged and counted, not thrown", async (_name, event) => {
    const { handler } = await start();
    const outcome = await handler(event, lambdaContext(30_000));
    expect(outcome.status).toBe("malformed");
    expect(out.logs().find((l) => l.message === "malformed event: dropped")).toMatchObject({ level: "ERROR" });
    expect(out.emf()).toContainEqual({ dimensions: { service: "ecs-autoscaler" }, metrics: { MalformedEvents: 1 } });
  });

  it("an unknown detail-type is tolerated", async () => {
    const { handler } = await start();
    expect(await handler({ "detail-type": "ECS Container Instance State Change", source: "aws.ecs", detail: {} }, lambdaContext(30_000))).toMatchObject({
      status: "ignored",
      reason: "unknown detail-type",
    });
  });

  it("a throttled ECS call propagates, so Lambda retries the event", async () => {
    mocks.ecs.on(DescribeServicesCommand).rejects(throttling());
    const { handler } = await start();
    await expect(deliver(handler, exampleEvent("ecs-service-action-placement-failure-fargate-spot"), "2019-11-19T19:55:40Z")).rejects.toMatchObject({
      name: "PortError",
      message: "ThrottlingException: Rate exceeded",
    });
    expect(out.logs().find((l) => l.message === "event not handled: will be retried")).toMatchObject({ level: "ERROR", transient: true });
  });
});
