/**
 * Cron occurrences in IANA zones (shared/engine/cron.ts): explicit cases across DST changes, and the
 * same instants as cron-parser (which evaluated schedules before, and still validates them at package
 * time) over generated instants around the changes of several zones.
 */
import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextOccurrence, previousOccurrence } from "../../shared/engine/cron.ts";

const iso = (d: Date | undefined) => d?.toISOString().replace(".000Z", "Z");

describe("occurrences across DST changes", () => {
  it.each([
    // Europe/Berlin springs forward on 2026-03-29 at 02:00 CET to 03:00 CEST: 02:xx does not exist.
    { cron: "30 2 * * *", zone: "Europe/Berlin", at: "2026-03-28T12:00:00Z", next: "2026-03-29T01:30:00Z", prev: "2026-03-28T01:30:00Z", name: "02:30 in the skipped hour is 03:30 CEST" },
    { cron: "30 2 * * *", zone: "Europe/Berlin", at: "2026-03-29T12:00:00Z", next: "2026-03-30T00:30:00Z", prev: "2026-03-29T01:30:00Z", name: "the day after, 02:30 CEST again" },
    { cron: "*/20 2 * * *", zone: "Europe/Berlin", at: "2026-03-29T00:59:00Z", next: "2026-03-29T01:00:00Z", prev: "2026-03-28T01:40:00Z", name: "every 20 min of 02:xx moves to 03:xx CEST" },
    { cron: "*/20 2 * * *", zone: "Europe/Berlin", at: "2026-03-29T01:00:00Z", next: "2026-03-29T01:20:00Z", prev: "2026-03-29T01:00:00Z", name: "from one moved occurrence to the next" },
    // Europe/Berlin falls back on 2026-10-25 at 03:00 CEST to 02:00 CET: 02:xx happens twice.
    { cron: "30 2 * * *", zone: "Europe/Berlin", at: "2026-10-24T12:00:00Z", next: "2026-10-25T00:30:00Z", prev: "2026-10-24T00:30:00Z", name: "the repeated 02:30 first comes in CEST" },
    { cron: "30 2 * * *", zone: "Europe/Berlin", at: "2026-10-25T00:30:00Z", next: "2026-10-25T01:30:00Z", prev: "2026-10-25T00:30:00Z", name: "and again an hour later in CET" },
    { cron: "30 2 * * *", zone: "Europe/Berlin", at: "2026-10-25T12:00:00Z", next: "2026-10-26T01:30:00Z", prev: "2026-10-25T01:30:00Z", name: "the latest of the two is the previous one" },
    // America/New_York falls back on 2026-11-01 at 02:00 EDT to 01:00 EST; springs forward on 2026-03-08.
    { cron: "0 * * * *", zone: "America/New_York", at: "2026-11-01T05:30:00Z", next: "2026-11-01T06:00:00Z", prev: "2026-11-01T05:00:00Z", name: "hourly: 01:00 EDT, then 01:00 EST" },
    { cron: "0 2 * * *", zone: "America/New_York", at: "2026-03-07T12:00:00Z", next: "2026-03-08T07:00:00Z", prev: "2026-03-07T07:00:00Z", name: "02:00 on the spring night is 03:00 EDT" },
    { cron: "0 9 * * 1-5", zone: "America/New_York", at: "2026-03-06T15:00:00Z", next: "2026-03-09T13:00:00Z", prev: "2026-03-06T14:00:00Z", name: "weekdays 09:00 across the weekend of the change" },
    // Pacific/Chatham (+12:45 / +13:45) springs forward on 2026-09-27 at 02:45 to 03:45: 03:00 is skipped.
    {
      cron: "0 3 * * *",
      zone: "Pacific/Chatham",
      at: "2026-09-26T00:00:00Z",
      next: "2026-09-26T14:15:00Z",
      prev: "2026-09-25T14:15:00Z",
      name: "03:00 skipped in a zone 45 minutes off the hour is 04:00",
    },
  ])("$name ($cron in $zone from $at)", ({ cron, zone, at, next, prev }) => {
    expect(iso(nextOccurrence(cron, zone, new Date(at)))).toBe(next);
    expect(iso(previousOccurrence(cron, zone, new Date(at)))).toBe(prev);
  });

  it("finds no occurrence of a date that never comes", () => {
    expect(nextOccurrence("0 0 31 2 *", "UTC", new Date("2026-01-01T00:00:00Z"))).toBe(undefined);
    expect(previousOccurrence("0 0 31 2 *", "UTC", new Date("2026-01-01T00:00:00Z"))).toBe(undefined);
  });
});

