/**
 * Two evaluators, one of them slow: its pass started (`now`) before the other decided and confirmed a
 * change, and it loads the record only afterwards, so the record holds a scale event stamped later
 * than its `now`. That event landed; the slow pass must keep it in what it saves and count it in its
 * rate limits, not drop it as a history entry "from the future". In-memory ports, exact interleaving.
 */
import { describe, expect, it } from "vitest";
import type { StateStore } from "../../shared/ports/state-store.ts";
import { decisionTime } from "../../shared/runtime/decision-time.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

const KEY = "prod/worker";
const QUEUE = queueUrl("worker-jobs");
const config = configOf({ services: [workerService()] });

/** A state store whose loads wait until `open` is called: a pass whose record batch is slow to come back. */
function gatedStore(store: StateStore): { state: StateStore; open: () => void } {
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    state: {
      load: async (key) => {
        await gate;
        return store.load(key);
      },
      save: (record) => store.save(record),
    },
    open,
  };
}

/**
 * prod/worker at 2 tasks, 30 messages (→ 6). The slow evaluator starts its pass at T; at T + 1 s the
 * other one decides 2 → 6, which lands at T + 1.5 s and is confirmed with that time; then the queue
 * holds `visibleAfter` messages and the slow pass's load comes back.
 */
async function racedPasses(visibleAfter: number) {
  const w = memoryWorld();
  w.service(KEY, { desired: 2 });
  w.queues.set(QUEUE, { visible: 30, inFlight: 0, delayed: 0 });
  const slowStart = w.clock.now();
  const gated = gatedStore(w.deps.state);
  const slow = runEvaluationPass({ ...w.deps, state: gated.state }, config, slowStart);
  await w.clock.sleep(1_000);
  w.hooks.beforeUpdate = () => w.clock.sleep(500);
  const fast = await runEvaluationPass(w.deps, config, w.clock.now());
  const landedAt = new Date(slowStart.getTime() + 1_500).toISOString();
  w.hooks.beforeUpdate = undefined;
  w.queues.set(QUEUE, { visible: visibleAfter, inFlight: 0, delayed: 0 });
  gated.open();
  return { w, fast, slow: await slow, landedAt };
}

describe("a slow pass that loads a record another evaluator saved after the pass started", () => {
  it.each([
    { name: "the same load (30 messages → 6)", visibleAfter: 30, reason: "NoChange" },
    { name: "twice the load (60 messages → 12): the 2 → 6 counts in the 100%/15 s limit", visibleAfter: 60, reason: "ScaleUpLimit" },
  ])("keeps the other's applied scale event and decides nothing more: $name", async ({ visibleAfter, reason }) => {
    // Act
    const { w, fast, slow, landedAt } = await racedPasses(visibleAfter);
    // Assess
    expect(fast).toMatchObject({ evaluated: 1, changed: 1 });
    expect(slow).toMatchObject({ evaluated: 1, changed: 0 });
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 6 }]);
    expect((await w.store.load(KEY))?.history?.scaleEvents).toEqual([{ at: landedAt, from: 2, to: 6 }]);
    expect(w.sink.decisions.at(-1)?.decision).toMatchObject({ desiredCount: 6, reason });
  });
});

describe("the time a service is decided at", () => {
  const now = new Date("2026-03-02T12:00:00.000Z");
  const present = new Date("2026-03-02T12:00:02.000Z");
  const history = (stamps: { events?: string[]; recommendations?: string[]; lastActiveAt?: string }) => ({
    scaleEvents: (stamps.events ?? []).map((at) => ({ at, from: 2, to: 6 })),
    recommendations: (stamps.recommendations ?? []).map((at) => ({ at, tasks: 6 })),
    failures: 0,
    ...(stamps.lastActiveAt ? { lastActiveAt: stamps.lastActiveAt } : {}),
  });
  it.each([
    { name: "no history: the pass's now", h: undefined, expected: "2026-03-02T12:00:00.000Z" },
    { name: "entries before now: now", h: history({ events: ["2026-03-02T11:59:50.000Z"] }), expected: "2026-03-02T12:00:00.000Z" },
    { name: "a scale event landed during the pass: just after it", h: history({ events: ["2026-03-02T11:59:50.000Z", "2026-03-02T12:00:01.500Z"] }), expected: "2026-03-02T12:00:01.501Z" },
    { name: "one exactly at now: 1 ms after (no two events share a time)", h: history({ events: ["2026-03-02T12:00:00.000Z"] }), expected: "2026-03-02T12:00:00.001Z" },
    { name: "a later pass's recommendation: just after it", h: history({ recommendations: ["2026-03-02T12:00:00.800Z"] }), expected: "2026-03-02T12:00:00.801Z" },
    { name: "a later pass's lastActiveAt: just after it", h: history({ lastActiveAt: "2026-03-02T12:00:00.300Z" }), expected: "2026-03-02T12:00:00.301Z" },
    { name: "within 1 s ahead of the clock (another host's clock): just after it", h: history({ events: ["2026-03-02T12:00:02.900Z"] }), expected: "2026-03-02T12:00:02.901Z" },
    { name: "further ahead than that (a clock gone wrong): now, the engine ignores it", h: history({ events: ["2026-03-02T13:00:00.000Z"] }), expected: "2026-03-02T12:00:00.000Z" },
    {
      name: "the skewed one ignored, the real one followed",
      h: history({ events: ["2026-03-02T12:00:01.000Z", "2026-03-02T13:00:00.000Z"] }),
      expected: "2026-03-02T12:00:01.001Z",
    },
  ])("$name", ({ h, expected }) => {
    expect(decisionTime(h, now, present).toISOString()).toBe(expected);
  });
});
