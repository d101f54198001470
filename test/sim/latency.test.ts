/** The latency-aware queue model (shared/engine/latency.ts): worked cases and properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drainHorizon, latencyAwareTasks } from "../../shared/engine/latency.ts";

const base = { backlog: 0, arrivalRate: 0, processingRatePerTask: 0.5, targetWaitSeconds: 120, startupSeconds: 60 };

describe("latency-aware tasks", () => {
  it.each([
    // name, input, tasks — each worked by hand from the module comment
    ["idle queue: nothing to do", {}, 0],
    ["20/s at 0.5/s per task: load 40 + noise 2.33·√(20/60)/0.5 = 2.69 → 43", { arrivalRate: 20 }, 43],
    ["a backlog alone: 300 / (0.5 × 60) = 10", { backlog: 300 }, 10],
    ["load and backlog: 40 + 2.69 + 10 = 52.69 → 53", { arrivalRate: 20, backlog: 300 }, 53],
    ["a slow start leaves a quarter of the wait: 120 / 4 = 30 s, 300 / (0.5 × 30) = 20", { backlog: 300, startupSeconds: 100 }, 20],
    ["unknown startup: the whole wait, 300 / (0.5 × 120) = 5", { backlog: 300, startupSeconds: 0 }, 5],
    ["big services run hot: 500/s → 1000 + 2.33·√(500/60)/0.5 = 13.45 → 1014 (98.6% busy)", { arrivalRate: 500 }, 1014],
    ["small ones keep a margin: 1/s → 2 + 2.33·√(1/60)/0.5 = 0.6 → 3", { arrivalRate: 1 }, 3],
  ] as const)("%s", (_, input, tasks) => {
    expect(latencyAwareTasks({ ...base, ...input }).tasks).toBe(tasks);
  });

  it("explains its numbers", () => {
    expect(latencyAwareTasks({ ...base, arrivalRate: 20, backlog: 300 }).explanation).toBe("arrivals 20/s at 0.50/s per task → 40 + noise margin 2.69 + backlog 300 drained in 60 s → 10 = 53");
  });

  it("the drain horizon is what the target wait leaves after startup, at least a quarter of it", () => {
    expect(drainHorizon(120, 60)).toBe(60);
    expect(drainHorizon(120, 0)).toBe(120);
    expect(drainHorizon(120, 200)).toBe(30);
  });

  const inputs = fc.record({
    backlog: fc.integer({ min: 0, max: 1_000_000 }),
    arrivalRate: fc.double({ min: 0, max: 10_000, noNaN: true }),
    processingRatePerTask: fc.double({ min: 0.001, max: 100, noNaN: true }),
    targetWaitSeconds: fc.double({ min: 1, max: 3600, noNaN: true }),
    startupSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
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

  it("drains any backlog within the horizon: the tasks beyond the load work it off in time", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { tasks } = latencyAwareTasks(input);
        const spare = tasks - input.arrivalRate / input.processingRatePerTask;
        const horizon = drainHorizon(input.targetWaitSeconds, input.startupSeconds);
        return spare * input.processingRatePerTask * horizon >= input.backlog - 1e-6 * Math.max(1, input.backlog);
      }),
    );
  });
});
