/**
 * The parts of the bill that are not port calls, modelled from how the deployment runs (serverless.yml,
 * infra/scheduler.yml, infra/pass-queue.yml, infra/observability.yml):
 *
 * - An EventBridge Scheduler schedule invokes the evaluator once a minute. That invocation runs the
 *   minute's first pass and sends the minute's later passes (at I, 2I, … while before 2 s ahead of the
 *   next tick, as the evaluator loop would start them) to the pass queue in one SendMessageBatch per
 *   10 messages, each delayed until it is due. The pass queue's SQS event source mapping invokes the
 *   evaluator once per message. So a tick makes {@link passesPerTick} invocations, each billed for its
 *   own pass only: {@link lambdaModel.passBaseSeconds} of fixed work, plus
 *   {@link lambdaModel.passSecondsPerService} per service. Lambda no longer bills the sleep between
 *   passes.
 * - A fleet beyond {@link lambdaModel.servicesPerShard} services is sharded: every pass is one message
 *   (one invocation) per shard, shard 0's first pass being the tick's own ({@link shardUsage}).
 * - SQS requests: per tick the SendMessageBatch calls; per message the mapping's ReceiveMessage that
 *   returned it and its DeleteMessage (batch size 1: one DeleteMessageBatch of one); and the mapping's
 *   polling of the queue when it is empty, which it does whatever the traffic. AWS documents that the
 *   mapping long-polls a standard queue and keeps at least five concurrent pollers when maximum
 *   concurrency is set (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: the
 *   scale-down to two pollers "is not available when you enable the maximum concurrency setting"), and
 *   a long poll waits at most 20 s
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html).
 *   The model assumes five pollers each polling back to back for 20 s: 15 ReceiveMessage requests a
 *   minute (648,000 a month, $0.26), an assumption AWS does not state as such; the per-message
 *   receives come on top.
 * - The task-events function runs once per ECS event of a service (a task reaching RUNNING, …).
 *
 * The pass and event durations are assumptions (API round trips of about 10–100 ms, measured on no
 * account); so is that every invocation finds a warm container (Lambda also bills a cold start's init,
 * which at two mapping invocations at most plus the tick's happens a few times a day, not per pass).
 * The memory sizes are the deployed ones (a test reads serverless.yml).
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
  /** functions/evaluate/shards.ts: SERVICES_PER_SHARD (a test checks they agree). */
  servicesPerShard: 250,
  /** Entries per SendMessageBatch call: SQS's maximum. */
  sendBatchEntries: 10,
  /** The pass queue mapping's pollers and their long-poll wait, seconds (assumed; see above). */
  mappingPollers: 5,
  longPollSeconds: 20,
  /** SQS requests per delivered message besides the idle polling: its ReceiveMessage and DeleteMessage. */
  requestsPerMessage: 2,
  /** One ECS event handled by a warm task-events function: a load, a save, maybe a pass (assumed). */
  taskEventBilledSeconds: 0.1,
  /** Lambda's START, END and REPORT lines of one invocation. */
  invocationLogBytes: 350,
  /**
   * The `usage` line each function writes at most once a minute (functions/lib/usage-log.ts:
   * Powertools' fields, about 330 bytes, and the counts, about 150); counted as every minute for both.
   */
  usageLineBytesPerMinute: 2 * 480,
  /**
   * The alarms every deployment has (a test counts them in the packaged template): infra/observability.yml's
   * evaluator errors, task-events errors and failed events; infra/lib/health-alarms.ts's services
   * not evaluated (which also fires when no pass runs at all), runtime failures, init failed and
   * pass-queue backlog; infra/lib/observability.ts's
   * crash-loop guard over every service. The two Metrics Insights alarms (runtime failures, crash-loop
   * guard) are priced here as one metric each: their metrics are published only when a failure or a
   * trip happens. Spot fallback alarms (per Spot service) are not counted.
   */
  deploymentAlarms: 8,
  /** infra/observability.yml: one dashboard. */
  dashboards: 1,
  /** infra/lib/observability.ts: none per configured service (the crash-loop guard has one alarm over all). */
  alarmsPerService: 0,
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

