/** Event inputs are not trusted: times outside the redelivery window or in the future, and oversized fields. */
import { describe, expect, it } from "vitest";
import { evaluateGuard, withFailure } from "../../shared/runtime/crash-loop.ts";
import { SEEN_RETENTION_SECONDS } from "../../shared/runtime/dedupe.ts";
import { applyDeploymentEvent, deploymentHoldActive } from "../../shared/runtime/deployment-hold.ts";
import { EVENT_MAX_AGE_SECONDS, EVENT_MAX_FUTURE_SECONDS } from "../../shared/runtime/event-bounds.ts";
import { applyEvent } from "../../shared/runtime/event-effects.ts";
import { parseEvent } from "../../shared/runtime/parse-event.ts";
import { handleEcsEvent } from "../../shared/runtime/task-events.ts";
import { type RawEvent, recentEvent } from "./fixtures.ts";
import { configOf, memoryWorld, throttled, workerService } from "./memory-world.ts";

const start = new Date("2026-03-02T12:00:00Z");
const config = configOf({ services: [{ ...workerService("worker"), cluster: "FargateCluster" }] });
const key = "FargateCluster/worker";
const settings = { maxFailures: 3, windowSeconds: 600, margin: 1, minUptimeSeconds: 60 };
const at = (s: number) => new Date(start.getTime() + s * 1000);

