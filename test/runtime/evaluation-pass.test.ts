/**
 * One evaluation pass on in-memory ports: what each port is asked, UpdateService only on change,
 * dry run, guards, Spot split. (The AWS adapters' requests and batching are tested in test/aws.)
 */

import { describe, expect, it } from "vitest";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { ARRIVAL_WINDOW_SECONDS } from "../../shared/runtime/snapshot-arrivals.ts";
import { configOf, type MemoryWorld, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

async function setUp(options: { dryRun?: boolean } = {}) {
  return memoryWorld(options);
}

describe("runEvaluationPass: deciding and acting", () => {
  it("scales a service up with exactly one UpdateService carrying only the desired count", async () => {
    // Prepare
    const w = await setUp();
    w.service("prod/worker", { desired: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const config = configOf({ services: [workerService()] });
    // Act
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(summary).toEqual({ evaluated: 1, changed: 1, failed: 0, conflicts: 0, describeLags: 0, pastDeadline: 0, transientFailures: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    expect(w.sink.decisions[0]).toMatchObject({ from: 2, running: 2, backlog: 30, applied: true, dryRun: false, decision: { desiredCount: 6, reason: "ScaleUp" } });
    const saved = await w.store.load("prod/worker");
    // Saved before UpdateService, then confirmed once it landed (no pending mark left).
    expect(saved?.version).toBe(2);
    expect(saved?.pendingUpdate).toBeUndefined();
    expect(saved?.history?.scaleEvents).toEqual([{ at: w.clock.now().toISOString(), from: 2, to: 6 }]);
    expect(saved?.expiresAt).toBeGreaterThan(w.clock.now().getTime() / 1000);
  });

  it("calls no UpdateService when the decision keeps the count", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 6 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const summary = await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(summary).toMatchObject({ evaluated: 1, changed: 0 });
    expect(w.updates()).toHaveLength(0);
    expect(w.sink.decisions[0]).toMatchObject({ applied: false, decision: { desiredCount: 6, reason: "NoChange" } });
  });

  it("in dry run decides and reports but never calls UpdateService, and records no scale event", async () => {
    const w = await setUp({ dryRun: true });
    w.service("prod/worker", { desired: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const summary = await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(summary).toMatchObject({ evaluated: 1, changed: 1 });
    expect(w.updates()).toHaveLength(0);
    expect(w.sink.decisions[0]).toMatchObject({ applied: false, dryRun: true, decision: { desiredCount: 6 } });
    expect((await w.store.load("prod/worker"))?.history?.scaleEvents).toEqual([]);
  });

  it("describes 23 services of one cluster in calls of 10 (as DescribeServices takes them) and reads each queue once", async () => {
    const w = await setUp();
    const services = Array.from({ length: 23 }, (_, i) => {
      w.service(`prod/w${i}`, { desired: 1 });
      return { ...workerService(`w${i}`), policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queueUrl("shared") }] } };
    });
    w.queues.set(queueUrl("shared"), { visible: 0, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    expect(w.calls.describe.map((refs) => refs.length)).toEqual([10, 10, 3]);
    expect(w.calls.describe.flat().every((ref) => ref.cluster === "prod")).toBe(true);
    expect(w.calls.depth).toEqual([queueUrl("shared")]);
    expect(w.sink.decisions).toHaveLength(23);
  });

  it("reads every metric trigger of the pass in one call to the metrics port", async () => {
    const w = await setUp();
    const services = ["a", "b", "c"].map((name) => {
      w.service(`prod/${name}`, { desired: 2 });
      w.metric("App", "Latency", [name], 100);
      return {
        cluster: "prod",
        service: name,
        policy: { maxTasks: 10, triggers: [{ type: "metric", metric: { namespace: "App", name: "Latency", dimensions: [{ name: "Service", value: name }] }, target: 50, targetType: "value" }] },
      };
    });
    await runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    expect(w.calls.metrics).toHaveLength(1);
    expect(w.calls.metrics[0]?.map((r) => r.query)).toEqual(
      ["a", "b", "c"].map((name) => ({ kind: "stat", namespace: "App", name: "Latency", dimensions: [{ name: "Service", value: name }], stat: "Average", periodSeconds: 60 })),
    );
    expect(w.updatesByService()).toEqual(["a", "b", "c"].map((service) => ({ cluster: "prod", service, desiredCount: 4 })));
  });

  const latencyWorker = (policy: Record<string, unknown> = {}) =>
    configOf({
      services: [workerService("worker", {}, { triggers: [{ type: "sqs", queueUrl: queueUrl("worker-jobs"), targetWaitSeconds: 60, secondsPerMessage: 0.5, ...policy }] })],
    });
  const explanation = (w: MemoryWorld) => w.sink.decisions[0]?.decision.explanation ?? "";

  /** A queue snapshot read `secondsAgo` before the world's clock, as an earlier pass would have kept it. */
  const anchorAgo = (w: MemoryWorld, secondsAgo: number, n: number, f: number) => ({ t: w.clock.now().getTime() - secondsAgo * 1000, n, f });

  it("feeds the latency-aware policy the arrivals from the queue snapshots, the measured processing rate and the learned startup time", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 4 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 400, inFlight: 4, delayed: 0 });
    w.metric("AWS/SQS", "NumberOfMessagesDeleted", ["worker-jobs"], 480);
    w.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", ["worker-jobs"], 4);
    // A window ago (W s) 404 − 2·W in the queue, 4 in flight; now 404.
    const W = ARRIVAL_WINDOW_SECONDS;
    await w.store.save({ key: "prod/worker", version: 0, learned: { startupSeconds: 30 }, arrivals: anchorAgo(w, W, 404 - 2 * W, 4) });
    await runEvaluationPass(w.deps, latencyWorker(), w.clock.now());
    const requests = w.calls.metrics[0] ?? [];
    const since = new Date(Math.floor((w.clock.now().getTime() - 1800_000) / 60_000) * 60_000);
    expect(requests.map((r) => ({ query: r.query, since: "since" in r ? r.since : undefined }))).toEqual([
      { query: { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesDeleted", stat: "Sum", periodSeconds: 60, dimensions: [{ name: "QueueName", value: "worker-jobs" }] }, since },
      {
        query: { kind: "stat", namespace: "AWS/SQS", name: "ApproximateNumberOfMessagesNotVisible", stat: "Average", periodSeconds: 60, dimensions: [{ name: "QueueName", value: "worker-jobs" }] },
        since,
      },
    ]);
    // Deleted 480/min = 8/s over 4 in flight on average = 2/s per message, one per task; arrivals
    // (2·W + 2/s · 4 in flight · W) / W = 10/s.
    expect(explanation(w)).toContain("arrivals 10/s at 2/s per task");
    expect(explanation(w)).toContain("drained in 30 s");
    const saved = await w.store.load("prod/worker");
    expect(saved?.learned).toMatchObject({ startupSeconds: 30, processingRatePerTask: 2, ratesReadAt: w.clock.now().toISOString() });
    expect(saved?.arrivals).toEqual({ t: w.clock.now().getTime(), n: 404, f: 4, r: 10 });
  });

  it("measures the rate of the sampled minute after a scale-up, not per task running at the pass", async () => {
    const w = await setUp();
    // Scaled from 2 to 8: the minute had 2 messages in flight; dividing by the 8 running now would give 0.5/s.
    w.service("prod/worker", { desired: 8 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 300, inFlight: 8, delayed: 0 });
    w.metric("AWS/SQS", "NumberOfMessagesDeleted", ["worker-jobs"], 240);
    w.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", ["worker-jobs"], 2);
    await runEvaluationPass(w.deps, latencyWorker({ secondsPerMessage: 10 }), w.clock.now());
    expect(explanation(w)).toContain("at 2/s per task");
    expect((await w.store.load("prod/worker"))?.learned.processingRatePerTask).toBe(2);
  });

  it("uses messagesPerTask / secondsPerMessage from the first pass, before any minute is measured", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 4 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 200, inFlight: 4, delayed: 0 });
    await runEvaluationPass(w.deps, latencyWorker({ secondsPerMessage: 2, messagesPerTask: 4 }), w.clock.now());
    // No datapoints at all: arrivals at least what the 4 in flight complete, 4 messages at once of 2 s each = 2/s per task.
    expect(explanation(w)).toContain("arrival rate not measured: arrivals ≥ 2 msg/s from 4 in flight (Little's law); arrivals 2/s at 2/s per task");
    const saved = await w.store.load("prod/worker");
    // Nothing learned, but the metrics were read (the next read is an interval away) and the queue's snapshot kept.
    expect(saved?.learned).toEqual({ ratesReadAt: w.clock.now().toISOString() });
    expect(saved?.arrivals).toEqual({ t: w.clock.now().getTime(), n: 204, f: 4 });
  });

  it("reads the rate metrics again only once they are due, and measures arrivals from the snapshots meanwhile", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 4 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 4, delayed: 0 });
    const readAt = new Date(w.clock.now().getTime() - 60_000).toISOString();
    const learned = { deletedPerMinute: 480, inFlightAverage: 4, processingRatePerTask: 2, ratesReadAt: readAt };
    await w.store.save({ key: "prod/worker", version: 0, learned, arrivals: anchorAgo(w, 60, 4, 4) });
    await runEvaluationPass(w.deps, latencyWorker(), w.clock.now());
    expect(w.calls.metrics).toEqual([]);
    // Nothing changed in the queue over the minute: arrivals = what the 4 in flight completed at 2/s each.
    expect(explanation(w)).toContain("arrivals 8/s at 2/s per task");
    expect((await w.store.load("prod/worker"))?.learned).toEqual(learned);
  });

  it("scales a partly idle service on its measured per-task capacity × messagesPerTask", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 10 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 12, delayed: 0 });
    w.metric("AWS/SQS", "NumberOfMessagesDeleted", ["worker-jobs"], 360);
    // 6/s deleted over 12 in flight: 0.5/s per message; tasks of 4 workers do 2/s each when busy.
    w.metric("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", ["worker-jobs"], 12);
    // The queue as a minute ago: the 12 in flight completed 6/s, and as many arrived.
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, arrivals: anchorAgo(w, 60, 12, 12) });
    await runEvaluationPass(w.deps, latencyWorker({ messagesPerTask: 4 }), w.clock.now());
    expect(explanation(w)).toContain("arrivals 6/s at 2/s per task → 3;");
  });
});