/** Passes one tick plans: its own and the ones it queues (per shard). */
export function passesPerTick(intervalSeconds: number): number {
  return lastPassStartSeconds(intervalSeconds) / intervalSeconds + 1;
}

/** SQS requests of one tick's `messages` queued passes: the sends, then each one's receive and delete. */
function requestsPerTick(messages: number): number {
  return Math.ceil(messages / lambdaModel.sendBatchEntries) + messages * lambdaModel.requestsPerMessage;
}

/** The pass queue mapping's polling of an empty queue over `seconds`. */
export function idlePollingRequests(seconds: number): number {
  return (seconds / lambdaModel.longPollSeconds) * lambdaModel.mappingPollers;
}

/**
 * The deployment's fixed usage over `seconds` (one shard): the evaluator's invocations, one per pass,
 * and their fixed billed time (without the services' share), the scheduler's ticks, the pass queue's
 * requests, the invocations' log lines, the deployment's alarms, dashboard and shared metrics
 * (`sharedMetrics`: distinct metrics without a per-service dimension, counted by the caller).
 */
export function fixedUsage(intervalSeconds: number, seconds: number, sharedMetrics: number): Usage {
  const ticks = seconds / lambdaModel.tickSeconds;
  const passes = ticks * passesPerTick(intervalSeconds);
  return {
    ...emptyUsage(seconds),
    lambdaInvocations: passes,
    lambdaGbSeconds: passes * lambdaModel.passBaseSeconds * lambdaModel.evaluatorMemoryGb,
    schedulerInvocations: ticks,
    sqsRequests: ticks * requestsPerTick(passesPerTick(intervalSeconds) - 1) + idlePollingRequests(seconds),
    logBytes: passes * lambdaModel.invocationLogBytes + ticks * lambdaModel.usageLineBytesPerMinute,
    customMetrics: sharedMetrics + lambdaModel.deploymentMetrics,
    alarms: lambdaModel.deploymentAlarms,
    dashboards: lambdaModel.dashboards,
  };
}

/** Shards for `services` services (as functions/evaluate/shards.ts counts them). */
export function shardsFor(services: number): number {
  return Math.max(1, Math.ceil(services / lambdaModel.servicesPerShard));
}

/**
 * What sharding adds to {@link fixedUsage} over `seconds` for a fleet of `shards`: every pass of the
 * other shards is a queued message, an invocation and a pass's fixed part of its own (the services'
 * own share does not change: each service is still in one pass per interval). Empty for one shard.
 */
export function shardUsage(intervalSeconds: number, seconds: number, shards: number): Usage {
  const ticks = seconds / lambdaModel.tickSeconds;
  const perTick = passesPerTick(intervalSeconds);
  const extraPasses = ticks * perTick * (shards - 1);
  const messages = (n: number) => n * perTick - 1;
  return {
    ...emptyUsage(seconds),
    lambdaInvocations: extraPasses,
    lambdaGbSeconds: extraPasses * lambdaModel.passBaseSeconds * lambdaModel.evaluatorMemoryGb,
    sqsRequests: ticks * (requestsPerTick(messages(shards)) - requestsPerTick(messages(1))),
    logBytes: extraPasses * lambdaModel.invocationLogBytes,
  };
}

/**
 * One service's Lambda usage over `seconds`: its share of every pass (each pass is billed on its
 * own, so each one a service is in bills its time), and the task-events invocations its `events` caused.
 */
export function serviceLambdaUsage(seconds: number, intervalSeconds: number, events: number): Usage {
  const passes = (seconds / lambdaModel.tickSeconds) * passesPerTick(intervalSeconds);
  return {
    ...emptyUsage(seconds),
    lambdaInvocations: events,
    lambdaGbSeconds:
      passes * lambdaModel.passSecondsPerService * lambdaModel.evaluatorMemoryGb +
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
