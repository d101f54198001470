/**
 * ECS events through handleEcsEvent on in-memory ports: the AWS example events, duplicates, reordered
 * versions, unknown names, malformed events, and what each one changes (learned startup time, crash-loop
 * guard, deployment hold, Spot fallback), with the immediate re-evaluation where it matters.
 */
import { describe, expect, it } from "vitest";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { handleEcsEvent } from "../../shared/runtime/task-events.ts";
import { exampleEvent, type RawEvent, recentEvent } from "./fixtures.ts";
import { configOf, memoryWorld, queueUrl, throttled, workerService } from "./memory-world.ts";

async function setUp(start = "2026-03-02T12:00:00Z") {
  return memoryWorld({ start: new Date(start) });
}

/** The running example as a task of service `worker` in cluster `FargateCluster`. */
function runningTask(version = 4, taskId = "c13b4cb40f1f4fe4a2971f76ae5a47ad"): RawEvent {
  const event = recentEvent("ecs-task-state-change-running");
  event.detail.group = "service:worker";
  event.detail.version = version;
  event.detail.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${taskId}`;
  event.id = `${event.id}-${taskId}-${version}`;
  return event;
}

function failedTask(taskId: string, stoppedAt: string, version = 3): RawEvent {
  return {
    version: "0",
    id: `stop-${taskId}`,
    "detail-type": "ECS Task State Change",
    source: "aws.ecs",
    time: stoppedAt,
    detail: {
      clusterArn: "arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster",
      taskArn: `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${taskId}`,
      group: "service:worker",
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
      stoppedAt,
      version,
    },
  };
}

const fargateWorker = (extra: Record<string, unknown> = {}) => configOf({ services: [{ ...workerService("worker", extra), cluster: "FargateCluster" }] });

describe("startup time from ECS Task State Change", () => {
  it("learns createdAt → startedAt of a RUNNING service task, without re-evaluating", async () => {
    const w = await setUp();
    const outcome = await handleEcsEvent(w.deps, fargateWorker(), runningTask(), w.clock.now());
    expect(outcome).toMatchObject({ status: "handled", service: "FargateCluster/worker" });
    expect((await w.store.load("FargateCluster/worker"))?.learned).toEqual({ startupSeconds: 23.701, startupSamples: 1 });
    expect(w.calls.describe).toHaveLength(0);
  });

  it("recognises the same event delivered twice", async () => {
    const w = await setUp();
    await handleEcsEvent(w.deps, fargateWorker(), runningTask(), w.clock.now());
    const again = await handleEcsEvent(w.deps, fargateWorker(), runningTask(), w.clock.now());
    expect(again).toEqual({ status: "duplicate", service: "FargateCluster/worker" });
    expect((await w.store.load("FargateCluster/worker"))?.learned.startupSamples).toBe(1);
  });

  it("learns once per task when the task sends more RUNNING events (higher versions)", async () => {
    const w = await setUp();
    await handleEcsEvent(w.deps, fargateWorker(), runningTask(4), w.clock.now());
    const later = await handleEcsEvent(w.deps, fargateWorker(), runningTask(5), w.clock.now());
    expect(later).toMatchObject({ status: "handled", effects: [] });
    expect((await w.store.load("FargateCluster/worker"))?.learned.startupSamples).toBe(1);
  });

  it("ignores the AWS example itself: a standalone task (group family:…)", async () => {
    const w = await setUp();
    const outcome = await handleEcsEvent(w.deps, fargateWorker(), recentEvent("ecs-task-state-change-running"), w.clock.now());
    expect(outcome).toEqual({ status: "ignored", reason: "not a service task (group family:sample-fargate)" });
  });
});

describe("crash-loop guard from stopped tasks", () => {
  it("re-evaluates right after its own save with strongly consistent reads (an eventual one would often miss that save)", async () => {
    const w = await setUp();
    w.service("FargateCluster/worker", { desired: 4, running: 2, pending: 2 });
    const config = fargateWorker();
    const t = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    await handleEcsEvent(w.deps, config, failedTask("t1", t(50)), w.clock.now());
    await handleEcsEvent(w.deps, config, failedTask("t2", t(30)), w.clock.now());
    const reads: unknown[] = [];
    const load = w.deps.state.load.bind(w.deps.state);
    w.deps.state.load = async (key, read) => {
      reads.push(read);
      return load(key, read);
    };
    const third = await handleEcsEvent(w.deps, config, failedTask("t3", t(10)), w.clock.now());
    expect(third).toMatchObject({ reevaluated: { evaluated: 1, conflicts: 0 } });
    expect(reads).toContainEqual({ consistent: true });
    expect(reads).not.toContainEqual({ consistent: false });
  });

  it("trips on the third start failure, re-evaluates, and caps scale-up", async () => {
    const w = await setUp();
    w.service("FargateCluster/worker", { desired: 4, running: 2, pending: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 100, inFlight: 0, delayed: 0 });
    const config = fargateWorker();
    const t = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    const first = await handleEcsEvent(w.deps, config, failedTask("t1", t(50)), w.clock.now());
    await handleEcsEvent(w.deps, config, failedTask("t2", t(30)), w.clock.now());
    expect(first).toMatchObject({ status: "handled", effects: [expect.stringContaining("start failure (TaskFailedToStart)")] });
    expect(first).not.toHaveProperty("reevaluated");
    const third = await handleEcsEvent(w.deps, config, failedTask("t3", t(10)), w.clock.now());
    expect(third).toMatchObject({ status: "handled", crashLoop: "tripped", reevaluated: { evaluated: 1 } });
    expect(w.updates()).toEqual([]);
    expect(w.sink.decisions.at(-1)).toMatchObject({ guard: "CrashLoopGuard", decision: { desiredCount: 4 } });
  });

  it("a task RUNNING after the trip clears the guard once it has run minUptimeSeconds", async () => {
    // Prepare: three start failures trip the guard.
    const w = await setUp();
    w.service("FargateCluster/worker", { desired: 4, running: 2, pending: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 100, inFlight: 0, delayed: 0 });
    const config = fargateWorker();
    const ago = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    for (const [task, s] of [
      ["t1", 50],
      ["t2", 30],
      ["t3", 10],
    ] as const)
      await handleEcsEvent(w.deps, config, failedTask(task, ago(s)), w.clock.now());
    // Act: a new task reaches RUNNING now; a pass 30 s later, then one 61 s later.
    const running = runningTask(4, "healthy1");
    Object.assign(running.detail, { createdAt: ago(20), startedAt: w.clock.now().toISOString() });
    const outcome = await handleEcsEvent(w.deps, config, running, w.clock.now());
    await w.clock.sleep(30_000);
    await runEvaluationPass(w.deps, config, w.clock.now());
    const stillCapped = w.sink.decisions.at(-1);
    await w.clock.sleep(31_000);
    await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(outcome).toMatchObject({ status: "handled", effects: expect.arrayContaining([expect.stringContaining("crash-loop guard clears after 60 s")]) });
    expect(stillCapped).toMatchObject({ guard: "CrashLoopGuard" });
    expect(w.sink.decisions.at(-1)).toMatchObject({ crashLoop: "cleared" });
    expect(w.sink.decisions.at(-1)?.guard).toBeUndefined();
  });

  it("re-evaluates at the time the re-evaluation runs, not when the handler started", async () => {
    // Prepare: two failures on record; loading the record for the third event takes 3 s (a slow or retried read).
    const w = await setUp();
    w.service("FargateCluster/worker", { desired: 4, running: 2, pending: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 100, inFlight: 0, delayed: 0 });
    const config = fargateWorker();
    const ago = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    await handleEcsEvent(w.deps, config, failedTask("t1", ago(50)), w.clock.now());
    await handleEcsEvent(w.deps, config, failedTask("t2", ago(30)), w.clock.now());
    const handlerStart = w.clock.now();
    w.afterLoad.set("FargateCluster/worker", async () => {
      await w.clock.sleep(3_000);
    });
    // Act
    const outcome = await handleEcsEvent(w.deps, config, failedTask("t3", ago(10)), handlerStart);
    // Assess
    expect(outcome).toMatchObject({ crashLoop: "tripped", reevaluated: { evaluated: 1 } });
    expect(w.sink.decisions.at(-1)?.at).toEqual(new Date(handlerStart.getTime() + 3_000));
  });

  it("does not count the real scale-in stop; matches its service by name (the event has no cluster)", async () => {
    const w = await setUp();
    const event = recentEvent("ecs-task-state-change-stopped-scale-in");
    const config = configOf({ services: [workerService("DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk")] });
    const outcome = await handleEcsEvent(w.deps, config, event, w.clock.now());
    expect(outcome).toEqual({ status: "handled", service: "prod/DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk", effects: [] });
    expect(await w.store.load("prod/DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk")).toBeUndefined();
  });

  it("counts one start failure per task, however many STOPPED events (versions) the task sends", async () => {
    // Prepare
    const w = await setUp();
    const config = fargateWorker();
    const stoppedAt = w.clock.now().toISOString();
    await handleEcsEvent(w.deps, config, failedTask("t1", stoppedAt, 5), w.clock.now());
    const newer = failedTask("t1", stoppedAt, 6);
    newer.id = "stop-t1-v6";
    // Act
    const outcome = await handleEcsEvent(w.deps, config, newer, w.clock.now());
    // Assess
    expect(outcome).toEqual({ status: "handled", service: "FargateCluster/worker", effects: [] });
    expect((await w.store.load("FargateCluster/worker"))?.crashLoop?.recentFailures).toHaveLength(1);
  });

  it("drops an older version of a task that arrives after a newer one (reordered delivery)", async () => {
    const w = await setUp();
    const config = fargateWorker();
    await handleEcsEvent(w.deps, config, failedTask("t1", w.clock.now().toISOString(), 6), w.clock.now());
    const late = failedTask("t1", w.clock.now().toISOString(), 5);
    late.id = "another-delivery";
    expect(await handleEcsEvent(w.deps, config, late, w.clock.now())).toEqual({ status: "stale", service: "FargateCluster/worker" });
    expect((await w.store.load("FargateCluster/worker"))?.crashLoop?.recentFailures).toHaveLength(1);
  });
});

describe("deployment hold from ECS Deployment State Change", () => {
  const deploymentConfig = () => configOf({ services: [{ ...workerService("servicetest", {}, { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), cluster: "default" }] });
  const completed = (updatedAt: string): RawEvent => {
    const event = exampleEvent("ecs-deployment-state-change-in-progress");
    event.id = "completed-1";
    event.time = updatedAt;
    event.detail.eventName = "SERVICE_DEPLOYMENT_COMPLETED";
    event.detail.updatedAt = updatedAt;
    return event;
  };

  it("holds scale-in from IN_PROGRESS until COMPLETED, then re-evaluates and scales in at once", async () => {
    const w = await setUp("2020-05-23T12:31:20Z");
    w.service("default/servicetest", { desired: 8 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const config = deploymentConfig();
    const started = await handleEcsEvent(w.deps, config, exampleEvent("ecs-deployment-state-change-in-progress"), w.clock.now());
    expect(started).toMatchObject({ status: "handled", effects: ["deployment ecs-svc/123 in progress: scale-in held"] });
    expect(started).not.toHaveProperty("reevaluated");
    // A tick meanwhile: held.
    const { runEvaluationPass } = await import("../../shared/runtime/evaluation-pass.ts");
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updates()).toEqual([]);
    await w.clock.sleep(60_000);
    const ended = await handleEcsEvent(w.deps, config, completed(w.clock.now().toISOString()), w.clock.now());
    expect(ended).toMatchObject({ status: "handled", reevaluated: { evaluated: 1, changed: 1 } });
    expect(w.updates()).toEqual([{ cluster: "default", service: "servicetest", desiredCount: 1 }]);
  });

  it("ignores an IN_PROGRESS that arrives after the COMPLETED it precedes", async () => {
    const w = await setUp("2020-05-23T12:31:20Z");
    w.service("default/servicetest", { desired: 8 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    await handleEcsEvent(w.deps, deploymentConfig(), completed("2020-05-23T12:31:00Z"), w.clock.now());
    const late = await handleEcsEvent(w.deps, deploymentConfig(), exampleEvent("ecs-deployment-state-change-in-progress"), w.clock.now());
    expect(late).toEqual({ status: "stale", service: "default/servicetest" });
    expect((await w.store.load("default/servicetest"))?.deployment?.inProgress).toBe(false);
  });
});

describe("Spot fallback", () => {
  const spotConfig = () => configOf({ services: [{ ...workerService("servicetest", { spotFallback: { onDemandService: "servicetest-od" } }), cluster: "default" }] });

  it("on the AWS placement-failure example, shifts the unplaced tasks to on-demand at once", async () => {
    const w = await setUp("2019-11-19T19:55:40Z");
    w.service("default/servicetest", { desired: 5, running: 2, pending: 0 });
    w.service("default/servicetest-od", { desired: 0 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 25, inFlight: 0, delayed: 0 });
    const outcome = await handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    expect(outcome).toMatchObject({ status: "handled", effects: ["no Fargate Spot capacity: shift 3 task(s) to on-demand"], reevaluated: { changed: 1 } });
    expect(w.updates()).toEqual([
      { cluster: "default", service: "servicetest-od", desiredCount: 3 },
      { cluster: "default", service: "servicetest", desiredCount: 2 },
    ]);
    // The same event again changes nothing.
    const again = await handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    expect(again).toEqual({ status: "duplicate", service: "default/servicetest" });
    expect((await w.store.load("default/servicetest"))?.spot?.shiftedTasks).toBe(3);
  });

  it("a shortage while returning stops the return without stopping the Spot tasks that run", async () => {
    // Prepare: the pair's total is 10; returning, Spot is asked for 10 and runs 5, on-demand covers 5.
    const w = await setUp("2019-11-19T19:56:00Z");
    w.service("default/servicetest", { desired: 10, running: 5, pending: 0 });
    w.service("default/servicetest-od", { desired: 5 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 50, inFlight: 0, delayed: 0 });
    await w.store.save({
      key: "default/servicetest",
      version: 0,
      learned: {},
      spot: { shiftedTasks: 5, since: "2019-11-19T19:30:00Z", steadySince: "2019-11-19T19:45:00Z", returningSince: "2019-11-19T19:55:00Z", total: 10 },
    });
    // Act
    const outcome = await handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    // Assess: Spot back to its 5 running tasks, on-demand keeps its 5, the failed return counts for the backoff.
    expect(outcome).toMatchObject({ status: "handled", reevaluated: { changed: 1 } });
    expect(w.updates()).toEqual([{ cluster: "default", service: "servicetest", desiredCount: 5 }]);
    expect((await w.store.load("default/servicetest"))?.spot).toMatchObject({ shiftedTasks: 5, failedReturns: 1, total: 10 });
    expect((await w.store.load("default/servicetest"))?.spot?.returningSince).toBeUndefined();
  });

  it("another placement-failure event for a shortage already shifted shifts nothing more", async () => {
    // Prepare: Spot asked for 10 runs 4; the first event shifts 6 and the re-evaluation applies it.
    const w = await setUp("2019-11-19T19:56:00Z");
    w.service("default/servicetest", { desired: 10, running: 4, pending: 0 });
    w.service("default/servicetest-od", { desired: 0 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 50, inFlight: 0, delayed: 0 });
    const first = exampleEvent("ecs-service-action-placement-failure-fargate-spot");
    await handleEcsEvent(w.deps, spotConfig(), first, w.clock.now());
    // Act: a second, distinct event (another id) for the same shortage.
    await w.clock.sleep(5_000);
    const second = await handleEcsEvent(w.deps, spotConfig(), { ...first, id: "another-delivery" }, w.clock.now());
    // Assess
    expect(second).toEqual({ status: "handled", service: "default/servicetest", effects: [] });
    expect(w.updates()).toEqual([
      { cluster: "default", service: "servicetest-od", desiredCount: 6 },
      { cluster: "default", service: "servicetest", desiredCount: 4 },
    ]);
    expect((await w.store.load("default/servicetest"))?.spot?.shiftedTasks).toBe(6);
  });

  it("a placement failure read before a concurrent shift was saved shifts only what is still missing", async () => {
    // Prepare: Spot asked for 10 runs 4; between this event's DescribeServices and its load, another
    // event's handler saved a shift of 6 (the afterLoad hook stands in for that writer).
    const w = await setUp("2019-11-19T19:56:00Z");
    w.service("default/servicetest", { desired: 10, running: 4, pending: 0 });
    w.service("default/servicetest-od", { desired: 0 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 50, inFlight: 0, delayed: 0 });
    w.afterLoad.set("default/servicetest", async () => {
      await w.store.save({ key: "default/servicetest", version: 0, learned: {}, spot: { shiftedTasks: 6, since: "2019-11-19T19:55:59Z", total: 10 } });
    });
    // Act
    const outcome = await handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    // Assess: 6 shifted in all, not 6 + 6 (capped at 10); the other writer's shift stands.
    expect(outcome).toEqual({ status: "handled", service: "default/servicetest", effects: [] });
    expect((await w.store.load("default/servicetest"))?.spot?.shiftedTasks).toBe(6);
  });

  it("ignores a placement failure redelivered long after the fact", async () => {
    const w = await setUp("2019-11-19T21:00:00Z");
    const outcome = await handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    expect(outcome).toMatchObject({ status: "ignored", reason: "Spot event older than 600 s" });
  });

  it("cannot attribute the documented termination notice (it has no group) and says so", async () => {
    const w = await setUp();
    const outcome = await handleEcsEvent(w.deps, spotConfig(), recentEvent("ecs-task-state-change-spot-termination-notice"), w.clock.now());
    expect(outcome).toEqual({ status: "ignored", reason: "task event without a group" });
  });

  it("shifts one task per interrupted task, once, however many events the task sends", async () => {
    const w = await setUp();
    w.service("default/servicetest", { desired: 4 });
    w.service("default/servicetest-od", { desired: 0 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    const notice = recentEvent("ecs-task-state-change-spot-termination-notice");
    notice.detail.group = "service:servicetest";
    notice.detail.version = 3;
    const outcome = await handleEcsEvent(w.deps, spotConfig(), notice, w.clock.now());
    expect(outcome).toMatchObject({ status: "handled", effects: ["Spot interruption: shift 1 task to on-demand"] });
    // Two minutes later the same task stops with SpotInterruption: already counted.
    const stopped = structuredClone(notice);
    Object.assign(stopped.detail, { lastStatus: "STOPPED", stopCode: "SpotInterruption", version: 5 });
    stopped.id = "stopped-delivery";
    await handleEcsEvent(w.deps, spotConfig(), stopped, w.clock.now());
    expect((await w.store.load("default/servicetest"))?.spot?.shiftedTasks).toBe(1);
    expect(w.services.get("default/servicetest-od")?.desired).toBe(1);
    expect(w.services.get("default/servicetest")?.desired).toBe(3);
  });

  it("propagates a throttled DescribeServices so the event is retried, not lost", async () => {
    const w = await setUp("2019-11-19T19:55:40Z");
    w.faults.describe.set("default", throttled());
    await expect(handleEcsEvent(w.deps, spotConfig(), exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now())).rejects.toMatchObject({
      name: "PortError",
      failure: { kind: "throttled", message: "ThrottlingException: Rate exceeded" },
    });
    expect(await w.store.load("default/servicetest")).toBeUndefined();
  });
});

describe("what is tolerated, ignored or refused", () => {
  const config = () => configOf({ services: [{ ...workerService("servicetest"), cluster: "default" }, workerService("other")] });
  const otherOnly = () => configOf({ services: [workerService("other")] });
  it.each([
    ["an unknown detail-type", { "detail-type": "ECS Container Instance State Change", source: "aws.ecs", detail: {} }, config, { status: "ignored", reason: "unknown detail-type" }],
    [
      "an unknown service action",
      { ...recentEvent("ecs-service-action-placement-failure-fargate-spot"), detail: { eventName: "SERVICE_SOMETHING_NEW", eventType: "INFO" } },
      config,
      { status: "handled", effects: [] },
    ],
    ["a service that is not configured", exampleEvent("ecs-deployment-state-change-in-progress"), otherOnly, { status: "ignored", reason: "service not configured" }],
    ["an alarm event (the evaluate function's)", recentEvent("cloudwatch-alarm-state-change"), config, { status: "ignored" }],
  ])("%s", async (_name, event, configFor, expected) => {
    const w = await setUp();
    const outcome = await handleEcsEvent(w.deps, configFor(), event, w.clock.now());
    expect(outcome).toMatchObject(expected);
  });

  it.each([
    ["a string", "not an event", "$"],
    ["a task event whose detail is not an object", { "detail-type": "ECS Task State Change", detail: "RUNNING" }, "detail"],
    ["a deployment event without resources", { "detail-type": "ECS Deployment State Change", detail: { eventName: "SERVICE_DEPLOYMENT_COMPLETED" } }, "resources"],
  ])("reports a malformed event (%s) with its paths, without throwing", async (_name, event, path) => {
    const w = await setUp();
    const outcome = await handleEcsEvent(w.deps, configOf({ services: [workerService()] }), event, w.clock.now());
    expect(outcome.status).toBe("malformed");
    expect(outcome.status === "malformed" && outcome.problems.map((p) => p.path)).toContain(path);
  });

  it("propagates a throttled state store so the event is retried", async () => {
    const w = await setUp();
    w.faults.load.set("FargateCluster/worker", { kind: "throttled", message: "ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput." });
    await expect(handleEcsEvent(w.deps, fargateWorker(), runningTask(), w.clock.now())).rejects.toMatchObject({
      failure: { kind: "throttled", message: expect.stringMatching(/^ProvisionedThroughputExceededException/) },
    });
  });
});