describe("runEvaluationPass: guards", () => {
  const scaledDown = (w: MemoryWorld) => {
    w.service("prod/worker", { desired: 10 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    // No stabilization, so the engine wants 1 at once.
    return configOf({ services: [workerService("worker", {}, { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } })] });
  };

  it("holds scale-in while DescribeServices shows a deployment in progress", async () => {
    const w = await setUp();
    const config = scaledDown(w);
    w.services.get("prod/worker")!.deploying = true;
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updates()).toEqual([]);
    expect(w.sink.decisions[0]).toMatchObject({ guard: "DeploymentHold", decision: { desiredCount: 10 } });
    expect(w.sink.decisions[0]?.decision.explanation).toContain("scale-in held: deployment in progress");
    expect((await w.store.load("prod/worker"))?.history?.scaleEvents).toEqual([]);
  });

  it("holds scale-in on a deployment event before DescribeServices shows it, and scales in without one", async () => {
    const w = await setUp();
    const config = scaledDown(w);
    const now = w.clock.now().toISOString();
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, deployment: { inProgress: true, deploymentId: "ecs-svc/1", updatedAt: now, receivedAt: now } });
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updates()).toEqual([]);
    const record = (await w.store.load("prod/worker"))!;
    await w.store.save({ ...record, deployment: { ...record.deployment!, inProgress: false } });
    await w.clock.sleep(10_000);
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 1 }]);
  });

  it("lets scale-up through during a deployment", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 2, deploying: true });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
  });

  it("caps scale-up at running + margin while the crash-loop guard is tripped", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 4, running: 2, pending: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 100, inFlight: 0, delayed: 0 });
    const t = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, crashLoop: { recentFailures: [t(90), t(60), t(30)], tripped: true, since: t(30) } });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    // Engine: 100 / 5 = 20, rate-limited to 8; the guard keeps it at max(current 4, running 2 + 1).
    expect(w.updates()).toEqual([]);
    expect(w.sink.decisions[0]).toMatchObject({ guard: "CrashLoopGuard", decision: { desiredCount: 4 } });
  });
});

