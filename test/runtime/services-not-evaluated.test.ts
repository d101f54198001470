/** What the health alarm counts per pass: services left undecided by a failure or the deadline. */
import { describe, expect, it } from "vitest";
import { type PassSummary, servicesNotEvaluated } from "../../shared/runtime/evaluation-pass.ts";

const pass = (counts: Partial<PassSummary>): PassSummary => ({
  evaluated: 0,
  changed: 0,
  failed: 0,
  conflicts: 0,
  describeLags: 0,
  pastDeadline: 0,
  transientFailures: 0,
  ...counts,
});

describe("servicesNotEvaluated", () => {
  it.each([
    { name: "every service decided", summary: pass({ evaluated: 5 }), expected: 0 },
    { name: "none decided (a wrong table: every load failed)", summary: pass({ failed: 5 }), expected: 5 },
    { name: "two failed", summary: pass({ evaluated: 3, failed: 2 }), expected: 2 },
    { name: "one left past the deadline", summary: pass({ evaluated: 4, pastDeadline: 1 }), expected: 1 },
    { name: "another evaluator decided one first: not an alarm", summary: pass({ evaluated: 4, conflicts: 1 }), expected: 0 },
    { name: "a describe older than the last scale event waits one pass: not an alarm", summary: pass({ evaluated: 4, describeLags: 1 }), expected: 0 },
  ])("$name → $expected of 5", ({ summary, expected }) => {
    expect(servicesNotEvaluated(summary, 5)).toBe(expected);
  });
});
