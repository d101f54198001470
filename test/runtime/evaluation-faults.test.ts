/**
 * A bad day, one pass at a time, on in-memory ports: throttled and failing calls of each port, a
 * conditional-write conflict, a service that no longer exists, two evaluators at once. The pass
 * always completes for the other services, and nothing is lost: the failed service is decided again
 * on the next pass. (How the AWS adapters turn SDK errors into these failures: test/aws.)
 */
import { describe, expect, it } from "vitest";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { LANDING_MARGIN_SECONDS, SEND_WINDOW_SECONDS } from "../../shared/runtime/pending-update.ts";
import { configOf, memoryWorld, queueUrl, serverFault, throttled, type UpdateCall, workerService } from "./memory-world.ts";

/** Two sqs workers in cluster "prod" and one metric-scaled service in cluster "web", all wanting to scale up. */
async function threeServices() {
  const w = memoryWorld();
  w.service("prod/a", { desired: 1 });
  w.service("prod/b", { desired: 1 });
  w.service("web/api", { desired: 2 });
  w.queues.set(queueUrl("a-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
  w.queues.set(queueUrl("b-jobs"), { visible: 20, inFlight: 0, delayed: 0 });
  w.metric("App", "Latency", ["api"], 100);
  const config = configOf({
    services: [
      workerService("a"),
      workerService("b"),
      {
        cluster: "web",
        service: "api",
        policy: { maxTasks: 10, triggers: [{ type: "metric", metric: { namespace: "App", name: "Latency", dimensions: [{ name: "Service", value: "api" }] }, target: 50, targetType: "value" }] },
      },
    ],
  });
  return { w, config };
}

const update = (cluster: string, service: string, desiredCount: number): UpdateCall => ({ cluster, service, desiredCount });

describe("a failure of one API leaves the other services' decisions intact", () => {
  it.each([
    ["DescribeServices throttled for one cluster", "throttling"],
    ["DescribeServices 5xx for one cluster", "5xx"],
  ])("%s: that cluster's services fail, the other cluster scales", async (_name, kind) => {
    const { w, config } = await threeServices();
    w.faults.describe.set("prod", kind === "throttling" ? throttled() : serverFault());
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toEqual({ evaluated: 1, changed: 1, failed: 2, conflicts: 0, describeLags: 0, pastDeadline: 0, transientFailures: 2 });
    expect(w.updatesByService()).toEqual([update("web", "api", 4)]);
    expect(w.sink.failures.map((f) => [f.ref.service, f.stage])).toEqual([
      ["a", "describe"],
      ["b", "describe"],
    ]);
  });

  it("a service that no longer exists is reported (MISSING, not transient) and the others scale", async () => {
    const { w, config } = await threeServices();
    w.services.delete("prod/a");
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 2, failed: 1, transientFailures: 0 });
    expect(w.updatesByService()).toEqual([update("prod", "b", 4), update("web", "api", 4)]);
    expect(w.sink.failures[0]?.failure).toMatchObject({ kind: "notFound", message: "prod/a: MISSING" });
  });

  it.each([
    // Throttled: ECS refused it, so the scale event is taken back at once.
    { name: "throttled", error: throttled(), eventsAfterPass: [] },
    // A 5xx may be a lost response: the event stays, marked pending, until a describe past its window settles it.
    { name: "a 5xx", error: serverFault("ServerException"), eventsAfterPass: [{ at: "2026-03-02T12:00:00.000Z", from: 1, to: 4 }] },
  ])("UpdateService $name for one service: reported, the others applied, and the first pass past the pending window applies it", async ({ error, eventsAfterPass }) => {
    const { w, config } = await threeServices();
    w.faults.update.set("prod/a", error);
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 3, failed: 1, transientFailures: 1 });
    expect(w.sink.failures.map((f) => [f.ref.service, f.stage])).toEqual([["a", "update"]]);
    expect(w.services.get("prod/a")?.desired).toBe(1);
    expect(w.services.get("prod/b")?.desired).toBe(4);
    expect((await w.store.load("prod/a"))?.history?.scaleEvents).toEqual(eventsAfterPass);
    await w.clock.sleep((SEND_WINDOW_SECONDS + LANDING_MARGIN_SECONDS + 1) * 1000);
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.services.get("prod/a")?.desired).toBe(4);
  });

  it("UpdateService for a service deleted between describe and update is reported, not transient", async () => {
    const { w, config } = await threeServices();
    // Deleted after this pass described it, before its UpdateService.
    const port = w.deps.services;
    w.deps.services = {
      describe: async (refs) => {
        const described = await port.describe(refs);
        w.services.delete("prod/a");
        return described;
      },
      setDesiredCount: (ref, desiredCount) => port.setDesiredCount(ref, desiredCount),
    };
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ failed: 1, transientFailures: 0 });
    expect(w.sink.failures[0]?.failure).toMatchObject({ kind: "notFound", message: "ServiceNotFoundException: Service not found." });
  });

  it.each([
    ["throttled", throttled()],
    ["a 5xx", serverFault()],
  ])("SQS %s for one queue: that service holds its count, the others scale", async (_name, failure) => {
    const { w, config } = await threeServices();
    w.faults.depth.set(queueUrl("a-jobs"), failure);
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 3, failed: 0 });
    expect(w.updatesByService()).toEqual([update("prod", "b", 4), update("web", "api", 4)]);
    expect(w.sink.decisions.find((d) => d.ref.service === "a")?.decision.reason).toBe("ReadFailedHold");
    expect(w.sink.failures.map((f) => [f.ref.service, f.stage])).toEqual([["a", "read"]]);
  });

  it.each([
    ["throttled", throttled(), "ThrottlingException"],
    ["a 5xx", serverFault(), "InternalFailure (HTTP 500)"],
  ])("CloudWatch %s: the metric-scaled service holds, the queue workers scale", async (_name, failure, shown) => {
    const { w, config } = await threeServices();
    w.faults.metrics = failure;
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updatesByService()).toEqual([update("prod", "a", 4), update("prod", "b", 4)]);
    const api = w.sink.decisions.find((d) => d.ref.service === "api");
    expect(api?.decision).toMatchObject({ desiredCount: 2, reason: "ReadFailedHold" });
    expect(api?.decision.explanation).toContain(shown);
  });

  it.each([
    ["load", "throttled", throttled()],
    ["load", "a 5xx", serverFault("InternalServerError")],
    ["save", "throttled", throttled()],
    ["save", "a 5xx", serverFault("InternalServerError")],
  ] as const)("state %s %s for one record: that service fails (transient) and applies nothing, the others scale", async (operation, _name, failure) => {
    const { w, config } = await threeServices();
    w.faults[operation].set("prod/b", failure);
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 2, failed: 1, transientFailures: 1 });
    expect(w.updatesByService()).toEqual([update("prod", "a", 4), update("web", "api", 4)]);
    expect(w.sink.failures.map((f) => [f.ref.service, f.stage])).toEqual([["b", "state"]]);
    w.faults[operation].delete("prod/b");
    // Nothing lost: the next pass decides b again and applies it.
    await w.clock.sleep(10_000);
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.services.get("prod/b")?.desired).toBe(4);
  });
});

