/**
 * Runs the `oracle` on a workload: builds its clairvoyant schedule (schedule.ts), checks it, and turns it
 * into the same {@link WorldRecord} the world gives every other policy, billed and scored the same way
 * (per second from launch to stop, one-minute minimum; tasks still alive at the end billed to the end;
 * a message counts with its wait once its processing has started by the end, else with its age).
 *
 * The oracle does not run inside the event-driven world: a world stops a random task on scale-in and hands
 * a message to whichever worker is free, so no policy acting through UpdateService could carry out a
 * schedule that names the task for each message. Its k-th launch takes the k-th draw of the world's
 * startup stream (the same seed and label), so it faces the delays the others face.
 */
import type { Workload } from "../arrivals.ts";
import { drawStartup, type StartupModel } from "../distributions.ts";
import { Rng } from "../rng.ts";
import type { WorldRecord } from "../world.ts";
import {
  billedSeconds,
  checkSchedule,
  type OracleInput,
  type OracleSchedule,
  oracleSchedule,
} from "./schedule.ts";

export interface OracleRunOptions {
  workload: Workload;
  seed: number;
  startup: StartupModel;
  targetWaitSeconds: number;
  concurrency: number;
  maxTasks: number;
  initialTasks: number;
  minimumBilledSeconds: number;
  sampleStepSeconds: number;
}

/** The oracle's record plus the count of messages it could not start within the target. */
export interface OracleRecord extends WorldRecord {
  unavoidable: number;
}

/** Startup delays in launch order, drawn lazily from the world's startup stream. */
function startupDelays(seed: number, model: StartupModel): (k: number) => number {
  const rng = new Rng(seed, "startup");
  const drawn: number[] = [];
  return (k) => {
    while (drawn.length <= k) drawn.push(drawStartup(model, rng));
    return drawn[k]!;
  };
}

/** Schedules, verifies and scores the oracle on a workload. */
export function runOracle(options: OracleRunOptions): OracleRecord {
  const { workload } = options;
  const input: OracleInput = {
    arrivals: workload.arrivalTimes,
    service: workload.serviceTimes,
    targetWaitSeconds: options.targetWaitSeconds,
    concurrency: options.concurrency,
    maxTasks: options.maxTasks,
    initialTasks: options.initialTasks,
    startupDelay: startupDelays(options.seed, options.startup),
    maxStartupSeconds: options.startup.maxSeconds,
    minimumBilledSeconds: options.minimumBilledSeconds,
  };
  const schedule = oracleSchedule(input);
  checkSchedule(input, schedule);
  return toRecord(options, schedule);
}

function toRecord(options: OracleRunOptions, schedule: OracleSchedule): OracleRecord {
  const { workload } = options;
  const end = workload.durationSeconds;
  const waits: number[] = [];
  const pendingAges: number[] = [];
  const waitByArrival = new Float64Array(workload.arrivalTimes.length);
  let processed = 0;
  let workSeconds = 0;
  let left = 0;
  let inFlight = 0;
  for (let i = 0; i < workload.arrivalTimes.length; i++) {
    const a = workload.arrivalTimes[i]!;
    const start = schedule.startAt[i]!;
    if (start > end) {
      pendingAges.push(end - a);
      waitByArrival[i] = end - a;
      left++;
      continue;
    }
    // (a + W) − a can round to a hair above W: a start at the deadline is within the target.
    const wait = start - a;
    waits.push(start <= a + options.targetWaitSeconds ? Math.min(wait, options.targetWaitSeconds) : wait);
    waitByArrival[i] = waits[waits.length - 1]!;
    if (start + workload.serviceTimes[i]! <= end) {
      processed++;
      workSeconds += workload.serviceTimes[i]!;
    } else inFlight++;
  }
  let taskSeconds = 0;
  let launched = 0;
  const changes = new Set<number>();
  for (const task of schedule.tasks) {
    if (task.launchedAt >= end) continue;
    launched++;
    taskSeconds += billedSeconds(
      task.launchedAt,
      Math.min(end, task.stoppedAt),
      options.minimumBilledSeconds,
    );
    if (task.launchedAt > 0) changes.add(Math.floor(task.launchedAt));
    if (task.stoppedAt < end) changes.add(Math.floor(task.stoppedAt));
  }
  return {
    arrived: workload.arrivalTimes.length,
    processed,
    waits: Float64Array.from(waits),
    pendingAges: Float64Array.from(pendingAges),
    waitByArrival,
    workSeconds,
    taskSeconds,
    tasksLaunched: launched,
    updateServiceCalls: changes.size,
    // The schedule stops a task only once it is idle: it never interrupts work.
    interruptedMessages: 0,
    lostWorkSeconds: 0,
    interruptedExtraWaitSeconds: 0,
    drainingTaskSeconds: 0,
    reactionSeconds: null,
    left: { visible: left, inFlight, returning: 0 },
    series: sampleSeries(options, schedule),
    unavoidable: schedule.unavoidable,
  };
}

/** The report's series at each sample time: tasks alive and running, messages not done, oldest wait. */
function sampleSeries(options: OracleRunOptions, schedule: OracleSchedule): WorldRecord["series"] {
  const { workload, sampleStepSeconds: step } = options;
  const samples = Math.ceil(workload.durationSeconds / step);
  const desired = new Float64Array(samples + 1);
  const running = new Float64Array(samples + 1);
  const backlog = new Float64Array(samples + 1);
  const oldestArrival = new Float64Array(samples).fill(Number.POSITIVE_INFINITY);
  // Each interval [from, to) covers the sample times k·step with from ≤ k·step < to.
  const cover = (counts: Float64Array, from: number, to: number) => {
    const first = Math.max(0, Math.ceil(from / step - 1e-9));
    const last = Math.min(samples, Math.ceil(to / step - 1e-9));
    if (first >= last) return;
    counts[first]!++;
    counts[last]!--;
  };
  for (const task of schedule.tasks) {
    cover(desired, task.launchedAt, task.stoppedAt);
    cover(running, task.runningAt, task.stoppedAt);
  }
  for (let i = 0; i < workload.arrivalTimes.length; i++) {
    const a = workload.arrivalTimes[i]!;
    const start = schedule.startAt[i]!;
    cover(backlog, a, start + workload.serviceTimes[i]!);
    const last = Math.min(samples, Math.ceil(start / step - 1e-9));
    for (let k = Math.max(0, Math.ceil(a / step - 1e-9)); k < last; k++) {
      if (a < oldestArrival[k]!) oldestArrival[k] = a;
    }
  }
  const prefix = (counts: Float64Array) => {
    const out: number[] = [];
    let sum = 0;
    for (let k = 0; k < samples; k++) {
      sum += counts[k]!;
      out.push(sum);
    }
    return out;
  };
  const oldestWaitSeconds: number[] = [];
  for (let k = 0; k < samples; k++) {
    const a = oldestArrival[k]!;
    oldestWaitSeconds.push(Number.isFinite(a) ? k * step - a : 0);
  }
  return { desired: prefix(desired), running: prefix(running), backlog: prefix(backlog), oldestWaitSeconds };
}
