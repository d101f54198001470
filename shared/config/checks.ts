/**
 * Plain-function checks for the input the Lambda functions validate at run time (EventBridge events,
 * stored state items), so their bundles carry no schema library. Each check reports the problems zod
 * would, with zod's English messages, at the same JSON paths and in the same order: a failed type
 * stops that value's checks, the others all run. Tests compare them with the zod schemas they mirror.
 * Pure.
 */
import { type ConfigProblem, jsonPath } from "./issues.ts";

/** Where a value sits, as a linked list from the leaf up (cheap to extend for every element). */
export type Path = { readonly up: Path; readonly key: PropertyKey } | undefined;

/** What a check returns for a value that failed; its problems are in the list it was given. */
export const FAILED: unique symbol = Symbol("failed");

/** Validates `value` at `path`: returns it (possibly transformed) or {@link FAILED}, adding problems to `out`. */
export type Check<T> = (value: unknown, path: Path, out: ConfigProblem[]) => T | typeof FAILED;

/** The output type of a check. */
export type Checked<C> = C extends Check<infer T> ? T : never;

function pathOf(path: Path): string {
  const keys: PropertyKey[] = [];
  for (let p = path; p; p = p.up) keys.push(p.key);
  return jsonPath(keys.reverse());
}

function fail(out: ConfigProblem[], path: Path, message: string): void {
  out.push({ path: pathOf(path), message });
}

/** The type name zod's English messages use for a received value. */
function received(value: unknown): string {
  if (typeof value === "number")
    return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "number" : String(value);
  if (typeof value !== "object") return typeof value;
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const proto = Object.getPrototypeOf(value);
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return proto !== Object.prototype && "constructor" in value && ctor ? String(ctor.name) : "object";
}

function wrongType(out: ConfigProblem[], path: Path, expected: string, value: unknown): typeof FAILED {
  fail(out, path, `Invalid input: expected ${expected}, received ${received(value)}`);
  return FAILED;
}

export interface TextRules {
  min?: number;
  max?: number;
  /** A condition every value must meet, and the message when it does not (runs after min and max). */
  refine?: [test: (s: string) => boolean, message: string];
}