describe("two writers", () => {
  it("a conditional-check failure (another evaluator decided first) applies nothing", async () => {
    const { w, config } = await threeServices();
    // The other evaluator saves after this pass loaded the record: this pass's save must lose.
    w.afterLoad.set("prod/a", async () => {
      await w.store.save({
        key: "prod/a",
        version: 0,
        learned: {},
        history: { recommendations: [{ at: w.clock.now().toISOString(), tasks: 4 }], scaleEvents: [], failures: 0 },
      });
    });
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 2, conflicts: 1, failed: 0 });
    expect(w.updatesByService()).toEqual([update("prod", "b", 4), update("web", "api", 4)]);
    expect((await w.store.load("prod/a"))?.version).toBe(1);
  });

  it("a pass whose eventually consistent read misses the last pass's save loses its save: the newer record stays", async () => {
    const { w, config } = await threeServices();
    await runEvaluationPass(w.deps, config, w.clock.now());
    const saved = await w.store.load("prod/a");
    await w.clock.sleep(10_000);
    // The next pass's read of prod/a answers as if the first pass had never saved.
    const load = w.deps.state.load.bind(w.deps.state);
    w.deps.state.load = async (key, read) => (key === "prod/a" && read?.consistent === false ? undefined : load(key, read));
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 2, conflicts: 1, failed: 0 });
    expect(w.updatesByService().filter((u) => u.service === "a")).toEqual([update("prod", "a", 4)]);
    expect(await w.store.load("prod/a")).toEqual(saved);
  });

  it("two passes at the same moment apply each decision once", async () => {
    const { w, config } = await threeServices();
    const [first, second] = await Promise.all([runEvaluationPass(w.deps, config, w.clock.now()), runEvaluationPass(w.deps, config, w.clock.now())]);
    expect(first.evaluated + second.evaluated).toBe(3);
    // The pass that lost either lost its save or saw the other's decision as too recent for its describe.
    expect(first.conflicts + first.describeLags + second.conflicts + second.describeLags).toBe(3);
    expect(w.updates()).toHaveLength(3);
  });

  it("a save lost to an event handler (history unchanged) is decided again on the fresh record, not dropped", async () => {
    const { w, config } = await threeServices();
    // The task-events function learns a startup time for prod/a after this pass loaded the record.
    w.afterLoad.set("prod/a", async () => {
      await w.store.save({ key: "prod/a", version: 0, learned: { startupSeconds: 42, startupSamples: 1 } });
    });
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 3, conflicts: 0 });
    expect(w.updates()).toContainEqual(update("prod", "a", 4));
    const record = await w.store.load("prod/a");
    // The handler's save, this pass's, and its confirmation once the update landed.
    expect(record).toMatchObject({ version: 3, learned: { startupSeconds: 42 } });
  });

  it("waits when DescribeServices predates the last decision in the record (no undoing it)", async () => {
    const { w, config } = await threeServices();
    const justNow = new Date(w.clock.now().getTime() - 5_000).toISOString();
    await w.store.save({
      key: "prod/a",
      version: 0,
      learned: {},
      history: { recommendations: [], scaleEvents: [{ at: justNow, from: 1, to: 3 }], failures: 0 },
    });
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary).toMatchObject({ evaluated: 2, describeLags: 1, conflicts: 0 });
    expect(
      w
        .updates()
        .map((u) => u.service)
        .sort(),
    ).toEqual(["api", "b"]);
  });

  it.each([
    {
      name: "behind by two recent decisions (1 → 3 → 5, it shows 1): waits",
      events: [
        [-9, 1, 3],
        [-4, 3, 5],
      ],
      waits: true,
    },
    {
      name: "behind by the last one (it shows 3): waits",
      events: [
        [-9, 1, 3],
        [-4, 3, 5],
      ],
      shown: 3,
      waits: true,
    },
    {
      name: "the older decision is past the window (40 s): decides",
      events: [
        [-40, 1, 3],
        [-4, 3, 5],
      ],
      waits: false,
    },
    {
      name: "a count no recent decision started from (changed by someone else): decides",
      events: [
        [-9, 2, 3],
        [-4, 3, 5],
      ],
      waits: false,
    },
  ])("a describe $name", async ({ events, shown, waits }) => {
    const { w, config } = await threeServices();
    if (shown !== undefined) w.service("prod/a", { desired: shown });
    const ago = (s: number) => new Date(w.clock.now().getTime() + s * 1000).toISOString();
    await w.store.save({
      key: "prod/a",
      version: 0,
      learned: {},
      history: { recommendations: [], scaleEvents: events.map(([s, from, to]) => ({ at: ago(s!), from: from!, to: to! })), failures: 0 },
    });
    const summary = await runEvaluationPass(w.deps, config, w.clock.now());
    expect(summary.describeLags).toBe(waits ? 1 : 0);
    expect(w.updates().some((u) => u.service === "a")).toBe(!waits);
  });
});
