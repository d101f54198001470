/**
 * A deep copy that gives what `JSON.parse(JSON.stringify(value))` gives for the plain data a state record
 * holds, without building the string: the simulator's in-memory state store copies every record it loads
 * and saves (as the DynamoDB adapter's marshalling does), and the round trip through text was a tenth of a
 * simulated day. Same rules as JSON: `undefined`, functions and symbols are dropped from objects and become
 * `null` in arrays, non-finite numbers become `null`, `-0` becomes `0`, and a value with `toJSON` (a Date)
 * is copied as what that returns. Pure.
 */
export function jsonCopy<T>(value: T): T {
  return copy(prepared(value)) as T;
}

/** What JSON.stringify would write for `value` before looking inside it: its `toJSON`, if any. */
function prepared(value: unknown): unknown {
  return value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
    ? (value as { toJSON: () => unknown }).toJSON()
    : value;
}

/** Whether JSON leaves `value` out of an object (and writes `null` for it in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function copy(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = prepared(value[i]);
      out[i] = omitted(item) ? null : copy(item);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = prepared((value as Record<string, unknown>)[key]);
    if (omitted(item)) continue;
    // JSON.parse makes "__proto__" an own key; assigning it would set the prototype instead.
    if (key === "__proto__")
      Object.defineProperty(out, key, {
        value: copy(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = copy(item);
  }
  return out;
}
