/**
 * The on-demand sibling keeps the tasks it had when first seen that no Spot shortage explains: a
 * service named as sibling by mistake, or one that also runs work of its own, is never lowered by
 * the autoscaler; the pair's shifted tasks come on top of that floor.
 */
import { describe, expect, it } from "vitest";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { siblingFloor } from "../../shared/runtime/spot.ts";
import { handleEcsEvent } from "../../shared/runtime/task-events.ts";
import { exampleEvent } from "./fixtures.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

const spotConfig = () => configOf({ services: [workerService("worker-spot", { spotFallback: { onDemandService: "worker-od", coolOffSeconds: 300 } })] });

describe("siblingFloor", () => {
  it.each([
    { name: "first sight, no shift: all its tasks are its own", floor: undefined, desired: 10, shifted: undefined, expected: 10 },
    { name: "first sight, 2 shifted: the rest are its own", floor: undefined, desired: 5, shifted: 2, expected: 3 },
    { name: "first sight, only shifted tasks", floor: undefined, desired: 2, shifted: 2, expected: 0 },
    { name: "known floor, sibling above it: unchanged", floor: 3, desired: 7, shifted: 4, expected: 3 },
    { name: "known floor, sibling lowered below it by someone else: follows down", floor: 10, desired: 4, shifted: undefined, expected: 4 },
    { name: "a floor never rises after first sight", floor: 0, desired: 9, shifted: undefined, expected: 0 },
  ])("$name → $expected", ({ floor, desired, shifted, expected }) => {
    const state = shifted === undefined ? undefined : { shiftedTasks: shifted, since: "2026-01-01T00:00:00.000Z" };
    expect(siblingFloor(floor, desired, state)).toBe(expected);
  });
});

describe("runEvaluationPass: the on-demand sibling's floor", () => {
  it("a sibling already running 10 tasks without a shortage is not lowered; the pair's count goes to Spot", async () => {
    const w = await memoryWorld();
    w.service("prod/worker-spot", { desired: 2 });
    w.service("prod/worker-od", { desired: 10, running: 10 });
    w.queues.set(queueUrl("worker-spot-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
    expect(w.updates()).toEqual([{ cluster: "prod", service: "worker-spot", desiredCount: 6 }]);
    expect(w.services.get("prod/worker-od")!.desired).toBe(10);
    expect((await w.store.load("prod/worker-spot"))!.onDemandFloor).toBe(10);
  });

  it("shifted tasks come on top of the floor, and when the shift ends the sibling returns to its floor, not 0", async () => {
    const w = await memoryWorld();
    w.service("prod/worker-spot", { desired: 4, running: 4 });
    w.service("prod/worker-od", { desired: 5, running: 5 });
    w.queues.set(queueUrl("worker-spot-jobs"), { visible: 30, inFlight: 0, delayed: 0 });
    await w.store.save({ key: "prod/worker-spot", version: 0, learned: {}, spot: { shiftedTasks: 2, since: w.clock.now().toISOString() } });
    await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
    // Floor 3 (5 less the 2 shifted); the pair's 6: 2 on the sibling, 4 on Spot.
    expect(w.services.get("prod/worker-od")!.desired).toBe(5);
    expect(w.services.get("prod/worker-spot")!.desired).toBe(4);
    const record = (await w.store.load("prod/worker-spot"))!;
    expect(record.onDemandFloor).toBe(3);
    // The shortage is over: the shift is cleared (as a completed return leaves it).
    const { spot: _, ...withoutShift } = record;
    await w.store.save(withoutShift);
    await w.clock.sleep(40_000);
    await runEvaluationPass(w.deps, spotConfig(), w.clock.now());
    expect(w.services.get("prod/worker-od")!.desired).toBe(3);
    expect(w.services.get("prod/worker-spot")!.desired).toBe(6);
  });
});

describe("handleEcsEvent: a placement failure with a sibling floor", () => {
  it("shifts only the pair's unplaced tasks, on top of the sibling's own 10", async () => {
    const config = configOf({ services: [{ ...workerService("servicetest", { spotFallback: { onDemandService: "servicetest-od" } }), cluster: "default" }] });
    const w = await memoryWorld({ start: new Date("2019-11-19T19:55:40Z") });
    w.service("default/servicetest", { desired: 5, running: 2, pending: 0 });
    w.service("default/servicetest-od", { desired: 10, running: 10 });
    w.queues.set(queueUrl("servicetest-jobs"), { visible: 25, inFlight: 0, delayed: 0 });
    await w.store.save({ key: "default/servicetest", version: 0, learned: {}, onDemandFloor: 10 });
    const outcome = await handleEcsEvent(w.deps, config, exampleEvent("ecs-service-action-placement-failure-fargate-spot"), w.clock.now());
    // The pair is Spot's 5 (the sibling's 10 are its own): 3 unplaced go to the sibling, on top of its 10.
    expect(outcome).toMatchObject({ status: "handled", effects: ["no Fargate Spot capacity: shift 3 task(s) to on-demand"] });
    expect(w.services.get("default/servicetest-od")!.desired).toBe(13);
    expect(w.services.get("default/servicetest")!.desired).toBe(2);
  });
});