/** How schedules were evaluated with cron-parser: the reference the new evaluation must agree with. */
const reference = {
  previous(expression: string, zone: string, at: Date): Date | undefined {
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
  },
  next(expression: string, zone: string, at: Date): Date | undefined {
    const iterator = CronExpressionParser.parse(expression, { currentDate: at, tz: zone });
    return iterator.hasNext() ? iterator.next().toDate() : undefined;
  },
};

// The 2026 DST changes of each zone (UTC), and zones without DST. Zones whose changes are not on the
// hour (Lord Howe, Chatham) are compared in the table above only: there cron-parser finds no previous
// occurrence at the change, and its next one skips the moved occurrences of the skipped hour.
const changes = [
  "2026-03-08T07:00:00Z", // America/New_York
  "2026-11-01T06:00:00Z",
  "2026-03-29T01:00:00Z", // Europe/Berlin, Europe/London
  "2026-10-25T01:00:00Z",
  "2026-06-01T00:00:00Z", // no change anywhere
].map(Date.parse);
const zones = ["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata"];
const expressions = [
  "0 6 * * *",
  "0 22 * * *",
  "30 2 * * *",
  "0 2 * * *",
  "30 1 * * *",
  "0 * * * *",
  "*/15 * * * *",
  "0 8 * * 1-5",
  "0 12 2 3 *",
  "0 0 * * 7",
  "15 2-3 * * *",
  "*/7 2 * * *",
  "0 9 * JAN,MAR MON-FRI",
  "0 0 L * *",
  "0 0 * * 1#2",
  "5/5 * * * *",
];
/** Instants within a day and a half of a change, at whole seconds or with milliseconds. */
const nearChange = fc
  .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * 3600, max: 36 * 3600 }), fc.integer({ min: 0, max: 999 }), fc.boolean())
  .map(([change, seconds, ms, whole]) => new Date(change + seconds * 1000 + (whole ? 0 : ms)));

const HOUR = 3_600_000;
const farFromChange = (at: Date) => changes.every((c) => Math.abs(at.getTime() - c) > 3 * HOUR);

describe("the same occurrences as cron-parser", () => {
  it("previous occurrence, around DST changes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...expressions), fc.constantFrom(...zones), nearChange, (expression, zone, at) => {
        expect(iso(previousOccurrence(expression, zone, at))).toBe(iso(reference.previous(expression, zone, at)));
      }),
      { numRuns: 200 },
    );
  });

  it("next occurrence: the first instant after that cron-parser's previous counts as one", () => {
    // cron-parser's own next() disagrees with its previous() in a moved or repeated hour (depending on
    // where it starts, it skips the rest of that hour), so within 3 hours of a change the next one is
    // checked against the occurrences its previous() finds, and equal to its next() elsewhere.
    fc.assert(
      fc.property(fc.constantFrom(...expressions), fc.constantFrom(...zones), nearChange, (expression, zone, at) => {
        const next = nextOccurrence(expression, zone, at);
        expect(next).toBeDefined();
        const t = next!.getTime();
        expect(t).toBeGreaterThan(at.getTime());
        expect(reference.previous(expression, zone, next!)?.getTime()).toBe(t);
        const before = reference.previous(expression, zone, new Date(t - 1))?.getTime();
        expect(before === undefined || before <= at.getTime()).toBe(true);
        if (farFromChange(at)) expect(iso(next)).toBe(iso(reference.next(expression, zone, at)));
      }),
      { numRuns: 200 },
    );
  });
});