describe("runEvaluationPass: the save deadline (Lambda timeout approaching)", () => {
  it.each([
    ["passed during the pass: saves and applies nothing, left to the next invocation", 5_000, [], 0],
    // Saved, then confirmed once the update landed: two versions.
    ["still ahead: saves and applies as usual", 60_000, [{ cluster: "prod", service: "worker", desiredCount: 6 }], 2],
  ])("deadline %s", async (_name, deadlineInMs, updates, version) => {
    // Prepare: reading the state takes 6 s.
    const w = await setUp();
    w.service("prod/worker", { desired: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const now = w.clock.now();
    w.afterLoad.set("prod/worker", () => w.clock.sleep(6_000));
    // Act
    const summary = await runEvaluationPass({ ...w.deps, saveDeadline: { clock: w.clock, atMs: now.getTime() + deadlineInMs } }, configOf({ services: [workerService()] }), now);
    // Assess
    expect(summary.evaluated + summary.pastDeadline).toBe(1);
    expect(summary.evaluated).toBe(Math.min(1, version));
    expect(w.updates()).toEqual(updates);
    expect((await w.store.load("prod/worker"))?.version ?? 0).toBe(version);
  });
});

describe("runEvaluationPass: crash-loop guard and a concurrent event handler", () => {
  it("keeps a start failure saved during the pass (stamped after the pass's now) and trips on it", async () => {
    // Prepare: two failures on record; right after the pass loads it, the task-events handler saves a
    // third, stopped 1.5 s after the pass's `now`, so the pass's save loses and it decides again.
    const w = await setUp();
    w.service("prod/worker", { desired: 2, running: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const at = (s: number) => new Date(w.clock.now().getTime() + s * 1000).toISOString();
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, crashLoop: { recentFailures: [at(-100), at(-50)], tripped: false } });
    w.afterLoad.set("prod/worker", async () => {
      const loaded = await w.store.load("prod/worker");
      await w.store.save({ ...loaded!, crashLoop: { recentFailures: [at(-100), at(-50), at(1.5)], tripped: false } });
    });
    // Act
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    // Assess: the third failure is kept, the guard trips and caps 2 → 6 at running 2 + margin 1.
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 3 }]);
    expect(w.sink.decisions[0]).toMatchObject({ guard: "CrashLoopGuard", crashLoop: "tripped" });
    expect((await w.store.load("prod/worker"))?.crashLoop).toMatchObject({ recentFailures: [at(-100), at(-50), at(1.5)], tripped: true });
  });
});

