/**
 * What the evaluate function does with one invocation, apart from the Lambda wiring:
 * - the EventBridge Scheduler tick (detail-type "Scheduled Event", every minute): bring capacity
 *   providers to their window's settings and run the minute's first pass, while handing the
 *   minute's later passes (every `intervalSeconds`, one per shard of the fleet) to the pass queue as
 *   delayed messages; passes the queue does not take run in this invocation at their times, as the
 *   evaluator loop would. Without a pass queue (none configured) the tick loops through the minute;
 * - a pass queue message (the SQS event source mapping, one message per invocation): run that
 *   pass over its shard's services, unless it arrives more than one interval late (dropped, counted);
 * - "CloudWatch Alarm State Change" of an alarm named in the config: evaluate the services that
 *   name it, at once; failures are logged and counted, not thrown (the tick evaluates again);
 * - anything else: logged and counted, never thrown (EventBridge would retry it in vain).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Config } from "../../shared/config/config-file.ts";
import type { CapacityProviderOutcome } from "../../shared/ports/capacity-providers.ts";
import type { PassQueuePort, ScheduleOutcome, ShardRef } from "../../shared/ports/pass-queue.ts";
import { applyCapacitySchedule } from "../../shared/runtime/capacity-schedule.ts";
import type { SaveDeadline } from "../../shared/runtime/evaluate-service.ts";
import {
  type PassSummary,
  runEvaluationPass,
  servicesNotEvaluated,
} from "../../shared/runtime/evaluation-pass.ts";
import { type LoopDeps, loopDeadline, runEvaluatorLoop } from "../../shared/runtime/evaluator-loop.ts";
import { ALARM_STATE_CHANGE, parseEvent } from "../../shared/runtime/parse-event.ts";
import { servicesForAlarm } from "../../shared/runtime/service-index.ts";
import type { AwsRuntimeDeps } from "../lib/lambda-setup.ts";
import { METRIC, type PowertoolsSink } from "../lib/powertools-sink.ts";
import { plannedPasses, runUnqueuedPasses } from "./fan-out.ts";
import { isSqsEvent, parsePassEvent, passTiming } from "./pass-event.ts";
import { servicesOfShard, shardCount } from "./shards.ts";

export const SCHEDULED_EVENT = "Scheduled Event";
/** The tick's schedule: rate(1 minute) (infra/scheduler.yml). */
export const TICK_SECONDS = 60;

export type EvaluateResult =
  | {
      kind: "tick";
      passes: PassSummary[];
      capacityProviders: CapacityProviderOutcome[];
      /** Passes handed to the pass queue (0 without one). */
      queued: number;
      /** Planned passes the queue did not take (this invocation ran them, as far as time allowed). */
      unqueued: number;
    }
  | { kind: "pass"; passes: PassSummary[]; late: number; malformed: number }
  | { kind: "alarm"; alarm: string; services: string[]; summary?: PassSummary }
  | { kind: "ignored"; reason: string };

export interface InvocationContext {
  now: Date;
  remainingMs: number;
  logger: Logger;
  sink: PowertoolsSink;
}

/** The adapters, and the pass queue when the function has one. */
export interface EvaluateDeps extends AwsRuntimeDeps {
  /** Without it (a function deployed without the queue) the tick loops through its minute. */
  passQueue?: PassQueuePort;
}

/** Handles one invocation of the evaluate function. */
export async function evaluateInvocation(
  deps: EvaluateDeps,
  config: Config,
  event: unknown,
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  if (isSqsEvent(event)) return queuedPasses(deps, config, event, ctx);
  const detailType =
    typeof event === "object" && event !== null
      ? (event as Record<string, unknown>)["detail-type"]
      : undefined;
  if (detailType === SCHEDULED_EVENT) return tick(deps, config, event as { time?: unknown }, ctx);
  if (detailType === ALARM_STATE_CHANGE) return alarm(deps, config, event, ctx);
  const reason =
    typeof detailType === "string"
      ? `unexpected detail-type ${JSON.stringify(detailType)}`
      : "not an EventBridge event (no detail-type)";
  ctx.logger.error("evaluate: event ignored", { reason });
  ctx.sink.count(METRIC.malformedEvents);
  return { kind: "ignored", reason };
}

