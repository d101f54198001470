/**
 * The plain checks the Lambda functions validate with (shared/config/checks.ts) against the zod schemas
 * they stand in for: over generated values, each accepts what zod accepts, produces the same output
 * (key order included) and reports the same problems (paths, messages, order).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bool, type Check, isoInstant, list, num, object, optional, record, runCheck, text, transformed, union, withDefault } from "../../shared/config/checks.ts";
import { problemsOf } from "../../shared/config/issues.ts";

/** What zod says of a value, in the checks' terms. */
function viaZod(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}

/** Both verdicts, with each accepted output's keys listed so that key order is compared too. */
function verdicts(check: Check<unknown>, schema: z.ZodType, value: unknown) {
  const keysOf = (r: { ok: boolean; value?: unknown }) => (r.ok && typeof r.value === "object" && r.value !== null ? Object.keys(r.value) : []);
  const ours = runCheck(check, value);
  const theirs = viaZod(schema, value);
  return { ours: { ...ours, keys: keysOf(ours) }, theirs: { ...theirs, keys: keysOf(theirs) } };
}

/** Values of every JSON type and a few that are not (NaN, Infinity, a Date, an unsafe integer). */
class Instance {
  length = 2;
}
const anyValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 7 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom(null, undefined, true, 2 ** 60, -(2 ** 60), Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Instance(), { length: 0 }, { length: "x" }, Object.create(null)),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("a", "b", "q"), fc.oneof(fc.string({ maxLength: 2 }), fc.integer()), {
    maxKeys: 3,
  }),
);
const isTimestamp = (s: string) => !Number.isNaN(Date.parse(s));

const cases: { name: string; check: Check<unknown>; schema: z.ZodType; values: fc.Arbitrary<unknown> }[] = [
  {
    name: "a bounded string with a condition and a transform",
    check: transformed(text({ min: 1, max: 5, refine: [isTimestamp, "not a timestamp"] }), (s) => `${s}!`),
    schema: z
      .string()
      .min(1)
      .max(5)
      .refine(isTimestamp, "not a timestamp")
      .transform((s) => `${s}!`),
    values: fc.oneof(anyValue, fc.constantFrom("", "2026", "20261", "123456", "x", "😀😀😀😀😀", "😀😀😀😀😀😀")),
  },
  {
    name: "a non-negative integer",
    check: num({ int: true, min: 0 }),
    schema: z.number().int().min(0),
    values: anyValue,
  },
  { name: "a non-negative number", check: num({ min: 0 }), schema: z.number().min(0), values: anyValue },
  { name: "a boolean", check: bool, schema: z.boolean(), values: anyValue },
  {
    name: "a non-empty list of strings",
    check: list(text(), { min: 1 }),
    schema: z.array(z.string()).min(1),
    values: fc.oneof(anyValue, fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 })),
  },
  {
    name: "a loose object with required, optional and defaulted fields",
    check: object({ a: optional(text()), b: num(), q: withDefault(list(num()), () => []) }),
    schema: z.looseObject({ a: z.string().optional(), b: z.number(), q: z.array(z.number()).default([]) }),
    values: fc.oneof(anyValue, fc.record({ a: anyValue, b: anyValue, q: anyValue, z: anyValue }, { requiredKeys: [] })),
  },
  {
    name: "a strict object",
    check: object({ a: optional(text()), b: num() }, "reject"),
    schema: z.strictObject({ a: z.string().optional(), b: z.number() }),
    values: fc.oneof(anyValue, fc.record({ a: anyValue, b: anyValue, c: anyValue, d: anyValue }, { requiredKeys: [] })),
  },
  {
    name: "a record of a union of objects",
    check: record(union(object({ q: text(), v: num() }), object({ q: text(), e: num() }))),
    schema: z.record(z.string(), z.union([z.looseObject({ q: z.string(), v: z.number() }), z.looseObject({ q: z.string(), e: z.number() })])),
    values: fc.oneof(anyValue, fc.dictionary(fc.string({ maxLength: 2 }), fc.record({ q: anyValue, v: anyValue, e: anyValue }, { requiredKeys: [] }), { maxKeys: 3 })),
  },
  {
    name: "an ISO 8601 instant",
    check: isoInstant,
    schema: z.iso.datetime({ offset: true }),
    values: fc.oneof(
      anyValue,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        "2026-03-02T12:00:00Z",
        "2026-03-02T12:00:00.123456789Z",
        "2026-03-02T12:00Z",
        "2026-03-02T12:00:00+01:00",
        "2026-03-02T12:00:00+0100",
        "2024-02-29T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-02-30T12:00:00Z",
        "2026-03-02t12:00:00z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T23:59:60Z",
        "+002026-03-02T12:00:00Z",
      ),
      fc.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/),
    ),
  },
];

describe("each plain check decides as the zod schema it stands in for", () => {
  it.each(cases)("$name", ({ check, schema, values }) => {
    fc.assert(
      fc.property(values, (value) => {
        const { ours, theirs } = verdicts(check, schema, value);
        expect(ours).toStrictEqual(theirs);
      }),
      { numRuns: 1000 },
    );
  });
});
