/**
 * Save-then-apply when responses are lost, in both directions, on in-memory ports: a save that
 * landed unseen does not freeze the service, an UpdateService that ECS applied unseen stays in the
 * history (settled from DescribeServices), only a failure that certainly changed nothing is
 * forgotten at once, and scale events carry the time their update landed.
 */
import { describe, expect, it } from "vitest";
import type { PendingUpdate, ServiceRecord } from "../../shared/ports/state-store.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { LANDING_MARGIN_SECONDS, SEND_WINDOW_SECONDS } from "../../shared/runtime/pending-update.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

const KEY = "prod/worker";
const config = configOf({ services: [workerService()] });

/** prod/worker at 2 tasks with 30 messages waiting: the decision is 6 (5 messages per task). */
function world() {
  const w = memoryWorld();
  w.service(KEY, { desired: 2 });
  w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
  return w;
}

const at = (w: ReturnType<typeof world>, offsetMs: number) => new Date(w.clock.now().getTime() + offsetMs).toISOString();

/** A record as another writer left it: a scale event 2 → 6 at `eventAt`, pending or not. */
function recordWith(eventAt: string, pending?: PendingUpdate): ServiceRecord {
  return {
    key: KEY,
    version: 0,
    learned: {},
    history: { recommendations: [], scaleEvents: [{ at: eventAt, from: 2, to: 6 }], failures: 0 },
    ...(pending ? { pendingUpdate: pending } : {}),
  };
}

