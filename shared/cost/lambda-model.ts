/**
 * The parts of the bill that are not port calls, modelled from how the deployment runs (serverless.yml,
 * infra/scheduler.yml, infra/observability.yml):
 *
 * - The evaluator is invoked once a minute by an EventBridge Scheduler schedule and runs a pass every
 *   `intervalSeconds` inside that one invocation until 2 s before the next tick: passes start at
 *   0, I, 2I, … while k·I < 58 s, so the invocation is billed from the tick to the end of its last pass
 *   (50 s + a pass at 10 s cadence, one pass at 60 s). Lambda bills that time, sleep included, at the
 *   function's memory: a fixed cost per deployment, whatever the number of services.
 * - A pass takes longer with more services; only the last pass of a tick adds to the billed time (the
 *   earlier ones shorten the sleeps), so a service adds {@link lambdaModel.passSecondsPerService}.
 * - The task-events function runs once per ECS event of a service (a task reaching RUNNING, …).
 *
 * The pass and event durations are assumptions (API round trips of about 10–100 ms, measured on no
 * account); the memory sizes are the deployed ones (a test reads serverless.yml).
 */
import { emptyUsage, type Usage } from "./own-bill.ts";

export const lambdaModel = {
  /** serverless.yml: functions.evaluate.memorySize 256 MB. */
  evaluatorMemoryGb: 256 / 1024,
  /** serverless.yml: functions.task-events.memorySize 256 MB. */
  taskEventsMemoryGb: 256 / 1024,
  /** infra/scheduler.yml: rate(1 minute). */
  tickSeconds: 60,
  /** shared/runtime/evaluator-loop.ts: LOOP_MARGINS.beforeNextTickMs. */
  stopBeforeNextTickSeconds: 2,
  /** A pass's fixed part: the first calls' round trips, Powertools' flush (assumed). */
  passBaseSeconds: 0.3,
  /**
   * What one more service adds to a pass (assumed): DescribeServices by 10 at 4 in flight, its queue
   * read (8 in flight), its state load (8) and save (4), at 20–50 ms a call.
   */
  passSecondsPerService: 0.009,
  /** One ECS event handled by a warm task-events function: a load, a save, maybe a pass (assumed). */
  taskEventBilledSeconds: 0.1,
  /** Lambda's START, END and REPORT lines of one invocation. */
  invocationLogBytes: 350,
  /** infra/observability.yml: the evaluator errors and stalled, task-events errors and failed-events alarms. */
  deploymentAlarms: 4,
  /** infra/observability.yml: one dashboard. */
  dashboards: 1,
  /** infra/lib/observability.ts: one crash-loop alarm per configured service. */
  alarmsPerService: 1,
  /**
   * The evaluator's `ServicesNotEvaluated`, published every pass (the health alarm's metric). Failures
   * and event signals are published only when they happen, and Powertools' ColdStart metric is off.
   */
  deploymentMetrics: 1,
} as const;

/** When the last pass of a tick starts, seconds after the tick. */
export function lastPassStartSeconds(intervalSeconds: number): number {
  const until = lambdaModel.tickSeconds - lambdaModel.stopBeforeNextTickSeconds;
  return intervalSeconds * Math.floor((until - 1e-9) / intervalSeconds);
}

/** Passes one tick's invocation runs. */
export function passesPerTick(intervalSeconds: number): number {
  return lastPassStartSeconds(intervalSeconds) / intervalSeconds + 1;
}

/**
 * The deployment's fixed usage over `seconds`: the evaluator's invocations and billed time (without
 * the services' share), the scheduler's ticks, its log lines, the deployment's alarms, dashboard and
 * shared metrics (`sharedMetrics`: distinct metrics without a per-service dimension, e.g. decisions by
 * reason, counted by the caller).
 */
export function fixedUsage(intervalSeconds: number, seconds: number, sharedMetrics: number): Usage {
  const ticks = seconds / lambdaModel.tickSeconds;
  const billed = lastPassStartSeconds(intervalSeconds) + lambdaModel.passBaseSeconds;
  return {
    ...emptyUsage(seconds),
    lambdaInvocations: ticks,
    lambdaGbSeconds: ticks * billed * lambdaModel.evaluatorMemoryGb,
    schedulerInvocations: ticks,
    logBytes: ticks * lambdaModel.invocationLogBytes,
    customMetrics: sharedMetrics + lambdaModel.deploymentMetrics,
    alarms: lambdaModel.deploymentAlarms,
    dashboards: lambdaModel.dashboards,
  };
}

/**
 * One service's Lambda usage over `seconds`: its share of the last pass of every tick, and the
 * task-events invocations its `events` caused.
 */
export function serviceLambdaUsage(seconds: number, events: number): Usage {
  const ticks = seconds / lambdaModel.tickSeconds;
  return {
    ...emptyUsage(seconds),
    lambdaInvocations: events,
    lambdaGbSeconds:
      ticks * lambdaModel.passSecondsPerService * lambdaModel.evaluatorMemoryGb +
      events * lambdaModel.taskEventBilledSeconds * lambdaModel.taskEventsMemoryGb,
    logBytes: events * lambdaModel.invocationLogBytes,
    awsServiceEvents: events,
    alarms: lambdaModel.alarmsPerService,
  };
}

/** Two usages over the same span, added. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof Usage)[]) {
    if (key !== "seconds") sum[key] = a[key] + b[key];
  }
  return sum;
}
