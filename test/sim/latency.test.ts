/** The latency-aware queue model (shared/engine/latency.ts): worked cases and properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assumedStartupSeconds, drainHorizon, latencyAwareTasks, liveArrivalBound } from "../../shared/engine/latency.ts";

const base = { backlog: 0, arrivalRate: 0, processingRatePerTask: 0.5, targetWaitSeconds: 120, startupSeconds: 60 };

/** Any input of the model within its bounds, for the properties. */
const inputs = fc.record({
  backlog: fc.integer({ min: 0, max: 1_000_000 }),
  arrivalRate: fc.double({ min: 0, max: 10_000, noNaN: true }),
  processingRatePerTask: fc.double({ min: 0.001, max: 100, noNaN: true }),
  targetWaitSeconds: fc.double({ min: 1, max: 3600, noNaN: true }),
  startupSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
});

describe("latency-aware tasks", () => {
  it.each([
    // name, input, tasks — each worked by hand from the module comment
    ["idle queue: nothing to do", {}, 0],
    ["20/s at 0.5/s per task: the load, 40 — the queue is the buffer for noise", { arrivalRate: 20 }, 40],
    ["a fraction of a task rounds up: 20.1/s → 40.2 → 41", { arrivalRate: 20.1 }, 41],
    ["a backlog alone: 300 / (0.5 × 60) = 10", { backlog: 300 }, 10],
    ["load and a small backlog: max(40, 10) → 40 (arrivals queue behind the backlog)", { arrivalRate: 20, backlog: 300 }, 40],
    ["load and a big backlog: max(40, 3000 / 30 = 100) → 100", { arrivalRate: 20, backlog: 3000 }, 100],
    ["a slow start leaves a quarter of the wait: 120 / 4 = 30 s, 300 / (0.5 × 30) = 20", { backlog: 300, startupSeconds: 100 }, 20],
    ["an instant start (0 s): the whole wait, 300 / (0.5 × 120) = 5", { backlog: 300, startupSeconds: 0 }, 5],
    ["startup not learned yet: assumed 60 s, not instant: 300 / (0.5 × 60) = 10", { backlog: 300, startupSeconds: undefined }, 10],
    ["small loads get a whole task: 0.1/s → 0.2 → 1", { arrivalRate: 0.1 }, 1],
  ] as const)("%s", (_, input, tasks) => {
    expect(latencyAwareTasks({ ...base, ...input }).tasks).toBe(tasks);
  });

  it("explains its numbers", () => {
    expect(latencyAwareTasks({ ...base, arrivalRate: 20, backlog: 300 }).explanation).toBe("arrivals 20/s at 0.50/s per task → 40; backlog 300 drained in 60 s → 10; the larger → 40");
    expect(latencyAwareTasks({ ...base, backlog: 300, startupSeconds: undefined }).explanation).toContain("drained in 60 s (startup assumed 60 s)");
  });

  it("the drain horizon is what the target wait leaves after startup, at least a quarter of it", () => {
    expect(drainHorizon(120, 60)).toBe(60);
    expect(drainHorizon(120, 0)).toBe(120);
    expect(drainHorizon(120, 200)).toBe(30);
    expect(assumedStartupSeconds).toBe(60);
  });

  it("always keeps up with arrivals: at least the offered load λ/μ", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { tasks } = latencyAwareTasks(input);
        return Number.isInteger(tasks) && tasks >= 0 && tasks >= input.arrivalRate / input.processingRatePerTask - 1e-6;
      }),
    );
  });

  it("never asks for fewer tasks with more backlog, more arrivals or a slower start", () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 100, noNaN: true }), (input, more, slower) => {
        const t = latencyAwareTasks(input).tasks;
        return (
          latencyAwareTasks({ ...input, backlog: input.backlog + more }).tasks >= t &&
          latencyAwareTasks({ ...input, arrivalRate: input.arrivalRate + more }).tasks >= t &&
          latencyAwareTasks({ ...input, startupSeconds: input.startupSeconds + slower }).tasks >= t
        );
      }),
    );
  });

  it("starts every message within the horizon in the fluid model: n·μ·(t + H) ≥ B + λ·t for all t ≥ 0", () => {
    fc.assert(
      fc.property(inputs, fc.double({ min: 0, max: 1e6, noNaN: true }), (input, t) => {
        const { tasks } = latencyAwareTasks(input);
        const horizon = drainHorizon(input.targetWaitSeconds, input.startupSeconds);
        const capacity = tasks * input.processingRatePerTask * (t + horizon);
        const work = input.backlog + input.arrivalRate * t;
        return capacity >= work - 1e-6 * Math.max(1, work);
      }),
    );
  });
});

