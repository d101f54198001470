/**
 * Run-encoded recommendations: an equal recommendation adds nothing, pruning keeps what a window can
 * still read, and the windows read the entries inside them plus the one in force when they open.
 * The properties compare the encoded history with oracles that keep every decision's sample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policySchema } from "../../shared/config/policy.ts";
import { appendRun, inForceIndex, pruneRuns } from "../../shared/engine/history.ts";
import { stabilize, windowed, withFirstSight } from "../../shared/engine/stabilization.ts";
import type { Recommendation } from "../../shared/engine/types.ts";
import { ago, NOW, queueUrl } from "./build.ts";

const nowMs = Date.parse(NOW);
const at = (secondsAgo: number) => ago(secondsAgo);
const runs = (...pairs: [number, number][]): Recommendation[] => pairs.map(([tasks, secondsAgo]) => ({ tasks, at: at(secondsAgo) }));

describe("appendRun: a recommendation equal to the latest adds nothing", () => {
  it.each([
    { name: "to an empty history: added", given: runs(), tasks: 3, expected: runs([3, 0]) },
    { name: "equal to the latest: nothing added (the latest holds)", given: runs([3, 60]), tasks: 3, expected: runs([3, 60]) },
    { name: "different from the latest: a new run", given: runs([3, 60]), tasks: 4, expected: runs([3, 60], [4, 0]) },
    { name: "equal to an older one but not the latest: a new run", given: runs([3, 60], [4, 30]), tasks: 3, expected: runs([3, 60], [4, 30], [3, 0]) },
  ])("$name", ({ given, tasks, expected }) => {
    expect(appendRun(given, at(0), tasks)).toEqual(expected);
  });
});

describe("pruneRuns: keeps the entries after now − horizon and the one in force at it", () => {
  it.each([
    { name: "every entry inside the horizon is kept", given: runs([5, 200], [4, 100]), horizon: 300, expected: runs([5, 200], [4, 100]) },
    { name: "the run in force when the horizon opens is kept, older ones go", given: runs([9, 900], [5, 400], [4, 100]), horizon: 300, expected: runs([5, 400], [4, 100]) },
    { name: "a single old run stays in force", given: runs([5, 4000]), horizon: 300, expected: runs([5, 4000]) },
    { name: "an entry exactly at now − horizon is the one in force", given: runs([9, 900], [5, 300], [4, 100]), horizon: 300, expected: runs([5, 300], [4, 100]) },
    { name: "a horizon of 0 (no window reads history) keeps nothing", given: runs([5, 10]), horizon: 0, expected: runs() },
  ])("$name", ({ given, horizon, expected }) => {
    expect(pruneRuns(given, horizon, nowMs)).toEqual(expected);
  });

  it("of entries made at the same instant (a first-sight seed and the decision's own), the last is in force", () => {
    const same: Recommendation[] = [{ at: at(400), tasks: 8 }, { at: at(400), tasks: 2 }];
    expect(inForceIndex(same, nowMs - 300_000)).toBe(1);
    expect(pruneRuns(same, 300, nowMs)).toEqual([{ at: at(400), tasks: 2 }]);
  });
});

describe("windowed: what a window reads", () => {
  it.each([
    { name: "a window of 0 reads nothing", given: runs([5, 10]), window: 0, expected: [] },
    { name: "a run begun before the window and still in force is read", given: runs([7, 600]), window: 300, expected: [7] },
    { name: "a run that ended before the window opens is not", given: runs([7, 600], [3, 400], [2, 100]), window: 300, expected: [3, 2] },
    { name: "no entry at or before the window's start: only those inside", given: runs([3, 200], [2, 100]), window: 300, expected: [3, 2] },
  ])("$name", ({ given, window, expected }) => {
    expect(windowed(given, window, nowMs)).toEqual(expected);
  });
});

const behaviorOf = (up: number, down: number) =>
  policySchema.parse({
    maxTasks: 1000,
    triggers: [{ type: "sqs", queueUrl }],
    behavior: { scaleUp: { stabilizationWindowSeconds: up }, scaleDown: { stabilizationWindowSeconds: down } },
  }).behavior;

/** A pass: its time offset (s) from the start, the current count and the unstabilised recommendation. */
interface Pass {
  t: number;
  current: number;
  desired: number;
}

/** The stabilized counts of the engine's path: first sight, stabilize on the runs, append a run, prune. */
function encodedResults(up: number, down: number, passes: readonly Pass[]): number[] {
  const behavior = behaviorOf(up, down);
  let history: Recommendation[] = [];
  return passes.map(({ t, current, desired }) => {
    const now = new Date(nowMs + t * 1000).toISOString();
    const seen = withFirstSight(history, current, desired, now).recommendations;
    const result = stabilize(behavior, current, desired, seen, Date.parse(now)).tasks;
    history = pruneRuns(appendRun(seen, now, desired), Math.max(up, down), Date.parse(now));
    return result;
  });
}

