/**
 * Times and durations as trace files and the `simulate` options write them: ISO 8601, the common
 * `YYYY-MM-DD HH:MM[:SS[.fraction]]`, a date alone (`YYYY-MM-DD`: its midnight), epoch seconds — a time
 * without a zone is read as UTC, so slicing options match the file's own wall clock; durations like `90`,
 * `90s`, `15m`, `6h`, `2d` and combinations such as `1h30m` or `1d2h30m15s`.
 */

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const epochSeconds = /^\d+(?:\.\d+)?$/;

/**
 * Epoch seconds after this (2100-01-01) are not taken for seconds: 1700000000000 is a time in 2023 in
 * milliseconds but the year 55840 in seconds, so a file in milliseconds would run with absurd dates.
 */
export const maxEpochSeconds = 4_102_444_800;

/**
 * Parses a trace timestamp to epoch milliseconds; undefined when it is not one of the accepted forms,
 * names a day the month does not have (2026-02-31) or is an epoch too large to be seconds
 * ({@link timestampHint} says which).
 */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (epochSeconds.test(t)) {
    const seconds = Number(t);
    return seconds <= maxEpochSeconds ? seconds * 1000 : undefined;
  }
  const m = dateTime.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(Number(y), month) ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  )
    return undefined;
  // Fractions may be finer than milliseconds (the Azure LLM trace has 100 ns); keep milliseconds and below as a fraction.
  const fraction = frac ? Number(`0.${frac}`) * 1000 : 0;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second) + fraction;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** Why `text` is not a timestamp, when there is more to say than "not a time"; "" otherwise. */
export function timestampHint(text: string): string {
  const t = text.trim();
  if (epochSeconds.test(t) && Number(t) > maxEpochSeconds) {
    return `: as epoch seconds that is after the year 2100 — epoch milliseconds? divide by 1000`;
  }
  const m = dateTime.exec(t);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month >= 1 && month <= 12 && day > daysIn(year, month) && day <= 31) {
      return `: ${m[1]}-${m[2]} has ${daysIn(year, month)} days`;
    }
  }
  return "";
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const durationPart = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
const unitOrder = ["d", "h", "m", "s", "ms"];

/**
 * Parses `90` (seconds), `90s`, `15m`, `6h`, `2d`, or parts from days down to milliseconds such as
 * `1h30m`, `2d12h` or `1h30m15s` to seconds; undefined when malformed (a unit repeated or out of order,
 * a number without a unit after another part).
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  let seconds = 0;
  let lastUnit = -1;
  let at = 0;
  durationPart.lastIndex = 0;
  for (let m = durationPart.exec(t); m !== null; m = durationPart.exec(t)) {
    const unit = unitOrder.indexOf(m[2]!);
    if (unit <= lastUnit) return undefined;
    lastUnit = unit;
    seconds += Number(m[1]) * unitSeconds[m[2]!]!;
    at = durationPart.lastIndex;
    while (t[at] === " ") at++;
    durationPart.lastIndex = at;
  }
  return at === t.length && lastUnit >= 0 ? seconds : undefined;
}

/** Formats seconds compactly for tables and messages: `45 s`, `12.5 min`, `6 h`. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${trim(seconds)} s`;
  if (seconds < 7200) return `${trim(seconds / 60)} min`;
  if (seconds < 172_800) return `${trim(seconds / 3600)} h`;
  return `${trim(seconds / 86_400)} d`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, "");
}
