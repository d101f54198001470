/**
 * Item sizes are counted, not encoded: the count must equal the rule as first written, with the
 * string's UTF-8 bytes from TextEncoder and a number's digits from its printed form.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { itemBytes, valueBytes } from "../../shared/cost/item-size.ts";

const encoder = new TextEncoder();

/** The oracle: the DynamoDB size rules written the direct way. */
function referenceBytes(value: unknown): number {
  if (value === null || typeof value === "boolean") return 1;
  if (typeof value === "string") return encoder.encode(value).length;
  if (typeof value === "number") {
    const digits = String(Math.abs(value)).replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.filter((v) => v !== undefined).reduce((sum: number, v) => sum + 1 + referenceBytes(v), 0);
  if (typeof value === "object")
    return (
      3 +
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .reduce((sum, [k, v]) => sum + 1 + encoder.encode(k).length + referenceBytes(v), 0)
    );
  return 0;
}

const anyString = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 10, 1200, 1e21, 1.5e-7, 2 ** 53, 2 ** 60));
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, anyString, anyNumber, fc.boolean(), fc.constant(null), fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(anyString, tie("value"), { maxKeys: 4 })),
})).value;

describe("item sizes", () => {
  it("a value's counted size equals the encoded rule, for any string, number, list or map", () => {
    fc.assert(
      fc.property(anyValue, (value) => valueBytes(value) === referenceBytes(value)),
      { numRuns: 2000 },
    );
  });

  it.each([
    { name: "ASCII", value: "prod/worker", bytes: 11 },
    { name: "two-byte letters", value: "é", bytes: 2 },
    { name: "a three-byte sign", value: "€", bytes: 3 },
    { name: "a surrogate pair", value: "😀", bytes: 4 },
    { name: "a lone surrogate (written as U+FFFD)", value: "\ud800", bytes: 3 },
    { name: "a whole number with trailing zeros", value: 1200, bytes: 2 },
    { name: "zero", value: 0, bytes: 2 },
    { name: "a fraction", value: 0.125, bytes: 3 },
  ])("$name: $bytes bytes", ({ value, bytes }) => {
    expect(valueBytes(value)).toBe(bytes);
  });

  it("an item is its attribute names and values, undefined ones left out", () => {
    expect(itemBytes({ key: "a/b", version: 3, gone: undefined })).toBe(3 + 3 + 7 + 2);
  });
});
