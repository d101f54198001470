/**
 * The size DynamoDB bills an item by, for a plain JavaScript value as `@aws-sdk/util-dynamodb`'s
 * `marshall` stores it: attribute names plus values, by the rules of the DynamoDB Developer Guide
 * ("Item sizes and formats", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * strings are UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and
 * nulls one byte, maps and lists 3 bytes plus one per element plus their contents. Pure.
 */

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** A number's size: (significant digits / 2, rounded up) + 1 byte. */
function numberBytes(n: number): number {
  const digits = String(Math.abs(n))
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** The stored size of one attribute value (undefined values are left out, as marshall's removeUndefinedValues does). */
export function valueBytes(value: unknown): number {
  if (value === null || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number") return numberBytes(value);
  if (Array.isArray(value)) {
    const present = value.filter((v) => v !== undefined);
    return 3 + present.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return 3 + entries.reduce((sum, [k, v]) => sum + 1 + utf8Bytes(k) + valueBytes(v), 0);
  }
  return 0;
}

/** An item's size: each top-level attribute's name and value. */
export function itemBytes(item: Record<string, unknown>): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    sum += utf8Bytes(name) + valueBytes(value);
  }
  return sum;
}
