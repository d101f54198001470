/**
 * Occurrences of a schedule window's 5-field cron expressions in an IANA time zone, by cron-parser
 * (which resolves DST transitions in the zone itself). Pure: the instant is an argument. The
 * expressions were validated by the config schema.
 */
import { CronExpressionParser } from "cron-parser";

/** The latest occurrence of `expression` at or before `at`, or undefined if none within the search range. */
export function previousOccurrence(expression: string, zone: string, at: Date): Date | undefined {
  // cron-parser's prev() is strictly before its start (one millisecond later makes it "at or before"),
  // and it skips an occurrence that DST shifted out of a skipped hour, which next() does find. So prev()
  // only gives a starting point; walking forward with next() finds the true latest occurrence.
  const limit = at.getTime();
  const iterator = CronExpressionParser.parse(expression, { currentDate: new Date(limit + 1), tz: zone });
  if (!iterator.hasPrev()) return undefined;
  let latest = iterator.prev().toDate();
  const forward = CronExpressionParser.parse(expression, { currentDate: latest, tz: zone });
  for (let i = 0; i < 1000 && forward.hasNext(); i++) {
    const candidate = forward.next().toDate();
    if (candidate.getTime() > limit) break;
    latest = candidate;
  }
  return latest;
}

/** The first occurrence of `expression` strictly after `at`. */
export function nextOccurrence(expression: string, zone: string, at: Date): Date | undefined {
  const iterator = CronExpressionParser.parse(expression, { currentDate: at, tz: zone });
  return iterator.hasNext() ? iterator.next().toDate() : undefined;
}