describe("runEvaluationPass: crash-loop guard clearing", () => {
  it("keeps capping while its failures have aged out but no task has run again", async () => {
    const w = await setUp();
    w.service("prod/worker", { desired: 2, running: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const ago = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    await w.store.save({ key: "prod/worker", version: 0, learned: {}, crashLoop: { recentFailures: [ago(700), ago(650), ago(620)], tripped: true, since: ago(620) } });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(w.sink.decisions[0]).toMatchObject({ guard: "CrashLoopGuard", decision: { desiredCount: 3 } });
    expect(w.sink.decisions[0]?.crashLoop).toBeUndefined();
  });

  it("reports the guard cleared once a task started after the latest failure has run minUptimeSeconds, and stops capping", async () => {
    // Prepare: tripped; a task started 61 s ago, after the latest failure (minUptimeSeconds 60).
    const w = await setUp();
    w.service("prod/worker", { desired: 2, running: 2 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    const ago = (s: number) => new Date(w.clock.now().getTime() - s * 1000).toISOString();
    await w.store.save({
      key: "prod/worker",
      version: 0,
      learned: {},
      crashLoop: { recentFailures: [ago(200), ago(150), ago(120)], tripped: true, since: ago(120), lastFailureAt: ago(120), runningSince: ago(61) },
    });
    // Act
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    // Assess
    expect(w.sink.decisions[0]).toMatchObject({ crashLoop: "cleared", decision: { desiredCount: 6 } });
    expect(w.sink.decisions[0]?.guard).toBeUndefined();
    expect((await w.store.load("prod/worker"))?.crashLoop).toBeUndefined();
  });
});

describe("runEvaluationPass: Spot with an on-demand sibling", () => {
  const spotConfig = () => configOf({ services: [workerService("worker-spot", { spotFallback: { onDemandService: "worker-od", coolOffSeconds: 300 } })] });

  it("describes both, decides the pair's total, and moves shifted tasks to on-demand (raise first, then cut)", async () => {
    const w = await setUp();
    w.service("prod/worker-spot", { desired: 6, running: 4 });
    w.service("prod/worker-od", { desired: 0 });
    w.queues.set(queueUrl("worker-spot-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await w.store.save({ key: "prod/worker-spot", version: 0, learned: {}, spot: { shiftedTasks: 2, since: w.clock.now().toISOString() } });
    await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
    expect(w.calls.describe[0]).toEqual([
      { cluster: "prod", service: "worker-spot" },
      { cluster: "prod", service: "worker-od" },
    ]);
    expect(w.updates()).toEqual([
      { cluster: "prod", service: "worker-od", desiredCount: 2 },
      { cluster: "prod", service: "worker-spot", desiredCount: 4 },
    ]);
    expect(w.sink.decisions[0]).toMatchObject({ from: 6, split: { spot: 4, onDemand: 2, onDemandService: "worker-od", fromSpot: 6, fromOnDemand: 0 } });
  });

  it("without a shift, runs everything on Spot", async () => {
    const w = await setUp();
    w.service("prod/worker-spot", { desired: 2 });
    w.service("prod/worker-od", { desired: 0 });
    w.queues.set(queueUrl("worker-spot-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker-spot", desiredCount: 6 }]);
  });
});

describe("runEvaluationPass: moving tasks back to Spot", () => {
  const spotConfig = () => configOf({ services: [workerService("worker-spot", { spotFallback: { onDemandService: "worker-od", coolOffSeconds: 300 } })] });
  const minutesAgo = (w: MemoryWorld, m: number) => new Date(w.clock.now().getTime() - m * 60_000).toISOString();

  /** Passes 40 s apart while Spot starts 2 tasks per pass and on-demand runs what it is asked; the pair totals per pass. */
  async function returnPasses(w: MemoryWorld, passes: number) {
    const pairs: number[] = [];
    for (let i = 0; i < passes; i++) {
      await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
      const spot = w.services.get("prod/worker-spot")!;
      const od = w.services.get("prod/worker-od")!;
      spot.running = Math.min(spot.desired, spot.running + 2);
      od.running = od.desired;
      pairs.push(spot.desired + od.desired);
      await w.clock.sleep(40_000);
    }
    return pairs;
  }

  it.each([
    ["during a deployment (scale-in held)", true],
    ["without a deployment", false],
  ])("keeps the pair at the engine's total %s: Spot never inherits on-demand's overlap", async (_name, deploying) => {
    // Prepare: total 10 (50 messages at 5 per task), 5 shifted to on-demand, Spot steady past the cool-off.
    const w = await setUp();
    w.service("prod/worker-spot", { desired: 5 });
    w.service("prod/worker-od", { desired: 5, deploying });
    w.queues.set(queueUrl("worker-spot-jobs"), { visible: 50, inFlight: 0, delayed: 0 });
    await w.store.save({ key: "prod/worker-spot", version: 0, learned: {}, spot: { shiftedTasks: 5, since: minutesAgo(w, 15), steadySince: minutesAgo(w, 7) } });
    // Act
    const pairs = await returnPasses(w, 12);
    // Assess: Spot goes to 10 once; on-demand shrinks 5 → 3 → 1 → 0; no scale event was recorded.
    expect(w.services.get("prod/worker-spot")?.desired).toBe(10);
    expect(w.services.get("prod/worker-od")?.desired).toBe(0);
    expect(Math.max(...pairs)).toBeLessThanOrEqual(15);
    expect(pairs.at(-1)).toBe(10);
    expect(w.sink.decisions.map((d) => d.decision.desiredCount)).toEqual(Array(12).fill(10));
    expect((await w.store.load("prod/worker-spot"))?.history?.scaleEvents ?? []).toEqual([]);
  });
});
