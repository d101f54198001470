/** The evaluator loop in virtual time: a pass every intervalSeconds until shortly before the next tick. */
import { describe, expect, it } from "vitest";
import { LOOP_MARGINS, loopDeadline, runEvaluatorLoop } from "../../shared/runtime/evaluator-loop.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

describe("loopDeadline", () => {
  const tick = new Date("2026-03-02T12:00:00Z");
  it.each([
    ["the next tick comes first", 90_000, tick.getTime() + 60_000 - LOOP_MARGINS.beforeNextTickMs],
    ["the Lambda timeout comes first", 40_000, tick.getTime() + 40_000 - LOOP_MARGINS.beforeTimeoutMs],
  ])("%s", (_name, remainingMs, expected) => {
    expect(loopDeadline(tick, tick, remainingMs)).toBe(expected);
  });
});

describe("runEvaluatorLoop", () => {
  it("passes at 0, 10, …, 50 s of a 60 s tick, and reacts within the interval to a new backlog", async () => {
    const w = memoryWorld();
    w.service("prod/worker", { desired: 1 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const config = configOf({ services: [workerService()] });
    const start = w.clock.now();
    // A burst arrives 25 s into the minute.
    const passTimes: number[] = [];
    const sleep = w.deps.clock.sleep;
    w.deps.clock.sleep = async (ms) => {
      await sleep(ms);
      if (w.clock.elapsedMs() >= 25_000) w.queues.set(queueUrl("worker-jobs"), { visible: 40, inFlight: 0, delayed: 0 });
    };
    const summaries = await runEvaluatorLoop(w.deps, config, loopDeadline(start, start, 90_000));
    for (const d of w.sink.decisions) passTimes.push((d.at.getTime() - start.getTime()) / 1000);
    expect(passTimes).toEqual([0, 10, 20, 30, 40, 50]);
    expect(summaries).toHaveLength(6);
    // First pass after the burst (30 s) scales: within one interval of the arrival.
    expect(w.updates()[0]).toEqual({ cluster: "prod", service: "worker", desiredCount: 5 });
    expect(w.sink.decisions.findIndex((d) => d.applied)).toBe(3);
  });

  it("starts no pass after the deadline when a pass overran its interval", async () => {
    // Prepare: the pass starting at 40 s takes 25 s (DescribeServices hangs), ending after the 58 s deadline.
    const w = memoryWorld();
    w.service("prod/worker", { desired: 1 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const start = w.clock.now();
    const passStarts: number[] = [];
    w.hooks.beforeDescribe = async () => {
      passStarts.push(w.clock.elapsedMs() / 1000);
      if (passStarts.length === 5) await w.clock.sleep(25_000);
    };
    // Act
    const until = loopDeadline(start, start, 90_000);
    await runEvaluatorLoop(w.deps, configOf({ services: [workerService()] }), until);
    // Assess
    expect(passStarts).toEqual([0, 10, 20, 30, 40]);
    expect(w.clock.now().getTime()).toBeLessThanOrEqual(start.getTime() + 65_000);
  });

  it.each([
    // Each pass takes 8 s; the deadline is 58 s: the pass at 50 s would end at 58 s, so it runs.
    { passMs: 8_000, expectedStarts: [0, 10, 20, 30, 40, 50] },
    // 9 s passes: the one at 50 s would end at 59 s, past the deadline, so it does not start.
    { passMs: 9_000, expectedStarts: [0, 10, 20, 30, 40] },
    // 25 s passes (longer than the interval) follow each other at once: 0, 25; one at 50 would end at 75.
    { passMs: 25_000, expectedStarts: [0, 25] },
  ])("starts no pass that the last pass's duration ($passMs ms) says would end past the deadline", async ({ passMs, expectedStarts }) => {
    // Prepare
    const w = memoryWorld();
    w.service("prod/worker", { desired: 1 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const start = w.clock.now();
    const passStarts: number[] = [];
    w.hooks.beforeDescribe = async () => {
      passStarts.push(w.clock.elapsedMs() / 1000);
      await w.clock.sleep(passMs);
    };
    const until = loopDeadline(start, start, 90_000);
    // Act
    await runEvaluatorLoop(w.deps, configOf({ services: [workerService()] }), until);
    // Assess
    expect(passStarts).toEqual(expectedStarts);
    expect(w.clock.now().getTime()).toBeLessThanOrEqual(until);
  });

  it("runs one pass when the deadline is already near", async () => {
    const w = memoryWorld();
    w.service("prod/worker", { desired: 1 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const summaries = await runEvaluatorLoop(w.deps, configOf({ services: [workerService()] }), w.clock.now().getTime() + 5_000);
    expect(summaries).toHaveLength(1);
  });
});
