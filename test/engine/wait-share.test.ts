/**
 * A wait target for a share of messages (`targetWaitShare`): the M/M/n tail (shared/engine/erlang.ts)
 * against an independent Erlang C, the latency model's counts with the share, and the engine's steps
 * after it (busy floor, bounds) still in force.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "../../shared/engine/decide.ts";
import { erlangC, tailTasks, waitTailProbability } from "../../shared/engine/erlang.ts";
import { lateAllowance, latencyAwareTasks, steadyTail } from "../../shared/engine/latency.ts";
import { queueUrl, request } from "./build.ts";

/**
 * Erlang C straight from its textbook form, in logarithms so that large loads do not overflow:
 * C = (aⁿ/n! · n/(n−a)) / (Σ_{k<n} aᵏ/k! + aⁿ/n! · n/(n−a)).
 */
function oracleErlangC(n: number, a: number): number {
  const logTerm = (k: number) => k * Math.log(a) - logFactorial(k);
  const logLast = logTerm(n) + Math.log(n / (n - a));
  const logs = [...Array.from({ length: n }, (_, k) => logTerm(k)), logLast];
  const top = Math.max(...logs);
  const sum = logs.reduce((s, l) => s + Math.exp(l - top), 0);
  return Math.exp(logLast - top) / sum;
}

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

function oracleTail(n: number, lambda: number, mu: number, t: number): number {
  return n <= lambda / mu ? 1 : oracleErlangC(n, lambda / mu) * Math.exp(-(n * mu - lambda) * t);
}

describe("the M/M/n wait tail (Erlang C)", () => {
  it.each([
    // n, a, C — worked by hand: M/M/1 waits with probability ρ; M/M/2 at a = 1: (1/2 · 2) / (1 + 1 + 1) = 1/3
    [1, 0.5, 0.5],
    [2, 1, 1 / 3],
    [3, 2, 4 / 9],
  ])("C(%i, %d) = %d", (n, a, c) => {
    expect(erlangC(n, a)).toBeCloseTo(c, 12);
  });

  it("agrees with the textbook formula for loads up to a few hundred tasks", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 400, noNaN: true }), fc.integer({ min: 1, max: 40 }), (a, above) => {
        const n = Math.floor(a) + above;
        return Math.abs(erlangC(n, a) - oracleErlangC(n, a)) <= 1e-9;
      }),
    );
  });

  it("the count for a share is the fewest tasks whose tail P(wait > t) is at most 1 − share: n meets it, n − 1 does not", () => {
    const cases = fc.record({
      lambda: fc.double({ min: 0.01, max: 200, noNaN: true }),
      mu: fc.double({ min: 0.01, max: 2, noNaN: true }),
      t: fc.double({ min: 1, max: 600, noNaN: true }),
      share: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
    });
    fc.assert(
      fc.property(cases, ({ lambda, mu, t, share }) => {
        fc.pre(lambda / mu <= 400);
        const { tasks, tail } = tailTasks(lambda, mu, t, share);
        const allowed = 1 - share;
        const atN = oracleTail(tasks, lambda, mu, t);
        const below = oracleTail(tasks - 1, lambda, mu, t);
        return tasks > lambda / mu && Math.abs(tail - atN) <= 1e-9 && atN <= allowed * (1 + 1e-9) && below > allowed * (1 - 1e-9);
      }),
    );
  });

  it("is 1 at or above full load, 0 with no arrivals", () => {
    expect(waitTailProbability(10, 5, 0.5, 120)).toBe(1);
    expect(waitTailProbability(10, 0, 0.5, 120)).toBe(0);
  });
});

const base = { backlog: 0, processingRatePerTask: 0.5, targetWaitSeconds: 120, startupSeconds: 60 };

