/** Scoring one run, on small records whose scores are worked out by hand. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile, scoreRun } from "../../shared/sim/score.ts";
import { worldRecord } from "./world-record.ts";

describe("scoreRun", () => {
  // Target 10 s. Settled waits 1, 5, 12, 30 (two within); still queued 2 s (undecided: left out) and
  // 40 s (already late: counts as a miss with its age). Decided: 1, 5, 12, 30, 40 → 2 of 5 within.
  const run = worldRecord({
    arrived: 6,
    processed: 4,
    waits: Float64Array.from([12, 1, 30, 5]),
    pendingAges: Float64Array.from([2, 40]),
    workSeconds: 300,
    taskSeconds: 600,
    updateServiceCalls: 3,
    reactionSeconds: 12.5,
  });
  const score = scoreRun("static", run, 10, 2);

  it.each([
    ["withinTarget: settled waits within the target over all decided messages", "withinTarget", 2 / 5],
    ["waitP50Seconds: the 3rd of 5 sorted decided waits", "waitP50Seconds", 12],
    ["waitP99Seconds: the 5th of 5 (nearest rank)", "waitP99Seconds", 40],
    ["waitMaxSeconds: the late queued message", "waitMaxSeconds", 40],
    ["utilization: 300 work-seconds over 600 task-seconds × 2 at once", "utilization", 0.25],
    ["costUsd: 600 s × (1 vCPU × 0.04048 + 2 GB × 0.004445) / 3600, to 4 places", "costUsd", 0.0082],
    ["reactionSeconds: passed through, rounded to 2 places", "reactionSeconds", 12.5],
    ["arrived and processed: passed through", "processed", 4],
  ] as const)("%s", (_name, field, expected) => {
    expect(score[field]).toBe(expected);
  });

  it.each([
    ["no decided message counts as all within the target", worldRecord({ pendingAges: Float64Array.from([3]) }), { withinTarget: 1, waitP50Seconds: 0, waitMaxSeconds: 0 }],
    ["no task ever ran gives utilization 0, not NaN", worldRecord({}), { utilization: 0, costUsd: 0 }],
    ["every wait at exactly the target is within it", worldRecord({ waits: Float64Array.from([10, 10]) }), { withinTarget: 1 }],
  ] as const)("%s", (_name, input, expected) => {
    expect(scoreRun("keda", input, 10, 1)).toMatchObject(expected);
  });

  it("selects the same p50, p99 and maximum as sorting every decided wait (duplicates, late queued messages, any order)", () => {
    const wait = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 100, noNaN: true }));
    fc.assert(
      fc.property(fc.array(wait, { maxLength: 300 }), fc.array(wait, { maxLength: 30 }), (waits, pendingAges) => {
        const sorted = Float64Array.from([...waits, ...pendingAges.filter((a) => a > 10)]).sort();
        const round = (n: number) => Math.round(n * 100) / 100;
        expect(scoreRun("static", worldRecord({ waits: Float64Array.from(waits), pendingAges: Float64Array.from(pendingAges) }), 10, 1)).toMatchObject({
          waitP50Seconds: round(percentile(sorted, 0.5)),
          waitP99Seconds: round(percentile(sorted, 0.99)),
          waitMaxSeconds: round(sorted.length > 0 ? sorted[sorted.length - 1]! : 0),
        });
      }),
      { numRuns: 500 },
    );
  });
});
