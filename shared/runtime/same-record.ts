/**
 * Whether a pass would write what it read: a state record compared field by field, every field of
 * it, nested ones included, whoever added them (not a list of known fields, so a field added later
 * is compared too; not by serialised form, whose key order depends on who built the object). A key
 * holding `undefined` counts as absent, as it is once stored. Pure.
 */
import type { ServiceRecord } from "../ports/state-store.ts";

/** Whether `a` and `b` hold the same values (plain JSON-like data: objects, arrays, numbers, strings, booleans, null). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Every key of either side, without building their union (every pass compares its record).
  for (const key of Object.keys(x)) if (!sameValue(x[key], y[key])) return false;
  for (const key of Object.keys(y)) if (!Object.hasOwn(x, key) && !sameValue(x[key], y[key])) return false;
  return true;
}

/** Whether two state records are the same record: every field equal, the version included. */
export function sameRecord(a: ServiceRecord, b: ServiceRecord): boolean {
  return sameValue(a, b);
}
