/**
 * The queue's arrival profile, kept in the service's state record for predictive scaling
 * (docs/predictive.md), and the forecast made from it. Pure.
 *
 * - Slots: 30 minutes of a UTC day, weekdays (Monday–Friday) and weekend days apart: 96 slots. A
 *   weekly cycle shows on most queues (NASA's 1995 web traffic on weekends was about half its weekday
 *   traffic), an hour-of-week profile would need a week of history before its first forecast.
 * - Each slot holds the smoothed mean arrival rate of its past days, in messages per minute (three
 *   significant digits), and how many days it has seen (one digit, at most 9). A day's value joins the
 *   slot once the slot has ended, weighted 1 / (days + 1) for the first days, then
 *   {@link PROFILE_SMOOTHING}: recent weeks count most, one odd day moves the slot a third of the way.
 * - Within a slot the runtime sums the measured arrival rate at most once per minute (`a`): the record
 *   then changes only when a new minute's rate exists, as its carried CloudWatch datapoints do, so the
 *   profile forces no state write of its own on the other passes. A slot seen for fewer than
 *   {@link MIN_SLOT_MINUTES} minutes (the evaluator stopped, metrics missing) is left out.
 * - Size: about 550 bytes in DynamoDB (96 short numbers, a 96-character string, the accumulator).
 *
 * The forecast for an instant is its slot's rate, once the slot has {@link MIN_FORECAST_DAYS} day(s)
 * of history; the slot's value is always from earlier days, since today's joins only after it ends.
 */
import type { Forecast } from "../engine/types.ts";
import type { ArrivalProfile } from "../ports/state-store.ts";

export type { ArrivalProfile };

/** Minutes per slot. */
export const PROFILE_SLOT_MINUTES = 30;
/** Slots per day, and in all (weekdays, then weekend days). */
export const SLOTS_PER_DAY = (24 * 60) / PROFILE_SLOT_MINUTES;
export const PROFILE_SLOTS = 2 * SLOTS_PER_DAY;
/** Weight of a new day in a slot once it has a few: about the last three weeks count. */
export const PROFILE_SMOOTHING = 1 / 3;
/** A slot's day counts only with at least this many minutes of measured arrival rate. */
export const MIN_SLOT_MINUTES = 10;
/** Days of history a slot needs before it forecasts (24 h: as AWS predictive scaling requires). */
export const MIN_FORECAST_DAYS = 1;
/** The most days a slot counts (its counter is one digit). */
const MAX_DAYS = 9;

const slotMs = PROFILE_SLOT_MINUTES * 60_000;

/** The profile slot of an absolute time: its half hour of the UTC day, on a weekday or a weekend day. */
export function slotOf(atMs: number): number {
  const d = new Date(atMs);
  const day = d.getUTCDay();
  const weekend = day === 0 || day === 6;
  const inDay = Math.floor((d.getUTCHours() * 60 + d.getUTCMinutes()) / PROFILE_SLOT_MINUTES);
  return (weekend ? SLOTS_PER_DAY : 0) + inDay;
}

/** An empty profile. */
export function emptyProfile(): ArrivalProfile {
  return {
    g: PROFILE_SLOT_MINUTES,
    r: new Array<number>(PROFILE_SLOTS).fill(0),
    n: "0".repeat(PROFILE_SLOTS),
  };
}

/** Whether a stored value is a profile of this grain and shape (anything else starts afresh). */
export function isCurrentProfile(p: ArrivalProfile | undefined): p is ArrivalProfile {
  return (
    p !== undefined &&
    p.g === PROFILE_SLOT_MINUTES &&
    p.r.length === PROFILE_SLOTS &&
    p.n.length === PROFILE_SLOTS &&
    /^[0-9]*$/.test(p.n)
  );
}

/**
 * The profile after this pass's measured arrival rate (messages per second) for the minute at `atMs`:
 * added to the current slot's sum once per minute; a later slot first folds the one measured into its
 * day. Unchanged (the same object) when there is no rate or the minute was already counted.
 */
export function updateProfile(
  stored: ArrivalProfile | undefined,
  arrivalRate: number | undefined,
  atMs: number,
): ArrivalProfile {
  const profile = isCurrentProfile(stored) ? stored : emptyProfile();
  if (arrivalRate === undefined || !Number.isFinite(arrivalRate) || arrivalRate < 0) return profile;
  const minute = Math.floor(atMs / 60_000);
  const slot = Math.floor(atMs / slotMs);
  const acc = profile.a;
  if (acc && (slot < acc.s || (slot === acc.s && minute <= acc.m))) return profile;
  const base = acc && slot > acc.s ? folded(profile, acc) : profile;
  const current = acc && slot === acc.s ? acc : { s: slot, sum: 0, k: 0, m: minute };
  return {
    ...base,
    a: { s: slot, sum: Math.round((current.sum + arrivalRate * 60) * 10) / 10, k: current.k + 1, m: minute },
  };
}

/** The profile with a finished slot's day added to its slot (when it was measured long enough). */
function folded(profile: ArrivalProfile, acc: NonNullable<ArrivalProfile["a"]>): ArrivalProfile {
  const { a: _, ...rest } = profile;
  if (acc.k < MIN_SLOT_MINUTES) return rest;
  const i = slotOf(acc.s * slotMs);
  const days = Number(profile.n[i]);
  const mean = acc.sum / acc.k;
  const weight = Math.max(1 / (days + 1), PROFILE_SMOOTHING);
  const r = profile.r.slice();
  r[i] = round3(days === 0 ? mean : r[i]! + weight * (mean - r[i]!));
  const n = `${profile.n.slice(0, i)}${Math.min(MAX_DAYS, days + 1)}${profile.n.slice(i + 1)}`;
  return { ...rest, r, n };
}

/** The profile's rate for an instant, messages per second, with its days; undefined without enough history. */
export function profileRate(
  profile: ArrivalProfile | undefined,
  atMs: number,
): { arrivalRate: number; samples: number } | undefined {
  if (!isCurrentProfile(profile)) return undefined;
  const i = slotOf(atMs);
  const samples = Number(profile.n[i]);
  if (samples < MIN_FORECAST_DAYS) return undefined;
  return { arrivalRate: profile.r[i]! / 60, samples };
}

/**
 * The engine's forecast input: the profile's rate one startup from `now` (a task asked for now works
 * from then), and its rate for the instant the measured arrival rate describes (for the departure
 * check). Undefined while that slot has too little history.
 */
export function forecastOf(
  profile: ArrivalProfile | undefined,
  nowMs: number,
  startupSeconds: number,
  measuredAtMs: number | undefined,
): Forecast | undefined {
  const atMs = nowMs + startupSeconds * 1000;
  const ahead = profileRate(profile, atMs);
  if (!ahead) return undefined;
  const expected = measuredAtMs === undefined ? undefined : profileRate(profile, measuredAtMs);
  return {
    arrivalRate: round3(ahead.arrivalRate),
    at: new Date(atMs).toISOString(),
    ...(expected ? { expectedArrivalRate: round3(expected.arrivalRate) } : {}),
    samples: ahead.samples,
  };
}

/** Three significant digits: enough for a rate, short to store. */
function round3(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(3));
}
