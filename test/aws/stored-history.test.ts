/**
 * The state store's check of a stored history against the decide request's `historySchema`: over
 * generated histories, valid and not, the store accepts exactly what a decide request accepts, with
 * the same defaults and the same problems, so a history read back is one the engine was given.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storedHistory } from "../../shared/aws/dynamodb-state-store.ts";
import { runCheck } from "../../shared/config/checks.ts";
import { problemsOf } from "../../shared/config/issues.ts";
import { historySchema } from "../../shared/config/request.ts";

function viaRequestSchema(value: unknown) {
  const result = historySchema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}

const instant = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2026-03-02T12:00:00Z", "2026-03-02T12:00:00+01:00", "2026-03-02T12:00:00", "2026-02-30T00:00:00Z", "soon", ""),
);
const count = fc.oneof(fc.nat({ max: 100 }), fc.constantFrom(-1, 1.5, Number.NaN, "3", null));
/** Any value at all, for a field to hold the wrong thing. */
const wrong = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null), fc.array(fc.nat(), { maxLength: 1 }), fc.object({ maxDepth: 1 }));
const recommendation = fc.oneof(fc.record({ at: instant, tasks: count }, { requiredKeys: [] }), fc.record({ at: instant, tasks: count, extra: wrong }), wrong);
const scaleEvent = fc.oneof(fc.record({ at: instant, from: count, to: count }, { requiredKeys: [] }), wrong);
const validInstant = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
const validHistory = fc.record(
  {
    recommendations: fc.array(fc.record({ at: validInstant, tasks: fc.nat() }), { maxLength: 3 }),
    scaleEvents: fc.array(fc.record({ at: validInstant, from: fc.nat(), to: fc.nat() }), { maxLength: 3 }),
    idleSince: validInstant,
    lastActiveAt: validInstant,
    failures: fc.nat(),
  },
  { requiredKeys: [] },
);
const history = fc.oneof(
  { weight: 3, arbitrary: validHistory },
  {
    weight: 5,
    arbitrary: fc.record(
      { recommendations: fc.array(recommendation, { maxLength: 3 }), scaleEvents: fc.array(scaleEvent, { maxLength: 3 }), idleSince: instant, lastActiveAt: instant, failures: count },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ recommendations: wrong, scaleEvents: wrong, idleSince: wrong, lastActiveAt: wrong, failures: wrong, other: wrong }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: wrong },
);

describe("a stored history is checked as a decide request's history", () => {
  it("accepts exactly what historySchema accepts, with the same output and the same problems", () => {
    let accepted = 0;
    fc.assert(
      fc.property(history, (value) => {
        const ours = runCheck(storedHistory, value);
        if (ours.ok) accepted++;
        expect(ours).toStrictEqual(viaRequestSchema(value));
      }),
      { numRuns: 2000 },
    );
    // Both verdicts are exercised: a generator that only made bad histories would prove little.
    expect(accepted).toBeGreaterThan(300);
  });

  it.each([
    { name: "an empty history takes every default", value: {}, expected: { recommendations: [], scaleEvents: [], failures: 0 } },
    {
      name: "a full history is kept as it is",
      value: { recommendations: [{ at: "2026-03-02T11:59:30Z", tasks: 5 }], scaleEvents: [{ at: "2026-03-02T11:59:50Z", from: 4, to: 8 }], lastActiveAt: "2026-03-02T11:59:00Z", failures: 1 },
      expected: { recommendations: [{ at: "2026-03-02T11:59:30Z", tasks: 5 }], scaleEvents: [{ at: "2026-03-02T11:59:50Z", from: 4, to: 8 }], lastActiveAt: "2026-03-02T11:59:00Z", failures: 1 },
    },
  ])("$name", ({ value, expected }) => {
    expect(runCheck(storedHistory, value)).toStrictEqual({ ok: true, value: expected });
  });

  it.each([
    { name: "a timestamp without a zone", value: { lastActiveAt: "2026-03-02T12:00:00" }, problem: { path: "lastActiveAt", message: "Invalid ISO datetime" } },
    { name: "a negative count", value: { failures: -1 }, problem: { path: "failures", message: "Too small: expected number to be >=0" } },
    { name: "an unknown field", value: { note: "x" }, problem: { path: "$", message: 'unknown key "note"' } },
    {
      name: "a fractional task count",
      value: { recommendations: [{ at: "2026-03-02T12:00:00Z", tasks: 1.5 }] },
      problem: { path: "recommendations[0].tasks", message: "Invalid input: expected int, received number" },
    },
  ])("refuses $name, naming the field", ({ value, problem }) => {
    expect(runCheck(storedHistory, value)).toStrictEqual({ ok: false, problems: [problem] });
  });
});
