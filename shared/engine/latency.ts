/**
 * The latency-aware queue model: how many tasks keep messages within `targetWaitSeconds`, from the
 * measured arrival rate, the measured processing rate per task and the learned task startup time —
 * instead of a static backlog-per-task ratio. Pure. docs/simulator.md explains it with the numbers.
 *
 * With λ the arrival rate, μ what one busy task completes per second, W the target wait, S the startup
 * time, B the backlog (visible + in flight):
 *  - horizon H = max(W − S, W / 4): a task asked for now works only after S, so the backlog must be
 *    worked off in what is left of the target wait (never less than a quarter of it: a slow start makes
 *    draining more urgent, not impossible);
 *  - steady = λ / μ: the offered load, the tasks that keep up with arrivals;
 *  - noise = z · √(λ / H) / μ with z = 2.33: Poisson arrivals over H vary by √(λH) messages; absorbing
 *    that excess at the 99th percentile within H takes this many more tasks. It shrinks relative to the
 *    load as the load grows (square-root staffing), so big services run hot and small ones keep a margin;
 *  - drain = B / (μ · H): the tasks that work off the current backlog within the horizon;
 *  - tasks = ⌈steady + noise + drain⌉.
 * Why not a target utilization: with a wait target many times the processing time, queueing delay at
 * steady load is negligible until utilization is close to 1 (an M/M/n queue's wait tail falls as
 * e^−(n−λ/μ)μt); what breaks the target is load the tasks cannot absorb before new ones start, which is
 * what the noise and drain terms size.
 */

export interface LatencyInput {
  backlog: number;
  /** Messages arriving per second (0 when unknown). */
  arrivalRate: number;
  /** Messages one busy task completes per second. */
  processingRatePerTask: number;
  targetWaitSeconds: number;
  /** Time from UpdateService to a running task (learned); 0 when unknown. */
  startupSeconds: number;
}

export interface LatencyProposal {
  tasks: number;
  explanation: string;
}

/** Normal quantile of the arrival noise the steady part absorbs (99th percentile). */
export const noiseQuantile = 2.33;

/** The horizon within which the backlog must be worked off: what the target wait leaves after startup. */
export function drainHorizon(targetWaitSeconds: number, startupSeconds: number): number {
  return Math.max(targetWaitSeconds - startupSeconds, targetWaitSeconds / 4);
}

/** Tasks needed to keep messages within the target wait; see the module comment for the model. */
export function latencyAwareTasks(input: LatencyInput): LatencyProposal {
  const { backlog, arrivalRate, processingRatePerTask: mu, targetWaitSeconds: wait, startupSeconds } = input;
  const lambda = Math.max(0, arrivalRate);
  const horizon = drainHorizon(wait, startupSeconds);
  const steady = lambda / mu;
  const noise = (noiseQuantile * Math.sqrt(lambda / horizon)) / mu;
  const drain = Math.max(0, backlog) / (mu * horizon);
  const tasks = Math.max(0, Math.ceil(steady + noise + drain - 1e-9));
  return {
    tasks,
    explanation:
      `arrivals ${round(lambda)}/s at ${round(mu)}/s per task → ${round(steady)} + noise margin ${round(noise)}` +
      ` + backlog ${backlog} drained in ${round(horizon)} s → ${round(drain)} = ${tasks}`,
  };
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
