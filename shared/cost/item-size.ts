/**
 * The size DynamoDB bills an item by, for a plain JavaScript value as `@aws-sdk/util-dynamodb`'s
 * `marshall` stores it: attribute names plus values, by the rules of the DynamoDB Developer Guide
 * ("Item sizes and formats", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * strings are UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and
 * nulls one byte, maps and lists 3 bytes plus one per element plus their contents. Pure.
 */

/**
 * A string's UTF-8 length, counted rather than encoded (the simulator sizes every record it stores):
 * 1 byte below U+0080, 2 below U+0800, 4 for a surrogate pair, 3 otherwise (a lone surrogate is
 * written as U+FFFD, 3 bytes, as TextEncoder does).
 */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c < 0xe000;
}

/** A number's size: (significant digits / 2, rounded up) + 1 byte. */
function numberBytes(n: number): number {
  return Math.ceil(Math.max(1, significantDigits(n)) / 2) + 1;
}

/** Digits between the first and the last non-zero digit of the number as JavaScript prints it. */
function significantDigits(n: number): number {
  let m = Math.abs(n);
  if (Number.isSafeInteger(m)) {
    if (m === 0) return 0;
    while (m % 10 === 0) m /= 10;
    return String(m).length;
  }
  if (!Number.isFinite(m)) return String(m).length;
  return mantissaDigits(String(m));
}

/**
 * The digits of a printed finite number's mantissa (before any exponent) from its first to its last
 * non-zero digit, the decimal point not counted: read in one pass, no intermediate strings.
 */
function mantissaDigits(printed: string): number {
  let end = printed.length;
  for (let i = 0; i < printed.length; i++) {
    const c = printed.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      end = i;
      break;
    }
  }
  let first = -1;
  let last = -1;
  let digits = 0;
  for (let i = 0; i < end; i++) {
    const c = printed.charCodeAt(i);
    if (c === 0x2e) continue;
    digits++;
    if (c !== 0x30) {
      if (first < 0) first = digits;
      last = digits;
    }
  }
  return first < 0 ? 0 : last - first + 1;
}

/** The stored size of one attribute value (undefined values are left out, as marshall's removeUndefinedValues does). */
export function valueBytes(value: unknown): number {
  if (value === null || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number") return numberBytes(value);
  // Loops rather than entries/filter/reduce: every stored record is sized, and the arrays were its cost.
  if (Array.isArray(value)) {
    let sum = 3;
    for (const v of value) if (v !== undefined) sum += 1 + valueBytes(v);
    return sum;
  }
  if (typeof value === "object") {
    let sum = 3;
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      const v = map[key];
      if (v !== undefined) sum += 1 + utf8Bytes(key) + valueBytes(v);
    }
    return sum;
  }
  return 0;
}

/** One top-level attribute's size: its name and value (0 for an undefined value, which is left out). */
export function attributeBytes(name: string, value: unknown): number {
  return value === undefined ? 0 : utf8Bytes(name) + valueBytes(value);
}

/** An item's size: each top-level attribute's name and value. */
export function itemBytes(item: Record<string, unknown>): number {
  let sum = 0;
  for (const name of Object.keys(item)) sum += attributeBytes(name, item[name]);
  return sum;
}
