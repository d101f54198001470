/**
 * Occurrences of a schedule window's 5-field cron expressions in an IANA time zone. Pure: the instant
 * is an argument. The expressions were validated by the config schema.
 *
 * An expression names wall-clock times; croner matches its fields on a calendar without DST (UTC),
 * and this file turns each matching wall time into the instants it is in the zone, read from Intl:
 * - a wall time that occurs once is that instant;
 * - one that occurs twice (the hour repeated when clocks go back) is both instants;
 * - one that does not occur (the hour skipped when clocks go forward) is moved forward by the
 *   length of the skip: 02:30 on a night that jumps from 02:00 to 03:00 is 03:30.
 * These are the rules by which cron-parser (with luxon), used here before, found previous occurrences,
 * so windows open at the same instants. Its next() disagreed with them inside a moved or repeated hour
 * (it skipped the rest of that hour, depending on where it started); here both directions use one set.
 */
import { Cron } from "croner";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wall times this far either side of a wall time can map to instants on its other side (DST moves ≤ 2 h). */
const REACH = 4 * HOUR;

const patterns = new Map<string, Cron>();
/** The expression's fields, matched on wall-clock times (UTC has no DST); parsed once per expression. */
function wallClock(expression: string): Cron {
  let pattern = patterns.get(expression);
  if (!pattern) {
    pattern = new Cron(expression, { timezone: "UTC", mode: "5-part", sloppyRanges: true });
    patterns.set(expression, pattern);
  }
  return pattern;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC at `instant`, in ms (its wall time minus the instant). */
export function zoneOffset(zone: string, instant: number): number {
  if (zone === "UTC") return 0;
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, format);
  }
  const f: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) f[part.type] = Number(part.value);
  const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instants wall time `wall` (ms on the UTC calendar) is in `zone`, earliest first. */
export function instantsOf(wall: number, zone: string): number[] {
  const before = zoneOffset(zone, wall - DAY);
  const after = zoneOffset(zone, wall + DAY);
  const found = [before, after].filter(
    (o, i) => (i === 0 || o !== before) && zoneOffset(zone, wall - o) === o,
  );
  if (found.length === 0) return [wall - before]; // skipped: moved forward by the skip
  return found.map((o) => wall - o).sort((a, b) => a - b);
}

/** Whether the zone's offset changes within 2 × REACH of `instant` (DST changes are months apart). */
function nearChange(zone: string, instant: number): boolean {
  return zoneOffset(zone, instant - 2 * REACH) !== zoneOffset(zone, instant + 2 * REACH);
}

/**
 * The latest occurrence of `expression` at or before `at`, or undefined if there is none. Away from a
 * DST change, that is the instant of the latest wall time at or before `at`'s own. Near one, wall times
 * up to REACH later can map to earlier instants and earlier ones to later instants, so those are
 * searched too.
 */
export function previousOccurrence(expression: string, zone: string, at: Date): Date | undefined {
  const limit = at.getTime();
  const pattern = wallClock(expression);
  const ownWall = limit + zoneOffset(zone, limit);
  let from = nearChange(zone, limit) ? ownWall + REACH + 1000 : ownWall + 1;
  let best: number | undefined;
  let stopAt = Number.NEGATIVE_INFINITY;
  for (;;) {
    const wall = pattern.previousRuns(1, new Date(from))[0]?.getTime();
    if (wall === undefined || wall < stopAt) break;
    for (const instant of instantsOf(wall, zone)) {
      if (instant > limit || (best !== undefined && instant <= best)) continue;
      if (best === undefined) stopAt = nearChange(zone, instant) ? wall - REACH : wall;
      best = instant;
    }
    from = wall;
  }
  return best === undefined ? undefined : new Date(best);
}

/** The first occurrence of `expression` strictly after `at`, or undefined if there is none (searched as above). */
export function nextOccurrence(expression: string, zone: string, at: Date): Date | undefined {
  const limit = at.getTime();
  const pattern = wallClock(expression);
  const ownWall = limit + zoneOffset(zone, limit);
  let from = nearChange(zone, limit) ? ownWall - REACH : ownWall;
  let best: number | undefined;
  let stopAt = Number.POSITIVE_INFINITY;
  for (;;) {
    const wall = pattern.nextRun(new Date(from))?.getTime();
    if (wall === undefined || wall > stopAt) break;
    for (const instant of instantsOf(wall, zone)) {
      if (instant <= limit || (best !== undefined && instant >= best)) continue;
      if (best === undefined) stopAt = nearChange(zone, instant) ? wall + REACH : wall;
      best = instant;
    }
    from = wall;
  }
  return best === undefined ? undefined : new Date(best);
}
