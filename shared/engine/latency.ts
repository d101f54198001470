/**
 * The latency-aware queue model: how many tasks keep messages within `targetWaitSeconds`, from the
 * measured arrival rate, the measured processing rate per task and the learned task startup time —
 * instead of a static backlog-per-task ratio. Pure.
 *
 * Model (documented in docs/simulator.md):
 *  - steady capacity: arrivals must be served at a utilization of at most `targetUtilization`,
 *    so `arrivalRate / (ratePerTask × targetUtilization)` tasks;
 *  - drain: the backlog must be worked off within the part of the target wait that is left once new
 *    tasks have started (`targetWait − startup`, never less than a quarter of the target wait, since
 *    a slow start only makes draining more urgent), so `backlog / (ratePerTask × horizon)` more tasks.
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

/** Utilization the steady part is sized for: queueing delay grows without bound as it nears 1. */
export const targetUtilization = 0.85;

/** Tasks needed to keep messages within the target wait; see the module comment for the model. */
export function latencyAwareTasks(input: LatencyInput): LatencyProposal {
  const { backlog, arrivalRate, processingRatePerTask: mu, targetWaitSeconds: wait, startupSeconds } = input;
  const steady = arrivalRate / (mu * targetUtilization);
  const horizon = Math.max(wait - startupSeconds, wait / 4);
  const drain = backlog / (mu * horizon);
  const tasks = Math.ceil(steady + drain - 1e-9);
  return {
    tasks,
    explanation:
      `arrivals ${round(arrivalRate)}/s at ${round(mu)}/s per task (≤${targetUtilization * 100}% busy) → ${round(steady)}` +
      ` + backlog ${backlog} drained in ${round(horizon)} s → ${round(drain)} = ${tasks}`,
  };
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
