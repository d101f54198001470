/** The forecast step of a predictive policy, through `decide`: raise, never lower, dropped on departure, forecastOnly, bounds. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "../../shared/engine/decide.ts";
import type { Forecast } from "../../shared/engine/types.ts";
import { NOW, queueUrl, request } from "./build.ts";

/** A latency-aware queue: 2 s per message, so one task completes 0.5/s; wait target 120 s. */
const trigger = { type: "sqs" as const, queueUrl, targetWaitSeconds: 120, secondsPerMessage: 2 };
const at = "2026-03-02T12:01:00.000Z";

function decideWith(o: { predictive?: "off" | "forecastOnly" | "forecastAndScale"; maxTasks?: number; current: number; measured: number; forecast?: Forecast }) {
  const req = request({
    policy: { maxTasks: o.maxTasks ?? 1000, triggers: [trigger], ...(o.predictive ? { predictive: o.predictive } : {}) },
    service: { desiredCount: o.current },
    // One message visible: no live arrival bound, so the live count is the measured load.
    observations: [{ visible: 1, inFlight: 0, arrivalRate: o.measured, processingRatePerTask: 0.5 }],
  });
  return decide(o.forecast ? { ...req, forecast: o.forecast } : req);
}

describe("a forecastAndScale policy", () => {
  it.each([
    {
      name: "raises the count to what the measured rate plus the profile's rise needs (2 + 3 = 5/s → 10)",
      current: 8,
      measured: 2,
      forecast: { arrivalRate: 5, expectedArrivalRate: 2, at, samples: 3 },
      expected: 10,
      reason: "ForecastRaise",
      says: "raises 4 → 10",
    },
    {
      name: "never lowers the live count: a profile below today's arrivals leaves 12",
      current: 8,
      measured: 6,
      forecast: { arrivalRate: 2, expectedArrivalRate: 2, at, samples: 3 },
      expected: 12,
      reason: "ScaleUp",
      says: "the live count 12 covers it",
    },
    {
      name: "drops the forecast when arrivals are below half of what the profile expected",
      current: 4,
      measured: 0.9,
      forecast: { arrivalRate: 10, expectedArrivalRate: 2, at, samples: 3 },
      expected: 4,
      reason: "ScaleDownStabilized",
      says: "dropped: arrivals 0.90/s are below 50% of the 2/s the profile expected",
    },
    {
      name: "without an expectation for the measured instant, sizes for the profile's rate itself",
      current: 4,
      measured: 2,
      forecast: { arrivalRate: 3, at, samples: 1 },
      expected: 6,
      reason: "ForecastRaise",
      says: "forecast 3/s for 12:01 UTC (1 day of history)",
    },
    {
      name: "bounds win: maximum 9 caps a forecast of 10",
      current: 8,
      measured: 2,
      maxTasks: 9,
      forecast: { arrivalRate: 5, expectedArrivalRate: 2, at, samples: 3 },
      expected: 9,
      reason: "TooManyTasks",
      says: "maximum 9",
    },
  ])("$name", ({ current, measured, forecast, maxTasks, expected, reason, says }) => {
    const d = decideWith({ predictive: "forecastAndScale", current, measured, forecast, ...(maxTasks ? { maxTasks } : {}) });
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
    expect(d.explanation).toContain(says);
  });

  it("with no arrivals measured yet, starts the tasks of the profile's rise from nothing", () => {
    const d = decideWith({ predictive: "forecastAndScale", current: 0, measured: 0, forecast: { arrivalRate: 1.5, expectedArrivalRate: 0, at, samples: 2 } });
    expect([d.desiredCount, d.reason]).toEqual([3, "ForecastRaise"]);
  });
});

describe("forecastOnly and off", () => {
  const forecast = { arrivalRate: 5, expectedArrivalRate: 2, at, samples: 3 };
  it("forecastOnly says what the forecast would ask for and keeps the count without it", () => {
    const d = decideWith({ predictive: "forecastOnly", current: 8, measured: 2, forecast });
    const without = decideWith({ predictive: "forecastOnly", current: 8, measured: 2 });
    expect([d.desiredCount, d.reason]).toEqual([without.desiredCount, without.reason]);
    expect(d.explanation).toContain("forecast would ask for 10 (forecastOnly)");
  });

  it("off (the default) ignores a forecast and does not mention it", () => {
    const d = decideWith({ current: 8, measured: 2, forecast });
    expect(d.desiredCount).toBe(decideWith({ current: 8, measured: 2 }).desiredCount);
    expect(d.explanation).not.toContain("forecast");
  });
});

describe("properties", () => {
  const input = fc.record({
    current: fc.nat({ max: 40 }),
    measured: fc.double({ min: 0, max: 30, noNaN: true }),
    maxTasks: fc.integer({ min: 1, max: 60 }),
    arrivalRate: fc.double({ min: 0, max: 30, noNaN: true }),
    expected: fc.option(fc.double({ min: 0, max: 30, noNaN: true }), { nil: undefined }),
  });
  const forecastOf = (i: { arrivalRate: number; expected: number | undefined }): Forecast => ({
    arrivalRate: i.arrivalRate,
    ...(i.expected !== undefined ? { expectedArrivalRate: i.expected } : {}),
    at,
    samples: 2,
  });

  it("with a forecast the count is never below the count without it (same bounds)", () => {
    fc.assert(
      fc.property(input, (i) => {
        const base = { predictive: "forecastAndScale" as const, current: i.current, measured: i.measured, maxTasks: i.maxTasks };
        const withForecast = decideWith({ ...base, forecast: forecastOf(i) });
        const without = decideWith(base);
        expect(withForecast.desiredCount).toBeGreaterThanOrEqual(without.desiredCount);
        expect(withForecast.desiredCount).toBeLessThanOrEqual(i.maxTasks);
      }),
      { numRuns: 300 },
    );
  });

  it("with forecastOnly the count equals the count without a forecast", () => {
    fc.assert(
      fc.property(input, (i) => {
        const base = { predictive: "forecastOnly" as const, current: i.current, measured: i.measured, maxTasks: i.maxTasks };
        expect(decideWith({ ...base, forecast: forecastOf(i) }).desiredCount).toBe(decideWith(base).desiredCount);
      }),
      { numRuns: 300 },
    );
  });
});

void NOW;
