/** The arrival profile kept in the state record, and the forecast made from it (pure). */
import { describe, expect, it } from "vitest";
import { forecastOf, profileRate, slotOf, updateProfile } from "../../shared/runtime/arrival-profile.ts";

const monday9 = Date.parse("2026-03-02T09:00:00Z");
const minute = 60_000;
const day = 86_400_000;

/** A profile fed `rate` msg/s every minute of the 09:00–09:30 slot on `days` consecutive weekdays, then one minute after. */
function fed(rates: number[]) {
  let p = updateProfile(undefined, undefined, monday9);
  rates.forEach((rate, d) => {
    for (let m = 0; m < 30; m++) p = updateProfile(p, rate, monday9 + d * day + m * minute);
  });
  return updateProfile(p, 0, monday9 + (rates.length - 1) * day + 31 * minute);
}

describe("the arrival profile", () => {
  it("files weekdays and weekend days apart, per half hour of the UTC day", () => {
    expect(slotOf(monday9)).toBe(18);
    expect(slotOf(Date.parse("2026-03-07T09:00:00Z"))).toBe(48 + 18);
  });

  it("has no forecast before a slot has seen a whole earlier day", () => {
    let p = updateProfile(undefined, 2, monday9);
    for (let m = 1; m < 30; m++) p = updateProfile(p, 2, monday9 + m * minute);
    expect(profileRate(p, monday9 + day)).toBeUndefined();
  });

  it("learns a slot's mean rate once the slot ends, then smooths later days in", () => {
    expect(profileRate(fed([2]), monday9 + day)).toEqual({ arrivalRate: 2, samples: 1 });
    expect(profileRate(fed([2, 4]), monday9 + 2 * day)).toEqual({ arrivalRate: 3, samples: 2 });
  });

  it("counts a minute once and changes nothing on the other passes of that minute", () => {
    const p = updateProfile(undefined, 2, monday9);
    expect(updateProfile(p, 5, monday9 + 10_000)).toBe(p);
  });

  it("forecasts one startup ahead, with the profile's rate for the measured minute", () => {
    const p = fed([2]);
    const f = forecastOf(p, monday9 + day - 30_000, 60, monday9 + day - 2 * minute);
    expect(f).toEqual({ arrivalRate: 2, at: "2026-03-03T09:00:30.000Z", samples: 1 });
  });

  it("stays small: a week of history is well under a kilobyte of JSON", () => {
    let p = updateProfile(undefined, undefined, monday9);
    for (let m = 0; m < 7 * 1440; m += 1) p = updateProfile(p, 12.345 + (m % 7), monday9 + m * minute);
    expect(JSON.stringify(p).length).toBeLessThan(1024);
  });
});
