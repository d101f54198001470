/**
 * Learning a service's task startup time from its own events: createdAt → startedAt of each task that
 * reaches RUNNING. The latency-aware policy uses it to know how long new capacity takes to arrive. Pure.
 */
import type { ServiceRecord } from "../ports/state-store.ts";

type Learned = ServiceRecord["learned"];

/** Samples averaged plainly before the moving average takes over (a fast, unbiased start). */
export const STARTUP_WARMUP_SAMPLES = 5;
/** Weight of a new sample once warmed up: recent tasks count most, one outlier moves little. */
export const STARTUP_SMOOTHING = 0.2;
/**
 * A sample beyond this is not a start-up but a task that waited for capacity (PENDING on a full
 * cluster) or a bad event: Fargate and EC2 tasks start in seconds to a few minutes, even with a large
 * image to pull.
 */
export const STARTUP_MAX_SECONDS = 900;
/** A task that started longer ago than this says nothing about how the service starts today. */
export const STARTUP_SAMPLE_MAX_AGE_SECONDS = 3600;

/**
 * Seconds from createdAt to startedAt, or undefined when the pair is missing or implausible: outside
 * 0–{@link STARTUP_MAX_SECONDS}, or started more than {@link STARTUP_SAMPLE_MAX_AGE_SECONDS} before
 * `now` (a replayed or very late event).
 */
export function startupSample(
  createdAt: string | undefined,
  startedAt: string | undefined,
  now: Date,
): number | undefined {
  if (createdAt === undefined || startedAt === undefined) return undefined;
  const started = Date.parse(startedAt);
  if (!(now.getTime() - started <= STARTUP_SAMPLE_MAX_AGE_SECONDS * 1000)) return undefined;
  const seconds = (started - Date.parse(createdAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= STARTUP_MAX_SECONDS ? seconds : undefined;
}

/** The learned values with one more startup sample folded in. */
export function learnStartup(learned: Learned, sample: number): Learned {
  const samples = (learned.startupSamples ?? 0) + 1;
  // A value learned before samples were bounded may be above the bound: it restarts from the bound.
  const previous =
    learned.startupSeconds === undefined ? undefined : Math.min(learned.startupSeconds, STARTUP_MAX_SECONDS);
  const startupSeconds =
    previous === undefined
      ? sample
      : samples <= STARTUP_WARMUP_SAMPLES
        ? previous + (sample - previous) / samples
        : previous + STARTUP_SMOOTHING * (sample - previous);
  return { ...learned, startupSeconds: round(startupSeconds), startupSamples: samples };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