async function tick(
  deps: EvaluateDeps,
  config: Config,
  event: { time?: unknown },
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  const tickAt = tickTime(event.time, ctx.now);
  const loopDeps: EvaluateDeps & LoopDeps = { ...deps, saveDeadline: saveDeadline(deps, ctx) };
  const untilMs = loopDeadline(tickAt, ctx.now, ctx.remainingMs, TICK_SECONDS);
  if (deps.passQueue) return fanOut(deps.passQueue, loopDeps, config, tickAt, untilMs, ctx);
  const capacityProviders = await applyCapacity(deps, config, ctx);
  const passes = await runEvaluatorLoop(loopDeps, config, untilMs);
  for (const pass of passes) reportUndecided(ctx, pass, config.services.length);
  return { kind: "tick", passes, capacityProviders, queued: 0, unqueued: 0 };
}

/**
 * The tick with a pass queue: the minute's later passes (every shard's) go to the queue while the
 * capacity schedule and shard 0's first pass run; what the queue did not take runs here.
 */
async function fanOut(
  queue: PassQueuePort,
  deps: EvaluateDeps & LoopDeps,
  config: Config,
  tickAt: Date,
  untilMs: number,
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  const shards = shardCount(config.services.length);
  const planned = plannedPasses(tickAt, ctx.now, config.intervalSeconds, TICK_SECONDS, shards);
  const services = servicesOfShard(config, { index: 0, count: shards });
  const [outcome, [capacityProviders, firstPass]] = await Promise.all([
    queue.schedule(planned),
    (async () => {
      const capacity = await applyCapacity(deps, config, ctx);
      const pass = await runEvaluationPass(deps, config, deps.clock.now(), services);
      return [capacity, pass] as const;
    })(),
  ]);
  reportUndecided(ctx, firstPass, services.length);
  const rest = outcome.failed.length > 0 ? await runFallback(deps, config, outcome, untilMs, ctx) : [];
  return {
    kind: "tick",
    passes: [firstPass, ...rest],
    capacityProviders,
    queued: outcome.sent.length,
    unqueued: outcome.failed.length,
  };
}

/** Nothing is lost silently: what the queue did not take runs here, at its planned time, counted and logged. */
async function runFallback(
  deps: LoopDeps,
  config: Config,
  outcome: ScheduleOutcome,
  untilMs: number,
  ctx: InvocationContext,
): Promise<PassSummary[]> {
  ctx.logger.error("pass queue did not take the minute's passes: this invocation runs them", {
    notQueued: outcome.failed.length,
    queued: outcome.sent.length,
    errors: [...new Set(outcome.failed.map((f) => f.failure.message))].slice(0, 5),
  });
  ctx.sink.count(METRIC.passQueueFallbacks);
  const shardServices = (shard: ShardRef) => servicesOfShard(config, shard);
  const unqueued = outcome.failed.map((f) => f.pass);
  const rest = await runUnqueuedPasses(deps, config, unqueued, untilMs, shardServices);
  for (const { summary, configured } of rest.summaries) reportUndecided(ctx, summary, configured);
  if (rest.notRun > 0)
    ctx.logger.error("passes not run: the invocation's time ran out", { notRun: rest.notRun });
  return rest.summaries.map((s) => s.summary);
}

/** Brings capacity providers to their window's settings; logs and counts each change and failure. */
async function applyCapacity(
  deps: AwsRuntimeDeps,
  config: Config,
  ctx: InvocationContext,
): Promise<CapacityProviderOutcome[]> {
  const { targets, outcomes } = await applyCapacitySchedule(
    deps.capacityProviders,
    config,
    ctx.now,
    deps.dryRun,
  );
  for (const outcome of outcomes) {
    const target = targets.find((t) => t.name === outcome.name);
    if (outcome.result === "updated") {
      ctx.logger.info("capacity provider updated", {
        capacityProvider: outcome.name,
        settings: target?.settings,
        window: target?.window ?? null,
      });
      ctx.sink.count(METRIC.capacityProviderUpdates);
    } else if (outcome.result === "failed") {
      ctx.logger.error("capacity provider not updated", {
        capacityProvider: outcome.name,
        reason: outcome.reason,
      });
      ctx.sink.count(METRIC.failures, { Stage: "capacityProvider" });
    }
  }
  if (deps.dryRun && targets.length > 0)
    ctx.logger.info("capacity providers (dry run: not applied)", { targets });
  return outcomes;
}

/**
 * The health alarm on this metric is what makes a pass that decides nothing (a wrong state table, a
 * denied role) visible: the invocation itself still ends normally.
 */
function reportUndecided(ctx: InvocationContext, pass: PassSummary, configured: number): void {
  ctx.sink.value(METRIC.servicesNotEvaluated, servicesNotEvaluated(pass, configured));
}

