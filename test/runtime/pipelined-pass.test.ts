/**
 * The pipelined pass: a hung call delays only the services that need it, reads stay shared, the
 * longest-waiting service goes first, and a one-service pass reads its record with a single load.
 */
import { describe, expect, it, vi } from "vitest";
import type { QueuesPort } from "../../shared/ports/queues.ts";
import type { ServiceRef, ServicesPort } from "../../shared/ports/services.ts";
import { emptyRecord, type ServiceRecord } from "../../shared/ports/state-store.ts";
import { RECORD_TTL_SECONDS } from "../../shared/runtime/evaluate-service.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { fairOrder, lastEvaluatedMs } from "../../shared/runtime/fair-order.ts";
import { rankedLimit } from "../../shared/runtime/limiter.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

/** A promise the test settles when it wants the hung call to answer. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Six services, two per cluster a/b/c, each on its own queue, steady at 1 task. */
function sixServices() {
  const w = memoryWorld();
  const services = ["a", "b", "c"].flatMap((cluster) =>
    [1, 2].map((n) => {
      const name = `${cluster}${n}`;
      w.service(`${cluster}/${name}`, { desired: 1 });
      w.queues.set(queueUrl(`${name}-jobs`), { visible: 5, inFlight: 0, delayed: 0 });
      return { ...workerService(name), cluster };
    }),
  );
  return { w, config: configOf({ services }) };
}

describe("a pipelined pass", () => {
  it("decides every other service while one cluster's DescribeServices hangs, and that cluster's once it answers", async () => {
    // Prepare
    const { w, config } = sixServices();
    const hung = gate();
    const port = w.deps.services;
    w.deps.services = {
      describe: async (refs: readonly ServiceRef[]) => {
        if (refs[0]?.cluster === "b") await hung.opened;
        return port.describe(refs);
      },
      setDesiredCount: (ref, n) => port.setDesiredCount(ref, n),
    } satisfies ServicesPort;
    // Act
    const pass = runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    await vi.waitFor(() => expect(w.sink.decisions).toHaveLength(4));
    expect(w.sink.decisions.map((d) => d.ref.cluster).sort()).toEqual(["a", "a", "c", "c"]);
    hung.open();
    expect(await pass).toMatchObject({ evaluated: 6, failed: 0 });
  });

  it("decides the services of other queues while one queue's read hangs", async () => {
    // Prepare
    const { w, config } = sixServices();
    const hung = gate();
    const port = w.deps.queues;
    w.deps.queues = {
      depth: async (url: string) => {
        if (url === queueUrl("c2-jobs")) await hung.opened;
        return port.depth(url);
      },
    } satisfies QueuesPort;
    // Act
    const pass = runEvaluationPass(w.deps, config, w.clock.now());
    // Assess
    await vi.waitFor(() => expect(w.sink.decisions).toHaveLength(5));
    expect(w.sink.decisions.map((d) => d.ref.service)).not.toContain("c2");
    hung.open();
    expect(await pass).toMatchObject({ evaluated: 6 });
  });

  it("decides the services of other record batches while one batch's record load hangs", async () => {
    // Prepare: 100 services of cluster a fill one record batch; cluster b's service is in the next.
    const w = memoryWorld();
    const services = [...Array.from({ length: 100 }, (_, i) => ["a", `a${i}`]), ["b", "b0"]].map(([cluster, name]) => {
      w.service(`${cluster}/${name}`, { desired: 1 });
      return { ...workerService(name!), cluster, policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queueUrl("shared") }] } };
    });
    w.queues.set(queueUrl("shared"), { visible: 5, inFlight: 0, delayed: 0 });
    const hung = gate();
    w.afterLoad.set("a/a7", () => hung.opened);
    // Act
    const pass = runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    // Assess
    await vi.waitFor(() => expect(w.sink.decisions).toHaveLength(1));
    expect(w.sink.decisions[0]?.ref).toEqual({ cluster: "b", service: "b0" });
    hung.open();
    expect(await pass).toMatchObject({ evaluated: 101 });
  });

  it("reads a queue once per pass even when services in different describe calls share it", async () => {
    // Prepare
    const w = memoryWorld();
    const services = ["a", "b", "c"].map((cluster) => {
      w.service(`${cluster}/worker`, { desired: 1 });
      return { ...workerService("worker"), cluster, policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queueUrl("shared") }] } };
    });
    w.queues.set(queueUrl("shared"), { visible: 5, inFlight: 0, delayed: 0 });
    // Act
    await runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    // Assess
    expect(w.calls.describe).toHaveLength(3);
    expect(w.calls.depth).toEqual([queueUrl("shared")]);
    expect(w.sink.decisions).toHaveLength(3);
  });

  it("starts the never-seen service first, then the one decided longest ago", async () => {
    // Prepare: one service per cluster, so each is its own DescribeServices call.
    const w = memoryWorld();
    const decidedAt: Record<string, string | undefined> = { a: "2026-03-02T11:59:30Z", b: "2026-03-02T11:59:50Z", c: undefined, d: "2026-03-02T11:59:40Z" };
    const services = Object.keys(decidedAt).map((cluster) => {
      w.service(`${cluster}/worker`, { desired: 1 });
      w.queues.set(queueUrl(`${cluster}-jobs`), { visible: 5, inFlight: 0, delayed: 0 });
      return { ...workerService("worker"), cluster, policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queueUrl(`${cluster}-jobs`), includeInFlight: false }] } };
    });
    for (const [cluster, at] of Object.entries(decidedAt)) {
      if (at) await w.store.save({ ...emptyRecord(`${cluster}/worker`), history: { recommendations: [{ at, tasks: 1 }], scaleEvents: [], failures: 0 } });
    }
    // Act
    await runEvaluationPass(w.deps, configOf({ services }), w.clock.now());
    // Assess
    expect(w.calls.describe.map((refs) => refs[0]?.cluster)).toEqual(["c", "a", "d", "b"]);
    expect(w.calls.depth).toEqual(["c", "a", "d", "b"].map((c) => queueUrl(`${c}-jobs`)));
    expect(w.sink.decisions).toHaveLength(4);
  });

  it("reads the record of a one-service pass with load, not a batch read, eventually consistent", async () => {
    // Prepare
    const w = memoryWorld();
    w.service("prod/worker", { desired: 1 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 5, inFlight: 0, delayed: 0 });
    const loadMany = vi.fn(async () => new Map());
    const load = vi.spyOn(w.deps.state, "load");
    w.deps.state.loadMany = loadMany;
    // Act
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    // Assess
    expect(loadMany).not.toHaveBeenCalled();
    expect(load).toHaveBeenCalledWith("prod/worker", { consistent: false });
    expect(w.sink.decisions).toHaveLength(1);
  });
});