describe("the latency model for a share of messages", () => {
  it.each([
    // name, input, share, tasks — each worked by hand from the module comment (μ = 0.5/s, W = 120 s, H = 60 s)
    ["share 1 is today's fluid sizing: 20.1/s → 40.2, rounded down with measured rates → 40", { arrivalRate: 20.1, ratesMeasured: true }, 1, 40],
    ["share 0.99, smooth 20.1/s: P(wait > 120 s) at 41 tasks is 1.2e-21 → at least 40: today's 40", { arrivalRate: 20.1, ratesMeasured: true }, 0.99, 40],
    ["share 0.99 just below a whole load, 19.99/s → 39.98: the tail at 40 is 30% → 41, so at least 40 (today 39)", { arrivalRate: 19.99, ratesMeasured: true }, 0.99, 40],
    [
      "a wait of two service times (μ = 1/60 s, a = 10.5): the tail is 31% at 11, 2.8% at 12, 0.25% at 13 → at least 12 (the fluid 10)",
      { arrivalRate: 10.5 / 60, processingRatePerTask: 1 / 60, ratesMeasured: true },
      0.99,
      12,
    ],
    ["share 1, backlog 3000 at 20/s: 3000 / 30 = 100", { arrivalRate: 20, backlog: 3000 }, 1, 100],
    ["share 0.99, backlog 3000 at 20/s: 1% of 3000 + 20 × 120 = 54 may start late, 2946 / 30 = 98.2 → 99", { arrivalRate: 20, backlog: 3000 }, 0.99, 99],
    ["share 0.9, backlog 3000 at 20/s: 540 late, 2460 / 30 = 82", { arrivalRate: 20, backlog: 3000 }, 0.9, 82],
  ] as const)("%s", (_, input, share, tasks) => {
    expect(latencyAwareTasks({ ...base, ...input, share }).tasks).toBe(tasks);
  });

  it("explains the share, the tail probability and the count", () => {
    expect(latencyAwareTasks({ ...base, arrivalRate: 19.99, ratesMeasured: true, share: 0.99 }).explanation).toBe(
      "arrivals 19.99/s at 0.50/s per task → 39.98; 99% within 120 s: P(wait > 120 s) = 2.2e-27 at 41 tasks (Erlang C) → at least 40; backlog 0 drained in 60 s → 0; the larger → 40",
    );
    expect(latencyAwareTasks({ ...base, arrivalRate: 20, backlog: 3000, share: 0.99 }).explanation).toContain("backlog 3000 less 54 allowed late (1% of 5400) drained in 60 s → 98.20");
  });

  const inputs = fc.record({
    backlog: fc.integer({ min: 0, max: 100_000 }),
    arrivalRate: fc.double({ min: 0, max: 500, noNaN: true }),
    processingRatePerTask: fc.double({ min: 0.01, max: 10, noNaN: true }),
    targetWaitSeconds: fc.double({ min: 1, max: 3600, noNaN: true }),
    startupSeconds: fc.double({ min: 0, max: 600, noNaN: true }),
    ratesMeasured: fc.boolean(),
  });

  it("share 1 is the model without a share, number for number", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const a = latencyAwareTasks(input);
        const b = latencyAwareTasks({ ...input, share: 1 });
        return a.tasks === b.tasks && a.explanation === b.explanation;
      }),
    );
  });

  it("never asks for fewer tasks as the share rises", () => {
    fc.assert(
      fc.property(inputs, fc.double({ min: 0.5, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 1, noNaN: true }), (input, s1, s2) => {
        fc.pre(input.arrivalRate / input.processingRatePerTask <= 2000);
        const [low, high] = s1 <= s2 ? [s1, s2] : [s2, s1];
        return latencyAwareTasks({ ...input, share: low }).tasks <= latencyAwareTasks({ ...input, share: high }).tasks || high === 1;
      }),
    );
  });

  it("lets at most 1 − share of the messages a decision settles start late", () => {
    fc.assert(
      fc.property(inputs, fc.double({ min: 0.5, max: 1, noNaN: true }), (input, share) => {
        const late = lateAllowance(share, input.backlog, input.arrivalRate, input.targetWaitSeconds);
        const settled = input.backlog + input.arrivalRate * input.targetWaitSeconds;
        return late >= 0 && late <= input.backlog && late <= (1 - share) * settled + 1e-9;
      }),
    );
  });

  it("has no steady tail at share 1 or without arrivals", () => {
    expect(steadyTail(20, 0.5, 120, 1)).toBeUndefined();
    expect(steadyTail(0, 0.5, 120, 0.99)).toBeUndefined();
  });
});

describe("through the engine: the share sizes the proposal, the busy floor and the bounds still win", () => {
  const trigger = { type: "sqs" as const, queueUrl, targetWaitSeconds: 120, secondsPerMessage: 2 };
  const measured = (visible: number, inFlight: number) => [{ visible, inFlight, arrivalRate: 19.99, processingRatePerTask: 0.5 }];

  it.each([
    ["the default share is 0.99: 19.99/s → at least 40 by the tail", {}, 40, 40],
    ["share 1: today's sizing, 39 with the queue carrying the fraction", { targetWaitShare: 1 }, 39, 39],
    ["the share 0.5: the tail allows the fluid 39", { targetWaitShare: 0.5 }, 39, 39],
  ] as const)("%s", (_, extra, proposal, desired) => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [{ ...trigger, ...extra }] },
        service: { desiredCount: 39, runningCount: 39, startupSeconds: 60 },
        observations: measured(0, 39),
      }),
    );
    expect(d.proposals[0]!.tasks).toBe(proposal);
    expect(d.desiredCount).toBe(desired);
  });

  it("never below the busy floor: 45 in flight keep 45 tasks although the share asks 40", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [trigger] },
        service: { desiredCount: 45, runningCount: 45, startupSeconds: 60 },
        observations: measured(0, 45),
        // The latest recommendation (a run still in force) is what the share asks: stabilization holds nothing above it.
        history: { recommendations: [{ at: "2026-03-02T11:50:00Z", tasks: 40 }], scaleEvents: [], failures: 0 },
      }),
    );
    expect(d.proposals[0]!.tasks).toBeLessThan(45);
    expect(d.desiredCount).toBe(45);
    expect(d.reason).toBe("BusyTasksFloor");
  });

  it("the bounds still win: maxTasks 30 caps the 40 the share asks", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, maxTasks: 30, triggers: [trigger] },
        service: { desiredCount: 30, runningCount: 30, startupSeconds: 60 },
        observations: measured(500, 30),
      }),
    );
    expect(d.desiredCount).toBe(30);
    expect(d.reason).toBe("TooManyTasks");
    expect(d.explanation).toContain("for 99% of messages");
  });
});
