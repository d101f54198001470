/**
 * A pass writes the service's state record only when it changed: an unchanged pass saves nothing, a
 * changed one saves once (and a count change still saves before its UpdateService), and the TTL,
 * which alone moves with time, is refreshed at a bounded cadence that keeps the fair order.
 */
import { describe, expect, it } from "vitest";
import type { ServiceRecord, StateStore } from "../../shared/ports/state-store.ts";
import { RECORD_TTL_SECONDS, TTL_REFRESH_SECONDS } from "../../shared/runtime/evaluate-service.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { lastEvaluatedMs } from "../../shared/runtime/fair-order.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

/** A world whose store logs every save (and the world's UpdateService calls, in one order). */
function countingWorld() {
  const w = memoryWorld();
  const log: string[] = [];
  const inner = w.deps.state;
  const state: StateStore = {
    load: (key) => inner.load(key),
    save: (record: ServiceRecord) => {
      log.push(`save v${record.version}`);
      return inner.save(record);
    },
  };
  const setDesiredCount = w.deps.services.setDesiredCount.bind(w.deps.services);
  const services = {
    ...w.deps.services,
    setDesiredCount: (...args: Parameters<typeof setDesiredCount>) => {
      log.push(`update ${args[1]}`);
      return setDesiredCount(...args);
    },
  };
  const deps = { ...w.deps, state, services };
  const config = configOf({ services: [workerService()] });
  const pass = async (afterSeconds: number) => {
    await w.clock.sleep(afterSeconds * 1000);
    log.length = 0;
    const summary = await runEvaluationPass(deps, config, w.clock.now());
    return { summary, log: [...log] };
  };
  return { w, pass };
}

describe("a pass writes the state record only when it changed", () => {
  it("a pass that changes nothing writes nothing, and still reports its decision", async () => {
    const { w, pass } = countingWorld();
    w.service("prod/worker", { desired: 6 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    expect((await pass(0)).log).toEqual(["save v0"]);
    for (let i = 0; i < 5; i++) {
      const { summary, log } = await pass(10);
      expect(log).toEqual([]);
      expect(summary).toMatchObject({ evaluated: 1, changed: 0, conflicts: 0 });
    }
    expect(w.sink.decisions).toHaveLength(6);
    expect((await w.store.load("prod/worker"))?.version).toBe(1);
  });

  it("a pass whose recommendation changes, with the count held, writes once and calls no UpdateService", async () => {
    const { w, pass } = countingWorld();
    w.service("prod/worker", { desired: 6 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await pass(0);
    w.queues.set(queueUrl("worker-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
    const { log } = await pass(10);
    expect(log).toEqual(["save v1"]);
    expect(w.sink.decisions.at(-1)?.decision.reason).toBe("ScaleDownStabilized");
    // The new run (4) holds; the same 4 again adds nothing.
    expect((await pass(10)).log).toEqual([]);
  });

  it("a count change saves before its UpdateService, then confirms", async () => {
    const { w, pass } = countingWorld();
    w.service("prod/worker", { desired: 6 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await pass(0);
    w.queues.set(queueUrl("worker-jobs"), { visible: 60, inFlight: 0, delayed: 0 });
    expect((await pass(10)).log).toEqual(["save v1", "update 12", "save v2"]);
    // Later, the scale event leaves the longest rate-limit period: pruned, a change to write once.
    expect((await pass(40)).log).toEqual(["save v3"]);
    expect((await pass(10)).log).toEqual([]);
  });

  it(`the TTL alone is refreshed once it is ${TTL_REFRESH_SECONDS} s old, so the fair order's save time lags by at most that plus a pass`, async () => {
    const { w, pass } = countingWorld();
    w.service("prod/worker", { desired: 6 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await pass(0);
    const writes: number[] = [];
    for (let i = 1; i <= 18; i++) if ((await pass(10)).log.length > 0) writes.push(i * 10);
    expect(writes).toEqual([60, 120, 180]);
    const record = await w.store.load("prod/worker");
    expect(record?.expiresAt).toBe(w.clock.now().getTime() / 1000 + RECORD_TTL_SECONDS);
    expect(lastEvaluatedMs(record)).toBe(w.clock.now().getTime());
  });
});

describe("the fair order without a write at every pass", () => {
  it("ranks by the later of the latest recommendation and the TTL's save time", () => {
    const t = Date.parse("2026-03-02T12:00:00Z");
    const record = (recommendedAt: number, savedAt: number | undefined): ServiceRecord => ({
      key: "prod/worker",
      version: 3,
      learned: {},
      history: { recommendations: [{ at: new Date(recommendedAt).toISOString(), tasks: 2 }], scaleEvents: [], failures: 0 },
      ...(savedAt === undefined ? {} : { expiresAt: savedAt / 1000 + RECORD_TTL_SECONDS }),
    });
    // A run begun an hour ago, saved (TTL refreshed) a minute ago: decided a minute ago as far as the record tells.
    expect(lastEvaluatedMs(record(t - 3_600_000, t - 60_000))).toBe(t - 60_000);
    // A record saved before its latest recommendation (another writer's clock): the recommendation.
    expect(lastEvaluatedMs(record(t, t - 60_000))).toBe(t);
    expect(lastEvaluatedMs(record(t - 3_600_000, undefined))).toBe(t - 3_600_000);
    expect(lastEvaluatedMs(undefined)).toBe(Number.NEGATIVE_INFINITY);
  });
});