/** Unicode code points: what zod's string lengths count (a surrogate pair is one). */
function codePoints(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * Length bounds, checked on anything with a `length` (as zod does, even after a wrong type): strings
 * in code points, arrays in items.
 */
function lengthProblems(value: unknown, path: Path, out: ConfigProblem[], min?: number, max?: number): void {
  if (value === null || value === undefined || (value as { length?: unknown }).length === undefined) return;
  const length = typeof value === "string" ? codePoints(value) : (value as { length: number }).length;
  const [origin, unit] = Array.isArray(value)
    ? ["array", " items"]
    : typeof value === "string"
      ? ["string", " characters"]
      : ["unknown", ""];
  const verb = unit ? "to have" : "to be";
  if (min !== undefined && !(length >= min))
    fail(out, path, `Too small: expected ${origin} ${verb} >=${min}${unit}`);
  if (max !== undefined && !(length <= max))
    fail(out, path, `Too big: expected ${origin} ${verb} <=${max}${unit}`);
}

/** A string, with optional length bounds (in code points) and a condition that runs after them. */
export function text(rules: TextRules = {}): Check<string> {
  const { min, max, refine } = rules;
  return (value, path, out) => {
    const before = out.length;
    if (typeof value !== "string") {
      wrongType(out, path, "string", value);
      lengthProblems(value, path, out, min, max);
      return FAILED;
    }
    lengthProblems(value, path, out, min, max);
    if (refine && !refine[0](value)) fail(out, path, refine[1]);
    return out.length > before ? FAILED : value;
  };
}

/** `check`, then `transform` of a value that passed it. */
export function transformed<In, Out>(check: Check<In>, transform: (value: In) => Out): Check<Out> {
  return (value, path, out) => {
    const checked = check(value, path, out);
    return checked === FAILED ? FAILED : transform(checked);
  };
}

/** A finite number; `int` also requires a safe integer (checked before `min`, which it stops when failed). */
export function num(rules: { int?: boolean; min?: number } = {}): Check<number> {
  const { int, min } = rules;
  return (value, path, out) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return wrongType(out, path, "number", value);
    if (int && !Number.isInteger(value)) return wrongType(out, path, "int", value);
    const before = out.length;
    if (int && value > Number.MAX_SAFE_INTEGER)
      fail(out, path, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    if (int && value < Number.MIN_SAFE_INTEGER)
      fail(out, path, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
    if (min !== undefined && value < min) fail(out, path, `Too small: expected number to be >=${min}`);
    return out.length > before ? FAILED : value;
  };
}

/** `true` or `false`. */
export const bool: Check<boolean> = (value, path, out) =>
  typeof value === "boolean" ? value : wrongType(out, path, "boolean", value);

/** An array whose every element passes `item`, with at least `min` elements. */
export function list<T>(item: Check<T>, rules: { min?: number } = {}): Check<T[]> {
  return (value, path, out) => {
    const before = out.length;
    if (!Array.isArray(value)) {
      wrongType(out, path, "array", value);
      lengthProblems(value, path, out, rules.min);
      return FAILED;
    }
    const result: T[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) result[i] = item(value[i], { up: path, key: i }, out) as T;
    lengthProblems(value, path, out, rules.min);
    return out.length > before ? FAILED : result;
  };
}

/** Marks a field that may be absent (or undefined). */
export interface Optional<T> {
  readonly optional: Check<T>;
}
/** A field that may be absent; when absent it stays absent. */
export const optional = <T>(check: Check<T>): Optional<T> => ({ optional: check });

/** A field that takes `fallback()` when absent (or undefined). */
export function withDefault<T>(check: Check<T>, fallback: () => T): Check<T> {
  return (value, path, out) => (value === undefined ? fallback() : check(value, path, out));
}

type Field = Check<unknown> | Optional<unknown>;
type Shape = Record<string, Field>;
type FieldOutput<F> = F extends Optional<infer T> ? T | undefined : F extends Check<infer T> ? T : never;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
/** What an object check produces: the shape's fields (optional ones may be absent). */
export type ObjectOutput<S extends Shape> = {
  [K in Exclude<keyof S, OptionalKeys<S>>]: FieldOutput<S[K]>;
} & { [K in OptionalKeys<S>]?: FieldOutput<S[K]> };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** zod's test for a record: an object whose constructor, if any, is Object-like (not a Date or a class). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const ctor = value.constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.hasOwn(proto, "isPrototypeOf");
}

/**
 * An object with the fields of `shape`. Unknown keys are kept after the shape's fields (`"keep"`, zod's
 * looseObject) or each reported at the object's path (`"reject"`, zod's strictObject).
 */
export function object<S extends Shape>(
  shape: S,
  unknownKeys: "keep" | "reject" = "keep",
): Check<ObjectOutput<S> & Record<string, unknown>> {
  const keys = Object.keys(shape);
  return (value, path, out) => {
    if (!isObject(value)) return wrongType(out, path, "object", value);
    const before = out.length;
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const field = shape[key]!;
      const input = value[key];
      if ("optional" in field && input === undefined) {
        if (key in value) result[key] = undefined;
        continue;
      }
      const check = "optional" in field ? field.optional : field;
      const checked = check(input, { up: path, key }, out);
      if (checked !== undefined || key in value) result[key] = checked;
    }
    const extra = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
    if (unknownKeys === "keep") for (const key of extra) result[key] = value[key];
    else if (extra.length > 0)
      fail(out, path, `unknown key${extra.length > 1 ? "s" : ""} ${extra.map((k) => `"${k}"`).join(", ")}`);
    return out.length > before ? FAILED : (result as ObjectOutput<S> & Record<string, unknown>);
  };
}

/** An object used as a map: every value passes `item`. */
export function record<T>(item: Check<T>): Check<Record<string, T>> {
  return (value, path, out) => {
    if (!isPlainObject(value)) return wrongType(out, path, "record", value);
    const before = out.length;
    const result: Record<string, T> = {};
    for (const key of Object.keys(value)) result[key] = item(value[key], { up: path, key }, out) as T;
    return out.length > before ? FAILED : result;
  };
}

/** The first of `options` that accepts the value; when none does, one problem at the value's path. */
export function union<C extends Check<unknown>[]>(...options: C): Check<Checked<C[number]>> {
  return (value, path, out) => {
    for (const option of options) {
      const checked = option(value, path, []);
      if (checked !== FAILED) return checked as Checked<C[number]>;
    }
    fail(out, path, "Invalid input");
    return FAILED;
  };
}

// RFC 3339 date-times with seconds and a Z or ±hh:mm offset, days checked per month and leap year: the
// form zod's `z.iso.datetime({ offset: true })` accepts (its pattern, so both accept the same strings).
const DATE =
  "(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))";
const ISO_DATETIME = new RegExp(
  `^${DATE}T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$`,
);

/** An ISO 8601 instant as the decide request takes it (`2026-03-02T12:00:00Z`, offsets allowed). */
export const isoInstant: Check<string> = (value, path, out) => {
  if (typeof value !== "string") return wrongType(out, path, "string", value);
  if (ISO_DATETIME.test(value)) return value;
  fail(out, path, "Invalid ISO datetime");
  return FAILED;
};

/** Runs `check` on `value` from the root: the value, or every problem found. */
export function runCheck<T>(
  check: Check<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const checked = check(value, undefined, problems);
  return checked === FAILED ? { ok: false, problems } : { ok: true, value: checked };
}
