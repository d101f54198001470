/** The simulator's record copy behaves as the JSON round trip it replaces. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonCopy } from "../../shared/sim/json-copy.ts";

const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(-0),
  fc.date({ noInvalidDate: true }),
  fc.constant(() => 1),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value"), { maxLength: 5 }), fc.dictionary(fc.string(), tie("value"), { maxKeys: 5 })),
})).value;

describe("jsonCopy", () => {
  it("equals JSON.parse(JSON.stringify(value)) for nested objects, arrays, dates, undefined, -0 and NaN", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 6 }), (record) => {
        expect(jsonCopy(record)).toStrictEqual(JSON.parse(JSON.stringify(record)));
      }),
      { numRuns: 2000 },
    );
  });

  it("shares nothing with the original: changing the copy leaves it as it was", () => {
    const original = { history: { scaleEvents: [{ at: "2026-03-02T10:00:00.000Z", to: 3 }] }, learned: {} };
    const copied = jsonCopy(original);
    copied.history.scaleEvents[0]!.to = 9;
    (copied.learned as Record<string, number>).startupSeconds = 60;
    expect(original).toEqual({ history: { scaleEvents: [{ at: "2026-03-02T10:00:00.000Z", to: 3 }] }, learned: {} });
  });
});