/**
 * The pass queue's messages: each runs its pass over its shard's services, unless it is malformed or
 * more than one interval late (logged and counted, never thrown: the next pass comes anyway, and a
 * thrown error would only have the message redelivered, later still).
 */
async function queuedPasses(
  deps: EvaluateDeps,
  config: Config,
  event: unknown,
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  const result: EvaluateResult & { kind: "pass" } = { kind: "pass", passes: [], late: 0, malformed: 0 };
  for (const record of parsePassEvent(event)) {
    if (!record.ok) {
      ctx.logger.error("evaluate: malformed pass message", { error: record.error.message });
      ctx.sink.count(METRIC.malformedEvents);
      result.malformed++;
      continue;
    }
    const { plannedAt, shard } = record.value;
    const timing = passTiming(plannedAt, ctx.now, config.intervalSeconds);
    if (timing !== "due") {
      const late = timing === "late";
      ctx.logger[late ? "warn" : "error"](
        late
          ? "pass dropped: more than one interval late (the next pass comes anyway)"
          : "pass dropped: planned too far ahead",
        { plannedAt: plannedAt.toISOString(), lateMs: ctx.now.getTime() - plannedAt.getTime(), shard },
      );
      ctx.sink.count(late ? METRIC.latePasses : METRIC.malformedEvents);
      if (late) result.late++;
      else result.malformed++;
      continue;
    }
    const services = servicesOfShard(config, shard);
    const summary = await runEvaluationPass(
      { ...deps, saveDeadline: saveDeadline(deps, ctx) },
      config,
      ctx.now,
      services,
    );
    reportUndecided(ctx, summary, services.length);
    result.passes.push(summary);
  }
  return result;
}

/**
 * Saves (each followed by its UpdateService calls, paced by the adapter) stop this long before the
 * Lambda timeout, so the invocation is not cut off between a service's save and its UpdateService.
 */
export const SAVE_MARGIN_BEFORE_TIMEOUT_MS = 10_000;

function saveDeadline(deps: AwsRuntimeDeps, ctx: InvocationContext): SaveDeadline {
  return { clock: deps.clock, atMs: ctx.now.getTime() + ctx.remainingMs - SAVE_MARGIN_BEFORE_TIMEOUT_MS };
}

/** When the tick was due: the event's time if it is plausible (the last minute), else now. */
function tickTime(time: unknown, now: Date): Date {
  const at = typeof time === "string" ? Date.parse(time) : Number.NaN;
  return Number.isFinite(at) && at <= now.getTime() + 5_000 && at > now.getTime() - TICK_SECONDS * 1000
    ? new Date(at)
    : now;
}

async function alarm(
  deps: AwsRuntimeDeps,
  config: Config,
  event: unknown,
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  const result = parseEvent(event);
  if (!result.ok) {
    ctx.logger.error("evaluate: malformed alarm event", { error: result.error.message });
    ctx.sink.count(METRIC.malformedEvents);
    return { kind: "ignored", reason: "malformed alarm event" };
  }
  const parsed = result.value;
  if (parsed.kind !== "alarm") return { kind: "ignored", reason: "not an alarm event" };
  const services = servicesForAlarm(config, parsed.alarmName);
  const names = services.map((s) => `${s.cluster}/${s.service}`);
  if (services.length === 0) {
    ctx.logger.info("alarm not configured for any service", { alarm: parsed.alarmName });
    ctx.sink.count(METRIC.ignoredEvents);
    return { kind: "alarm", alarm: parsed.alarmName, services: [] };
  }
  ctx.logger.info("alarm state change: evaluating", {
    alarm: parsed.alarmName,
    state: parsed.state,
    services: names,
  });
  const summary = await runEvaluationPass(
    { ...deps, saveDeadline: saveDeadline(deps, ctx) },
    config,
    ctx.now,
    services,
  );
  // Not thrown: the function's async invocations are not retried (maximumRetryAttempts: 0, since a
  // tick is superseded a minute later), so a throw would only park the event in the failed-events
  // queue. Each failure is already logged and counted (Failures by Stage); the tick, running every
  // intervalSeconds, evaluates the service again within seconds.
  if (summary.transientFailures > 0) {
    ctx.logger.warn("alarm evaluation failed transiently; the running tick evaluates again", {
      alarm: parsed.alarmName,
      services: names,
      transientFailures: summary.transientFailures,
    });
  }
  return { kind: "alarm", alarm: parsed.alarmName, services: names, summary };
}
