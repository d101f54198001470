/**
 * The largest run the simulator takes, checked from the trace or scenario before anything per message is
 * allocated, so an impossible run is refused at once with the limit named instead of failing after
 * minutes (out of heap) or at an array allocation (`RangeError`). Measured: 3.6 million messages take
 * about 9 s and 530 MB for all five policies; the limits keep a run within about half a minute and 1.5 GB.
 */

/** Messages one run may simulate (each policy replays all of them). */
export const maxMessages = 10_000_000;
/** Simulated time of one run: 31 days (ecs-autoscaler evaluates every few seconds of it). */
export const maxDurationSeconds = 31 * 86_400;
/** Mean processing time of one message: a day. */
export const maxServiceSeconds = 86_400;
/** Target wait: a day. */
export const maxTargetWaitSeconds = 86_400;
/** Task startup: an hour. */
export const maxStartupSeconds = 3600;
/** Tasks per policy (`--max-tasks`, or twice the peak need + 10 when not given). */
export const maxTasksLimit = 10_000;
/** Messages one task works on at once. */
export const maxConcurrency = 1000;
/** KEDA's queueLength, messages per replica. */
export const maxKedaQueueLength = 1_000_000;

/** A run over a limit; the message names the option (or file) that drove it and the limit. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitError";
  }
}

/** Writes a count compactly: 1,234,567 below a billion, 4.1e13 from there. */
export function formatCount(n: number): string {
  if (n < 1e9) return Math.round(n).toLocaleString("en-US");
  return exponential(n);
}

/** Writes an option's value as a user would type it: 0.25, 86400, 1e9, 9.9e-6. */
export function formatNumber(n: number): string {
  if (n !== 0 && (Math.abs(n) >= 1e6 || Math.abs(n) < 1e-3)) return exponential(n);
  return String(n);
}

function exponential(n: number): string {
  return n.toExponential(1).replace(".0e", "e").replace("e+", "e");
}
