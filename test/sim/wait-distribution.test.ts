import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdfOn } from "../../shared/sim/report/data.ts";
import { scoreRun, waitDistribution, waitQuantileLevels } from "../../shared/sim/score.ts";
import { simulate } from "../../shared/sim/simulate.ts";
import type { WorldRecord } from "../../shared/sim/world.ts";
import { worldRecord } from "./world-record.ts";

/** A record with only what scoring reads filled in. */
function recordOf(waits: number[], pendingAges: number[] = []): WorldRecord {
  return worldRecord({
    arrived: waits.length + pendingAges.length,
    processed: waits.length,
    waits: Float64Array.from(waits),
    pendingAges: Float64Array.from(pendingAges),
  });
}

describe("waitQuantileLevels", () => {
  it("rise from 0 to 1, every 1 % to 90 % and ever finer towards 100 %", () => {
    expect(waitQuantileLevels[0]).toBe(0);
    expect(waitQuantileLevels.at(-1)).toBe(1);
    for (let i = 1; i < waitQuantileLevels.length; i++) expect(waitQuantileLevels[i]!).toBeGreaterThan(waitQuantileLevels[i - 1]!);
    expect(waitQuantileLevels).toContain(0.5);
    expect(waitQuantileLevels).toContain(0.99);
    expect(waitQuantileLevels).toContain(0.999);
    expect(waitQuantileLevels).toContain(0.9999);
    expect(waitQuantileLevels.length).toBeLessThan(400);
  });
});

describe("waitDistribution", () => {
  it("gives nearest-rank waits and drops levels that repeat a wait", () => {
    const waits = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100 s
    const d = waitDistribution(recordOf(waits), 1000);
    expect(d.seconds).toEqual(waits);
    expect(d.share).toEqual(waits.map((w) => w / 100));
  });

  it("counts queued messages already past the target, as the within-target score does", () => {
    const d = waitDistribution(recordOf([1, 1, 1], [5, 500]), 60); // the 5 s one is undecided
    expect(d).toEqual({ share: [0.75, 1], seconds: [1, 500] });
  });

  it("is empty when no wait is decided", () => {
    expect(waitDistribution(recordOf([]), 60)).toEqual({ share: [], seconds: [] });
  });

  it("read at the target wait, agrees with withinTarget on a real run", async () => {
    const output = await simulate({ scenario: "spike", start: "35m", duration: "15m", seed: 4, policies: ["ecs-autoscaler", "step-scaling"] });
    for (const [i, r] of output.results.entries()) {
      const d = output.series.policies[i]!.waitDistribution!;
      const [atTarget] = cdfOn([output.targetWaitSeconds], d);
      // A lower bound within one quantile step of the exact share.
      expect(atTarget!).toBeLessThanOrEqual(r.withinTarget + 1e-9);
      expect(atTarget!).toBeGreaterThan(r.withinTarget - 0.01);
    }
  });

  it("matches the percentiles the result reports", () => {
    const waits = Array.from({ length: 1000 }, (_, i) => (i * 37) % 211);
    const record = recordOf(waits);
    const r = scoreRun("static", record, 100, 1);
    const d = waitDistribution(record, 100);
    const at = (q: number) => d.seconds[d.share.findIndex((s) => s >= q)];
    expect(at(0.5)).toBe(r.waitP50Seconds);
    expect(at(0.99)).toBe(r.waitP99Seconds);
    expect(d.seconds.at(-1)).toBe(r.waitMaxSeconds);
  });
});

describe("waitDistribution against a full sort", () => {
  /** The definition: every decided wait sorted, read at each level's nearest rank, rounded to 0.01 s. */
  function bySorting(waits: number[], pendingAges: number[], target: number): { share: number[]; seconds: number[] } {
    const sorted = Float64Array.from([...waits, ...pendingAges.filter((a) => a > target)]).sort();
    const out = { share: [] as number[], seconds: [] as number[] };
    if (sorted.length === 0) return out;
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length - 1e-9) - 1))]! * 100) / 100;
    for (const [i, q] of waitQuantileLevels.entries()) {
      const next = waitQuantileLevels[i + 1];
      if (next !== undefined && at(next) === at(q)) continue;
      out.share.push(q);
      out.seconds.push(at(q));
    }
    return out;
  }

  const wait = fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 5, noNaN: true }),
    fc.double({ min: 0, max: 2000, noNaN: true }), // past the counted range: sorted in the tail
    fc.integer({ min: 0, max: 700 }).map((s) => s + 0.005), // halfway between two centiseconds
  );

  it.each([
    ["short and long waits, queued ages", fc.array(wait, { maxLength: 400 }), fc.array(wait, { maxLength: 20 })],
    ["negative waits too (the full-sort fallback)", fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { maxLength: 200 }), fc.constant<number[]>([])],
  ])("gives what sorting every wait gives: %s", (_name, waits, ages) => {
    fc.assert(
      fc.property(waits, ages, fc.integer({ min: 1, max: 900 }), (w, a, target) => {
        expect(waitDistribution(recordOf(w, a), target)).toEqual(bySorting(w, a, target));
      }),
    );
  });
});
