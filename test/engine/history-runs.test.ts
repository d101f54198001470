/**
 * Run-encoded recommendations: an equal recommendation adds nothing, pruning keeps what a window can
 * still read, and the windows read the entries inside them plus the one in force when they open.
 * The properties compare the encoded history with oracles that keep every decision's sample.
 * Time offsets are seconds before now in the tables.
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
    const same: Recommendation[] = [
      { at: at(400), tasks: 8 },
      { at: at(400), tasks: 2 },
    ];
    expect(inForceIndex(same, nowMs - 300_000)).toBe(1);
    expect(pruneRuns(same, 300, nowMs)).toEqual([{ at: at(400), tasks: 2 }]);
  });
});

describe("windowed: what a window reads (without a cadence, the run in force when it opens counts whole)", () => {
  it.each([
    { name: "a window of 0 reads nothing", given: runs([5, 10]), window: 0, expected: [] },
    { name: "at a 10 s cadence, a run whose last decision (10 s before the next) is inside the window is read", given: runs([7, 600], [3, 285]), window: 300, cadence: 10, expected: [7, 3] },
    { name: "at a 10 s cadence, a run whose last decision is at the window's start is not", given: runs([7, 600], [3, 290]), window: 300, cadence: 10, expected: [3] },
    { name: "at a 10 s cadence, the latest run begun before the window is read (its decisions go on)", given: runs([7, 600]), window: 300, cadence: 10, expected: [7] },
    { name: "a window no longer than the cadence reads only the decisions inside it", given: runs([7, 600]), window: 10, cadence: 10, expected: [] },
    { name: "a run begun before the window and still in force is read", given: runs([7, 600]), window: 300, expected: [7] },
    { name: "a run that ended before the window opens is not", given: runs([7, 600], [3, 400], [2, 100]), window: 300, expected: [3, 2] },
    { name: "no entry at or before the window's start: only those inside", given: runs([3, 200], [2, 100]), window: 300, expected: [3, 2] },
  ])("$name", ({ given, window, cadence, expected }) => {
    expect(windowed(given, window, nowMs, cadence)).toEqual(expected);
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
function encodedResults(up: number, down: number, passes: readonly Pass[], cadence = 0): number[] {
  const behavior = behaviorOf(up, down);
  let history: Recommendation[] = [];
  return passes.map(({ t, current, desired }) => {
    const now = new Date(nowMs + t * 1000).toISOString();
    const seen = withFirstSight(history, current, desired, now).recommendations;
    const result = stabilize(behavior, current, desired, seen, Date.parse(now), cadence).tasks;
    history = pruneRuns(appendRun(seen, now, desired), Math.max(up, down), Date.parse(now));
    return result;
  });
}

/**
 * An oracle of its own: every decision's sample kept (no runs, no pruning), each window read as the
 * samples strictly inside it (the HPA's rule), plus, with `inForce`, the latest sample at or before
 * its start (the value recommended when it opens). With `fillCadence`, a decision that comes more
 * than one cadence after the previous one first adds the pass missed just before it, with the
 * previous value (passes that stopped).
 */
function oracleResults(up: number, down: number, passes: readonly Pass[], rule: { inForce: boolean; fillCadence?: number }): number[] {
  const samples: { ms: number; tasks: number }[] = [];
  const read = (window: number, ms: number): number[] => {
    if (window <= 0) return [];
    const cutoff = ms - window * 1000;
    const inside = samples.filter((s) => s.ms > cutoff).map((s) => s.tasks);
    const before = samples.filter((s) => s.ms <= cutoff);
    return rule.inForce && before.length > 0 ? [...inside, before.at(-1)!.tasks] : inside;
  };
  return passes.map(({ t, current, desired }) => {
    const ms = nowMs + t * 1000;
    const last = samples.at(-1);
    const fill = (rule.fillCadence ?? 0) * 1000;
    if (last && fill > 0 && ms - fill > last.ms) samples.push({ ms: ms - fill, tasks: last.tasks });
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
/** The passes of `counts` at the running sums of `steps` (seconds; the first pass at 0). */
function passesAt(counts: { current: number; desired: number }[], steps: readonly number[]): Pass[] {
  let t = 0;
  return counts.map((p, i) => {
    if (i > 0) t += steps[i]!;
    return { ...p, t };
  });
}
/** Passes at irregular times: gaps of up to 20 minutes (passes that stopped) among short steps. */
const irregular = fc
  .record({
    up: windowSeconds,
    down: windowSeconds,
    cadence: fc.constantFrom(5, 10, 15, 30, 60),
    steps: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 4, max: 120 })), { minLength: 120, maxLength: 120 }),
    counts,
  })
  .map(({ up, down, cadence, steps, counts: c }) => {
    // Steps are whole cadences (1 to 3: one pass, or a few missed) or longer gaps in seconds, never shorter than a cadence.
    const seconds = steps.map((k) => (k <= 3 ? (k + 1) * cadence : Math.max(cadence, k * 10)));
    return { up, down, cadence, passes: passesAt(c, seconds) };
  });
/** Any pass times at all, decisions closer than any cadence included. */
const anyTimes = fc
  .record({ up: windowSeconds, down: windowSeconds, steps: fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 120, maxLength: 120 }), counts })
  .map(({ up, down, steps, counts: c }) => {
    return { up, down, passes: passesAt(c, steps) };
  });

describe("stabilization on runs against an oracle keeping every decision", () => {
  it("at a steady cadence, identical to the HPA's windows over every decision", () => {
    fc.assert(
      fc.property(steady, ({ up, down, cadence, passes }) => {
        expect(encodedResults(up, down, passes, cadence)).toEqual(oracleResults(up, down, passes, { inForce: false }));
      }),
      { numRuns: 500 },
    );
  });

  it("when passes stop, identical to the HPA's windows with each missing pass taken as the last one's value", () => {
    fc.assert(
      fc.property(irregular, ({ up, down, cadence, passes }) => {
        expect(encodedResults(up, down, passes, cadence)).toEqual(oracleResults(up, down, passes, { inForce: false, fillCadence: cadence }));
      }),
      { numRuns: 500 },
    );
  });

  it("without a cadence, identical at any pass times to windows that read the value in force when they open", () => {
    fc.assert(
      fc.property(fc.oneof(steady, anyTimes), ({ up, down, passes }) => {
        expect(encodedResults(up, down, passes)).toEqual(oracleResults(up, down, passes, { inForce: true }));
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