/**
 * An oracle of its own: every decision's sample kept (no runs, no pruning), each window read as the
 * samples strictly inside it (the HPA's rule), plus, with `inForce`, the latest sample at or before
 * its start (the value recommended when it opens); `extraSeconds` widens each window of W > 0.
 */
function oracleResults(up: number, down: number, passes: readonly Pass[], rule: { inForce: boolean; extraSeconds: number }): number[] {
  const samples: { ms: number; tasks: number }[] = [];
  const read = (window: number, ms: number): number[] => {
    if (window <= 0) return [];
    const cutoff = ms - (window + rule.extraSeconds) * 1000;
    const inside = samples.filter((s) => s.ms > cutoff).map((s) => s.tasks);
    const before = samples.filter((s) => s.ms <= cutoff);
    return rule.inForce && before.length > 0 ? [...inside, before.at(-1)!.tasks] : inside;
  };
  return passes.map(({ t, current, desired }) => {
    const ms = nowMs + t * 1000;
    if (samples.length === 0 && desired < current) samples.push({ ms, tasks: current });
    const upRecommendation = Math.min(desired, ...read(up, ms));
    const downRecommendation = Math.max(desired, ...read(down, ms));
    samples.push({ ms, tasks: desired });
    return Math.min(Math.max(current, upRecommendation), downRecommendation);
  });
}

const windowSeconds = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 }), fc.constantFrom(15, 60, 180, 300));
/** Small counts, so runs are long and values repeat. */
const counts = fc.array(fc.record({ current: fc.integer({ min: 0, max: 6 }), desired: fc.integer({ min: 0, max: 6 }) }), { minLength: 1, maxLength: 120 });
const steady = fc.record({ up: windowSeconds, down: windowSeconds, cadence: fc.constantFrom(1, 5, 10, 15, 30, 60), counts }).map(({ up, down, cadence, counts: c }) => ({
  up,
  down,
  cadence,
  passes: c.map((p, i) => ({ ...p, t: i * cadence })),
}));
/** Passes at irregular times: gaps of up to 20 minutes (passes that stopped) among short steps. */
const irregular = fc.record({
  up: windowSeconds,
  down: windowSeconds,
  steps: fc.array(fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 31, max: 1200 })), { minLength: 120, maxLength: 120 }),
  counts,
}).map(({ up, down, steps, counts: c }) => {
  let t = 0;
  return { up, down, passes: c.map((p, i) => ({ ...p, t: (t += i === 0 ? 0 : steps[i]!) })) };
});

describe("stabilization on runs against an oracle keeping every decision", () => {
  it("identical to the per-decision windows that read the value in force when they open, at any pass times", () => {
    fc.assert(
      fc.property(fc.oneof(steady, irregular), ({ up, down, passes }) => {
        expect(encodedResults(up, down, passes)).toEqual(oracleResults(up, down, passes, { inForce: true, extraSeconds: 0 }));
      }),
      { numRuns: 500 },
    );
  });

  it("at a steady cadence Δ, between the HPA's window of W and of W + Δ (at most one decision more is read)", () => {
    fc.assert(
      fc.property(steady, ({ up, down, cadence, passes }) => {
        const encoded = encodedResults(up, down, passes);
        const hpa = oracleResults(up, down, passes, { inForce: false, extraSeconds: 0 });
        const wider = oracleResults(up, down, passes, { inForce: false, extraSeconds: cadence });
        passes.forEach((p, i) => {
          // A window that reads more moves the count less: the result lies between the two, towards the current count.
          const [lo, hi] = [Math.min(hpa[i]!, wider[i]!), Math.max(hpa[i]!, wider[i]!)];
          expect(encoded[i]).toBeGreaterThanOrEqual(lo);
          expect(encoded[i]).toBeLessThanOrEqual(hi);
          expect(Math.abs(wider[i]! - p.current)).toBeLessThanOrEqual(Math.abs(encoded[i]! - p.current));
        });
      }),
      { numRuns: 500 },
    );
  });

  it("a history whose recommendation does not move is not changed by another decision", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 120 }), (tasks, passes) => {
        let history: Recommendation[] = [];
        const seen: string[] = [];
        for (let i = 0; i < passes; i++) {
          const now = new Date(nowMs + i * 10_000).toISOString();
          history = pruneRuns(appendRun(history, now, tasks), 300, Date.parse(now));
          seen.push(JSON.stringify(history));
        }
        expect(new Set(seen).size).toBe(1);
      }),
    );
  });
});
