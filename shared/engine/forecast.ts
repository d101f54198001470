/**
 * The forecast step of `decide`, after the proposals (docs/predictive.md): with `predictive` on, the
 * forecast arrival rate the runtime computed from the queue's learned daily profile gives a count by
 * the same latency model as the live queue (latency.ts: load = λ / μ, the live backlog drained within
 * the horizon), with λ the arrivals forecast for one startup from now: the measured rate plus the rise
 * the profile expects by then ({@link forecastArrivals}). `forecastAndScale` raises the count
 * to it; the live proposal stays a floor (the count is the larger of the two) and the bounds still win
 * afterwards. `forecastOnly` computes the same number and only says it.
 *
 * Dropped at once when reality departs from it: when the measured arrival rate is below
 * {@link forecastDepartureRatio} of what the profile expected for the instant that rate describes, the
 * day is not going as the profile's days went (a holiday, an outage upstream) and the forecast is
 * ignored. Only judged when the profile expected at least one task's load: below it, a minute's noise
 * decides the ratio. Pure.
 */
import { latencyAwareTasks } from "./latency.ts";
import { type ExplainedProposal, estimatedRates } from "./triggers.ts";
import type { Forecast, Observation, Policy, ServiceState, SqsTrigger } from "./types.ts";

/** Measured arrivals below this fraction of the profile's expectation drop the forecast. */
export const forecastDepartureRatio = 0.5;

export type ForecastStep =
  /** Nothing to say: predictive off, or no forecast given. */
  | { kind: "none" }
  /** Not applied (dropped, or forecastOnly); the explanation says why and what it would have asked. */
  | { kind: "ignored"; explanation: string }
  /** forecastAndScale: the count the forecast arrivals need; `active` when that is at least a task's load. */
  | { kind: "raise"; tasks: number; active: boolean; explanation: string };

/** The forecast's count for this decision, or why it does not apply. */
export function forecastStep(
  policy: Policy,
  service: ServiceState,
  observations: readonly Observation[],
  proposals: readonly ExplainedProposal[],
  forecast: Forecast | undefined,
): ForecastStep {
  if (policy.predictive === "off" || forecast === undefined) return { kind: "none" };
  const index = policy.triggers.findIndex((t) => t.type === "sqs" && t.targetWaitSeconds !== undefined);
  const trigger = policy.triggers[index] as SqsTrigger | undefined;
  const observation = observations[index];
  if (!trigger || trigger.targetWaitSeconds === undefined || !observation)
    return { kind: "ignored", explanation: "forecast ignored: no sqs trigger with a wait target" };
  if (observation.error !== undefined)
    return { kind: "ignored", explanation: `forecast ignored: sqs[${index}] read failed` };
  const rates = estimatedRates(trigger, trigger.targetWaitSeconds, observation);
  const mu = rates.processingRatePerTask;
  const lambda = forecastArrivals(observation.arrivalRate, forecast);
  const latency = latencyAwareTasks({
    backlog: proposals[index]?.backlog ?? 0,
    arrivalRate: lambda.rate,
    processingRatePerTask: mu,
    targetWaitSeconds: trigger.targetWaitSeconds,
    ...(service.startupSeconds !== undefined ? { startupSeconds: service.startupSeconds } : {}),
    ratesMeasured: rates.note === undefined,
  });
  const tasks = latency.tasks;
  const what = `forecast ${lambda.how} for ${forecast.at.slice(11, 16)} UTC (${forecast.samples} day${forecast.samples === 1 ? "" : "s"} of history) at ${fmt(mu)}/s per task → ${tasks}`;
  const departure = departed(observation.arrivalRate, forecast.expectedArrivalRate, mu);
  if (departure) return { kind: "ignored", explanation: `${what}, dropped: ${departure}` };
  if (policy.predictive === "forecastOnly")
    return { kind: "ignored", explanation: `${what}: forecast would ask for ${tasks} (forecastOnly)` };
  return { kind: "raise", tasks, active: lambda.rate >= mu, explanation: what };
}

/**
 * The arrivals to size for: the measured rate plus the rise the profile expects from the instant that
 * rate describes to the forecast's instant, so the day's own level counts and only the profile's shape
 * is forecast (a quieter day than the profile's is not sized to the profile, a falling profile adds
 * nothing). Without a measured rate or an expectation for it, the profile's rate itself.
 */
export function forecastArrivals(
  measured: number | undefined,
  forecast: Forecast,
): { rate: number; how: string } {
  const expected = forecast.expectedArrivalRate;
  if (measured === undefined || expected === undefined)
    return { rate: forecast.arrivalRate, how: `${fmt(forecast.arrivalRate)}/s` };
  const rise = Math.max(0, forecast.arrivalRate - expected);
  return {
    rate: measured + rise,
    how: `${fmt(measured + rise)}/s (arrivals ${fmt(measured)}/s + the profile's rise ${fmt(expected)} → ${fmt(forecast.arrivalRate)}/s)`,
  };
}

/** Why the measured rate departs from the profile's expectation, or undefined when it does not (or cannot tell). */
function departed(
  measured: number | undefined,
  expected: number | undefined,
  mu: number,
): string | undefined {
  if (measured === undefined || expected === undefined || expected < mu) return undefined;
  if (measured >= forecastDepartureRatio * expected) return undefined;
  return `arrivals ${fmt(measured)}/s are below ${100 * forecastDepartureRatio}% of the ${fmt(expected)}/s the profile expected`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
