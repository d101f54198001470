/**
 * Times and durations as trace files and the `simulate` options write them: ISO 8601, the common
 * `YYYY-MM-DD HH:MM[:SS[.fraction]]` (a time without a zone is read as UTC, so slicing options match the
 * file's own wall clock), epoch seconds; durations like `90`, `90s`, `15m`, `6h`, `2d`.
 */

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const epochSeconds = /^\d+(?:\.\d+)?$/;

/** Parses a trace timestamp to epoch milliseconds; undefined when it is not one of the accepted forms. */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (epochSeconds.test(t)) return Number(t) * 1000;
  const m = dateTime.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
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

const durationPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `90`, `90s`, `15m`, `6h`, `2d` to seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = durationPattern.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * unitSeconds[(m[2] ?? "s").toLowerCase()]!;
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