describe("a save that landed but whose response was lost", () => {
  it("sends nothing, and the first pass past `sendBy` and the landing margin decides and applies at once (no describe-lag freeze)", async () => {
    // Prepare
    const w = world();
    w.faults.saveLost.add(KEY);
    const first = await runEvaluationPass(w.deps, config, w.clock.now());
    await w.clock.sleep((SEND_WINDOW_SECONDS + LANDING_MARGIN_SECONDS + 1) * 1000);
    // Act
    const second = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(first).toMatchObject({ evaluated: 0, failed: 1 });
    expect(second).toMatchObject({ evaluated: 1, changed: 1, describeLags: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    const record = await w.store.load(KEY);
    expect(record?.history?.scaleEvents).toEqual([{ at: w.clock.now().toISOString(), from: 2, to: 6 }]);
    expect(record?.pendingUpdate).toBeUndefined();
  });
});

describe("an UpdateService that ECS applied but whose response was lost", () => {
  it("keeps the scale event (pending), and the next pass settles it from DescribeServices without a second UpdateService", async () => {
    // Prepare
    const w = world();
    w.faults.updateLost.add(KEY);
    const decidedAt = w.clock.now().toISOString();
    const first = await runEvaluationPass(w.deps, config, w.clock.now());
    const afterFirst = await w.store.load(KEY);
    await w.clock.sleep(10_000);
    // Act
    const second = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(first).toMatchObject({ evaluated: 1, failed: 1, transientFailures: 1 });
    expect(afterFirst?.pendingUpdate?.changes).toEqual([{ service: "worker", to: 6 }]);
    expect(afterFirst?.history?.scaleEvents).toEqual([{ at: decidedAt, from: 2, to: 6 }]);
    expect(second).toMatchObject({ evaluated: 1, changed: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    const settled = await w.store.load(KEY);
    expect(settled?.history?.scaleEvents).toEqual([{ at: decidedAt, from: 2, to: 6 }]);
    expect(settled?.pendingUpdate).toBeUndefined();
  });
});

describe("an UpdateService whose response was lost and that DescribeServices shows only later", () => {
  it("past `sendBy` + 3 s the old count still shows (the call lands late, or the describe is stale): the service waits, no second UpdateService", async () => {
    // Prepare: the call is sent (its response lost), then DescribeServices keeps the old count for a while.
    const w = world();
    w.faults.updateLost.add(KEY);
    const decidedAt = w.clock.now().toISOString();
    await runEvaluationPass(w.deps, config, w.clock.now());
    w.service(KEY, { desired: 2 });
    // Act: a pass 9 s after the save (sendBy + 4 s), then one once the count shows.
    await w.clock.sleep(9_000);
    const stale = await runEvaluationPass(w.deps, config, w.clock.now());
    w.service(KEY, { desired: 6 });
    await w.clock.sleep(1_000);
    const shown = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(stale).toMatchObject({ evaluated: 0, changed: 0, describeLags: 1 });
    expect(shown).toMatchObject({ evaluated: 1, changed: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    const settled = await w.store.load(KEY);
    expect(settled?.history?.scaleEvents).toEqual([{ at: decidedAt, from: 2, to: 6 }]);
    expect(settled?.pendingUpdate).toBeUndefined();
  });
});

describe("an UpdateService that certainly changed nothing", () => {
  it.each([
    { name: "access denied", failure: { kind: "denied" as const, message: "AccessDeniedException: not authorized" } },
    { name: "no budget before its deadline", failure: { kind: "throttled" as const, message: "UpdateService budget: no call free, not sent" } },
  ])("$name: the scale event and the pending mark are taken back at once", async ({ failure }) => {
    // Prepare
    const w = world();
    w.faults.update.set(KEY, failure);
    // Act
    await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    const record = await w.store.load(KEY);
    expect(record?.history?.scaleEvents).toEqual([]);
    expect(record?.pendingUpdate).toBeUndefined();
  });
});

describe("scale events are stamped when the update landed", () => {
  it("the update landed 2.5 s after the pass read: the event says so, the pending mark is gone", async () => {
    // Prepare
    const w = world();
    const landedAt = at(w, 2_500);
    w.hooks.beforeUpdate = () => w.clock.sleep(2_500);
    // Act
    await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    const record = await w.store.load(KEY);
    expect(record).toMatchObject({ version: 2, history: { scaleEvents: [{ at: landedAt, from: 2, to: 6 }] } });
    expect(record?.pendingUpdate).toBeUndefined();
  });
});

describe("another writer's decision, as a pass that read before it landed sees it", () => {
  it("pending and still within its send window: the service waits, then once the window is over the decision is taken back and made again", async () => {
    // Prepare: saved 2 s ago, UpdateService not (yet) shown by DescribeServices.
    const w = world();
    const eventAt = at(w, -2_000);
    await w.store.save(recordWith(eventAt, { at: eventAt, sendBy: at(w, 3_000), changes: [{ service: "worker", to: 6 }] }));
    // Act: a pass now, and one just past `sendBy` + the landing margin.
    const waiting = await runEvaluationPass(w.deps, config, w.clock.now());
    await w.clock.sleep((3 + LANDING_MARGIN_SECONDS) * 1000 + 1_000);
    const after = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(waiting).toMatchObject({ evaluated: 0, describeLags: 1 });
    expect(after).toMatchObject({ evaluated: 1, changed: 1, describeLags: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    expect((await w.store.load(KEY))?.history?.scaleEvents).toEqual([{ at: w.clock.now().toISOString(), from: 2, to: 6 }]);
  });

  it("confirmed, landed after this pass's describe (stamp later than the pass): the service waits, nothing undone or repeated", async () => {
    // Prepare
    const w = world();
    await w.store.save(recordWith(at(w, 1_000)));
    // Act
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    expect(summary).toMatchObject({ evaluated: 0, describeLags: 1 });
    expect(w.updates()).toEqual([]);
  });
});

describe("two evaluators at once, the winner's UpdateService response lost", () => {
  it("one UpdateService in all, and both settle the same scale event on the next passes", async () => {
    // Prepare
    const w = world();
    w.faults.updateLost.add(KEY);
    // Act: two overlapping passes, then two more 10 s later.
    const first = await Promise.all([runEvaluationPass(w.deps, config, w.clock.now()), runEvaluationPass(w.deps, config, w.clock.now())]);
    const decidedAt = w.clock.now().toISOString();
    await w.clock.sleep(10_000);
    const second = await Promise.all([runEvaluationPass(w.deps, config, w.clock.now()), runEvaluationPass(w.deps, config, w.clock.now())]);
    // Assess
    expect(first.map((s) => s.evaluated + s.conflicts).sort()).toEqual([1, 1]);
    expect(second.map((s) => s.changed)).toEqual([0, 0]);
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    const record = await w.store.load(KEY);
    expect(record?.history?.scaleEvents).toEqual([{ at: decidedAt, from: 2, to: 6 }]);
    expect(record?.pendingUpdate).toBeUndefined();
  });
});
