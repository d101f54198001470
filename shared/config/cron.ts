/**
 * Cron expressions for schedule windows: 5 fields (minute hour day-of-month month day-of-week) in an
 * IANA time zone. This file validates them at package time; the engine's cron.ts computes their
 * occurrences with croner. An expression must parse in cron-parser, which defined the accepted syntax
 * and still does, and in croner, so that everything accepted can be evaluated at run time.
 */

import { CronExpressionParser } from "cron-parser";
import { Cron } from "croner";

/** Returns why `expression` is not a usable 5-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `expected 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}: "${expression}"`;
  }
  try {
    CronExpressionParser.parse(expression, { strict: false });
    // The options of shared/engine/cron.ts, which the config layer may not import.
    new Cron(expression, { timezone: "UTC", mode: "5-part", sloppyRanges: true });
    return undefined;
  } catch (error) {
    return `invalid cron "${expression}": ${(error as Error).message}`;
  }
}

/** Returns why `zone` is not an IANA time zone this runtime knows, or undefined when it is. */
export function timeZoneProblem(zone: string): string | undefined {
  // Intl also takes offsets ("+01:00") and any letter case; a schedule wants a real IANA name so that
  // DST is followed and the file reads the same everywhere.
  if (/^[+-]\d/.test(zone)) return `"${zone}" is an offset, not an IANA time zone (e.g. Europe/Berlin, UTC)`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `unknown IANA time zone "${zone}"`;
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) {
    return `time zone names are case-sensitive: "${zone}" should be "${resolved}"`;
  }
  return undefined;
}

/** Whether two valid expressions fire at the same instants (compared over their next occurrences). */
export function sameSchedule(a: string, b: string): boolean {
  const from = new Date("2026-01-01T00:00:00Z");
  const ia = CronExpressionParser.parse(a, { currentDate: from, tz: "UTC" });
  const ib = CronExpressionParser.parse(b, { currentDate: from, tz: "UTC" });
  for (let i = 0; i < 50; i++) {
    if (!ia.hasNext() || !ib.hasNext()) return ia.hasNext() === ib.hasNext();
    if (ia.next().getTime() !== ib.next().getTime()) return false;
  }
  return true;
}