describe("fair order", () => {
  const recordAt = (recommendations: string[], expiresAt?: number): ServiceRecord => ({
    ...emptyRecord("c/s"),
    history: { recommendations: recommendations.map((at) => ({ at, tasks: 1 })), scaleEvents: [], failures: 0 },
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });

  it.each([
    { name: "no record: never decided", record: undefined, expected: Number.NEGATIVE_INFINITY },
    { name: "the latest recommendation", record: recordAt(["2026-03-02T11:59:00Z", "2026-03-02T11:59:30Z"]), expected: Date.parse("2026-03-02T11:59:30Z") },
    { name: "no recommendation: the save time behind the TTL", record: recordAt([], 1_000 + RECORD_TTL_SECONDS), expected: 1_000_000 },
    { name: "neither: never decided", record: recordAt([]), expected: Number.NEGATIVE_INFINITY },
  ])("last evaluated: $name", ({ record, expected }) => {
    expect(lastEvaluatedMs(record)).toBe(expected);
  });

  it("puts never-seen services first, then oldest first, ties in config order", () => {
    const services = ["old", "new", "tie-1", "never", "tie-2"].map((service) => configOf({ services: [workerService(service)] }).services[0]!);
    const at = { old: "2026-03-02T11:00:00Z", new: "2026-03-02T11:59:00Z", "tie-1": "2026-03-02T11:30:00Z", "tie-2": "2026-03-02T11:30:00Z" } as Record<string, string>;
    const records = new Map(services.map((s) => [`prod/${s.service}`, { ok: true as const, value: at[s.service] ? recordAt([at[s.service]!]) : undefined }]));
    expect(fairOrder(services, records).map((s) => s.service)).toEqual(["never", "old", "tie-1", "tie-2", "new"]);
  });
});

describe("rankedLimit", () => {
  it("starts waiting tasks by rank, lowest first, never more than the limit at once", async () => {
    const limit = rankedLimit(1);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const task = (n: number) => async () => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      running--;
    };
    await Promise.all([limit(task(0), 0), limit(task(5), 5), limit(task(2), 2), limit(task(9), 9), limit(task(1), 1)]);
    expect(started).toEqual([0, 1, 2, 5, 9]);
    expect(most).toBe(1);
  });

  it("passes a task's failure to its caller and goes on with the next", async () => {
    const limit = rankedLimit(1);
    const failing = limit(async () => {
      throw new Error("boom");
    });
    const next = limit(async () => "next");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
  });
});
