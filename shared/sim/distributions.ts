/**
 * The simulator's random quantities and their defaults (sources in docs/simulator.md):
 *  - service time per message: exponential by default; `heavy-tail` is Pareto with shape 2.2 (finite
 *    variance, coefficient of variation 1.5, a one-in-a-million message ≈ 290× the mean); `constant`;
 *  - task startup (UpdateService → RUNNING): uniform 30–90 s, the Fargate range users report
 *    ("60-90s", "around 60 seconds", 57 s average for a 413 MB image).
 */
import type { Rng } from "./rng.ts";

export const serviceDistributions = ["exponential", "heavy-tail", "constant"] as const;
export type ServiceDistribution = (typeof serviceDistributions)[number];

/**
 * Pareto shape of the heavy-tail option: heavy yet finite variance. Quantile q of a Pareto with mean m is
 * m·(α−1)/α·(1−q)^(−1/α): a 1-in-a-million message ≈ 290× the mean, the largest of 72,000 ≈ 90×.
 */
export const heavyTailShape = 2.2;

export interface ServiceTimeModel {
  distribution: ServiceDistribution;
  meanSeconds: number;
}

/** Draws one message's service time. */
export function drawServiceTime(model: ServiceTimeModel, rng: Rng): number {
  switch (model.distribution) {
    case "exponential":
      return rng.exponential(model.meanSeconds);
    case "heavy-tail":
      return rng.pareto(heavyTailShape, model.meanSeconds);
    case "constant":
      return model.meanSeconds;
  }
}

/** Task startup delay: uniform between min and max seconds (equal for a fixed delay). */
export interface StartupModel {
  minSeconds: number;
  maxSeconds: number;
}

/** Fargate-like default: 30–90 s. */
export const defaultStartup: StartupModel = { minSeconds: 30, maxSeconds: 90 };

export function drawStartup(model: StartupModel, rng: Rng): number {
  return model.minSeconds === model.maxSeconds
    ? model.minSeconds
    : rng.uniform(model.minSeconds, model.maxSeconds);
}

/** Parses `--startup`: `45` (fixed) or `30-90` (uniform range), seconds. Undefined when malformed. */
export function parseStartup(text: string): StartupModel | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*s?\s*$/.exec(text);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return max >= min ? { minSeconds: min, maxSeconds: max } : undefined;
}