function running(taskId: string, time: Date, startupSeconds = 65): RawEvent {
  const event = recentEvent("ecs-task-state-change-running", time);
  event.detail.group = "service:worker";
  event.detail.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${taskId}`;
  event.detail.startedAt = time.toISOString();
  event.detail.createdAt = new Date(time.getTime() - startupSeconds * 1000).toISOString();
  event.id = `run-${taskId}`;
  return event;
}

function failedTask(taskId: string, time: Date): RawEvent {
  const event = running(taskId, time);
  Object.assign(event.detail, { lastStatus: "STOPPED", desiredStatus: "STOPPED", stopCode: "TaskFailedToStart", version: 3 });
  delete event.detail.startedAt;
  event.detail.stoppedAt = time.toISOString();
  return event;
}

describe("event times", () => {
  it.each([
    ["dated 2019", new Date("2019-11-06T19:26:56Z"), "older than 26 h"],
    ["27 h old", at(-27 * 3600), "older than 26 h"],
    ["10 minutes in the future", at(600), "in the future"],
  ])("ignores an event %s, with the reason", async (_name, time, reason) => {
    const w = await memoryWorld({ start });
    const outcome = await handleEcsEvent(w.deps, config, running("t1", time), w.clock.now());
    expect(outcome).toMatchObject({ status: "ignored", service: key, reason: expect.stringContaining(reason) });
    expect(await w.store.load(key)).toBeUndefined();
  });

  it("a failure stamped a year ahead (envelope time now) is ignored and counts nothing", async () => {
    const w = await memoryWorld({ start });
    const event = failedTask("f1", w.clock.now());
    event.detail.stoppedAt = "2027-03-02T12:00:00Z";
    const outcome = await handleEcsEvent(w.deps, config, event, w.clock.now());
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringContaining("detail.stoppedAt") });
    expect(await w.store.load(key)).toBeUndefined();
  });

  it("a 2019 event does not move the learned startup (65 s stays 65 s)", async () => {
    const w = await memoryWorld({ start });
    await handleEcsEvent(w.deps, config, running("t1", w.clock.now()), w.clock.now());
    const old = running("t2", new Date("2019-11-06T19:26:56Z"), 1043);
    await handleEcsEvent(w.deps, config, { ...old, time: w.clock.now().toISOString() }, w.clock.now());
    expect((await w.store.load(key))?.learned.startupSeconds).toBe(65);
  });

  it("a future-dated failure does not wedge the crash-loop guard: it clears an hour after the real failures", () => {
    // A state a version that trusted event times wrote: tripped, latest failure in 2099.
    let state = withFailure(undefined, at(0).toISOString(), settings, at(0));
    state = { ...state, tripped: true, lastFailureAt: "2099-01-01T00:00:00.000Z" };
    expect(evaluateGuard(state, settings, at(24 * 3600))).toMatchObject({ active: false, transition: "cleared" });
  });

  it("orders failures as times, not strings (…:00Z is earlier than …:00.500Z)", () => {
    const state = withFailure(withFailure(undefined, "2026-03-02T12:00:00.500Z", settings, start), "2026-03-02T12:00:00Z", settings, start);
    expect(state.lastFailureAt).toBe("2026-03-02T12:00:00.500Z");
  });

  it("a future updatedAt stored by an earlier version does not make every later deployment event stale", () => {
    const wedged = { inProgress: false, updatedAt: "2099-01-01T00:00:00.000Z", receivedAt: start.toISOString() };
    const next = applyDeploymentEvent(wedged, { eventName: "SERVICE_DEPLOYMENT_IN_PROGRESS", deploymentId: "ecs-svc/2", updatedAt: at(60).toISOString() }, at(60));
    expect(next.verdict).toBe("applied");
    expect(deploymentHoldActive(next.state, false, at(61))).toBe(true);
  });

  it("a deployment event with a future updatedAt is ignored, so later events still hold", async () => {
    const w = await memoryWorld({ start });
    const event = recentEvent("ecs-deployment-state-change-in-progress", w.clock.now());
    event.resources = ["arn:aws:ecs:us-west-2:111122223333:service/FargateCluster/worker"];
    event.detail.updatedAt = "2099-01-01T00:00:00Z";
    const outcome = await handleEcsEvent(w.deps, config, event, w.clock.now());
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringContaining("detail.updatedAt") });
  });
});

describe("a late Spot steady state", () => {
  const spotService = () => configOf({ services: [{ ...workerService("worker", { spotFallback: { onDemandService: "worker-od" } }), cluster: "FargateCluster" }] }).services[0]!;
  const steady = (time: Date) => ({
    kind: "serviceAction" as const,
    time: time.toISOString(),
    service: { cluster: "FargateCluster", service: "worker" },
    eventName: "SERVICE_STEADY_STATE",
    capacityProviderArns: [],
  });
  const shifted = { key, version: 1, learned: {}, spot: { shiftedTasks: 2, since: at(0).toISOString() } };

  it.each([
    ["from before the shift (delivered late) starts no cool-off", at(-3600), undefined],
    ["after the shift starts the cool-off at its time", at(30), at(30).toISOString()],
  ])("%s", (_name, time, steadySince) => {
    const ctx = { service: spotService(), role: "service" as const, spotPair: undefined, now: at(60) };
    const applied = applyEvent(shifted, steady(time), ctx);
    expect(applied.outcome === "applied" && applied.effect.record.spot?.steadySince).toBe(steadySince);
  });
});

describe("dedupe covers the redelivery window", () => {
  it("remembers an event longer than any redelivery is still acted on", () => {
    expect(SEEN_RETENTION_SECONDS).toBeGreaterThanOrEqual(EVENT_MAX_AGE_SECONDS + EVENT_MAX_FUTURE_SECONDS);
  });

  it("a failure redelivered 25.5 h later is a duplicate, its dedupe item not yet expired; 27 h later too old", async () => {
    const w = await memoryWorld({ start });
    const failure = failedTask("f1", w.clock.now());
    await handleEcsEvent(w.deps, config, failure, w.clock.now());
    const dedupe = await w.store.load(`${key}#task:f1`);
    const redelivered = at(25.5 * 3600);
    expect(dedupe?.expiresAt ?? 0).toBeGreaterThan(redelivered.getTime() / 1000);
    expect(await handleEcsEvent(w.deps, config, failure, redelivered)).toEqual({ status: "duplicate", service: key });
    expect(await handleEcsEvent(w.deps, config, failure, at(27 * 3600))).toMatchObject({ status: "ignored" });
  });

  it("a dedupe write that fails after the failure was saved is reported, not thrown (a retry would count it twice)", async () => {
    const w = await memoryWorld({ start });
    w.faults.save.set(`${key}#task:f1`, throttled());
    const outcome = await handleEcsEvent(w.deps, config, failedTask("f1", w.clock.now()), w.clock.now());
    expect(outcome).toMatchObject({
      status: "handled",
      effects: [expect.stringContaining("start failure"), expect.stringContaining("not remembered as handled")],
    });
    expect((await w.store.load(key))?.crashLoop?.recentFailures).toHaveLength(1);
  });
});

describe("sizes", () => {
  it("refuses a 200 KB taskArn as malformed, naming the field", () => {
    const event = running("t1", start);
    event.detail.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${"x".repeat(200_000)}`;
    const parsed = parseEvent(event);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.problems.map((p) => p.path)).toEqual(["detail.taskArn"]);
  });

  it("a 200 KB taskArn reaches no item: the handler reports it malformed and the state stays as it was", async () => {
    const w = await memoryWorld({ start });
    const event = failedTask("f1", w.clock.now());
    event.detail.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${"x".repeat(200_000)}`;
    const outcome = await handleEcsEvent(w.deps, config, event, w.clock.now());
    expect(outcome).toMatchObject({ status: "malformed", problems: [{ path: "detail.taskArn" }] });
    expect(await w.store.load(key)).toBeUndefined();
  });

  it("cuts a long stoppedReason to 1,024 characters", () => {
    const event = running("t1", start);
    event.detail.stoppedReason = `Your Spot Task was interrupted.${"x".repeat(5000)}`;
    const parsed = parseEvent(event);
    expect(parsed.ok && parsed.value.kind === "task" && parsed.value.detail.stoppedReason?.length).toBe(1024);
  });
});