describe("with measured rates, a standing queue carries the fraction of a task", () => {
  const measured = { ...base, ratesMeasured: true };

  it.each([
    ["20.1/s → 40.2: 40 tasks, the queue takes the 0.2", { arrivalRate: 20.1 }, 40],
    ["a whole load stays whole: 20/s → 40", { arrivalRate: 20 }, 40],
    ["below one task's load (0.1/s → 0.2) it still rounds up: one task", { arrivalRate: 0.1 }, 1],
    ["1.1 tasks' load rounds down to 1", { arrivalRate: 0.55 }, 1],
    ["20.1/s with 40 tasks' H seconds of work waiting (1,200): still 40", { arrivalRate: 20.1, backlog: 1200 }, 40],
    ["20.1/s and one message more than that: task 41", { arrivalRate: 20.1, backlog: 1201 }, 41],
  ] as const)("%s", (_, input, tasks) => {
    expect(latencyAwareTasks({ ...measured, ...input }).tasks).toBe(tasks);
  });

  it("says when the rounding down decided the count", () => {
    expect(latencyAwareTasks({ ...measured, arrivalRate: 20.1 }).explanation).toBe(
      "arrivals 20.10/s at 0.50/s per task → 40.20; backlog 0 drained in 60 s → 0; the larger, the load rounded down (the queue carries the fraction) → 40",
    );
    expect(latencyAwareTasks({ ...measured, arrivalRate: 20 }).explanation).toContain("the larger → 40");
  });

  it("is never more than one task short of the load, never more than rounding up asks, and rounds up below one task", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const down = latencyAwareTasks({ ...input, ratesMeasured: true }).tasks;
        const up = latencyAwareTasks(input).tasks;
        const load = input.arrivalRate / input.processingRatePerTask;
        return down <= up && down >= Math.floor(load + 1e-9) && (load > 1 || down === up);
      }),
    );
  });

  it("starts every message already waiting within the horizon: n·μ·H ≥ B", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { tasks } = latencyAwareTasks({ ...input, ratesMeasured: true });
        const horizon = drainHorizon(input.targetWaitSeconds, input.startupSeconds);
        return tasks * input.processingRatePerTask * horizon >= input.backlog * (1 - 1e-9) - 1e-6;
      }),
    );
  });
});

describe("live arrival bound", () => {
  const live = { visible: 0, inFlight: 16, runningTasks: 40, messagesPerTask: 1 };

  it.each([
    ["nothing waiting, tasks idle: 16 busy × 0.5/s + 2.33·√16·0.5 = 12.66/s", live, 12.66],
    ["a task of 4 workers: 16 in flight are 4 busy tasks → (4 + 2.33·2) × 0.5 = 4.33/s", { ...live, messagesPerTask: 4 }, 4.33],
    ["nothing in flight either: no arrivals now", { ...live, inFlight: 0 }, 0],
    ["messages waiting: the tasks show capacity, not demand — no bound", { ...live, visible: 3 }, undefined],
    ["every task busy: no bound", { ...live, inFlight: 40 }, undefined],
  ] as const)("%s", (_, l, expected) => {
    const bound = liveArrivalBound(l, 0.5);
    if (expected === undefined) expect(bound).toBeUndefined();
    else expect(bound).toBeCloseTo(expected, 2);
  });

  it("after a burst, sizes for what arrives now, not for the minute-old rate", () => {
    // 200/s measured a minute ago; now nothing waits and 20 of 821 tasks are busy.
    const after = latencyAwareTasks({ ...base, arrivalRate: 200, backlog: 20, live: { visible: 0, inFlight: 20, runningTasks: 821, messagesPerTask: 1 } });
    // λ ≤ (20 + 2.33·√20) × 0.5 = 15.21/s → 30.42 → 31
    expect(after.tasks).toBe(31);
    expect(after.explanation).toContain("arrivals 200/s, at most 15.21/s now (nothing waiting, tasks idle)");
  });

  it("never raises the count", () => {
    const lives = fc.record({
      visible: fc.integer({ min: 0, max: 1000 }),
      inFlight: fc.integer({ min: 0, max: 10_000 }),
      runningTasks: fc.integer({ min: 0, max: 10_000 }),
      messagesPerTask: fc.integer({ min: 1, max: 10 }),
    });
    const inputs = fc.record({
      backlog: fc.integer({ min: 0, max: 100_000 }),
      arrivalRate: fc.double({ min: 0, max: 10_000, noNaN: true }),
      processingRatePerTask: fc.double({ min: 0.001, max: 100, noNaN: true }),
      targetWaitSeconds: fc.double({ min: 1, max: 3600, noNaN: true }),
    });
    fc.assert(fc.property(inputs, lives, (input, l) => latencyAwareTasks({ ...input, live: l }).tasks <= latencyAwareTasks(input).tasks));
  });
});
