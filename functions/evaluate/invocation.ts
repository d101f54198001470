/**
 * What the evaluate function does with one invocation, apart from the Lambda wiring:
 * - the EventBridge Scheduler tick (detail-type "Scheduled Event", every minute): bring capacity
 *   providers to their window's settings, then evaluate every service every `intervalSeconds`
 *   until shortly before the next tick (or the Lambda's remaining time);
 * - "CloudWatch Alarm State Change" of an alarm named in the config: evaluate the services that
 *   name it, at once; failures are logged and counted, not thrown (the tick evaluates again);
 * - anything else: logged and counted, never thrown (EventBridge would retry it in vain).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Config } from "../../shared/config/config-file.ts";
import type { CapacityProviderOutcome } from "../../shared/ports/capacity-providers.ts";
import { applyCapacitySchedule } from "../../shared/runtime/capacity-schedule.ts";
import type { SaveDeadline } from "../../shared/runtime/evaluate-service.ts";
import {
  type PassSummary,
  runEvaluationPass,
  servicesNotEvaluated,
} from "../../shared/runtime/evaluation-pass.ts";
import { loopDeadline, runEvaluatorLoop } from "../../shared/runtime/evaluator-loop.ts";
import { ALARM_STATE_CHANGE, parseEvent } from "../../shared/runtime/parse-event.ts";
import { servicesForAlarm } from "../../shared/runtime/service-index.ts";
import type { AwsRuntimeDeps } from "../lib/lambda-setup.ts";
import { METRIC, type PowertoolsSink } from "../lib/powertools-sink.ts";

export const SCHEDULED_EVENT = "Scheduled Event";
/** The tick's schedule: rate(1 minute) (infra/scheduler.yml). */
export const TICK_SECONDS = 60;

export type EvaluateResult =
  | { kind: "tick"; passes: PassSummary[]; capacityProviders: CapacityProviderOutcome[] }
  | { kind: "alarm"; alarm: string; services: string[]; summary?: PassSummary }
  | { kind: "ignored"; reason: string };

export interface InvocationContext {
  now: Date;
  remainingMs: number;
  logger: Logger;
  sink: PowertoolsSink;
}

/** Handles one invocation of the evaluate function. */
export async function evaluateInvocation(
  deps: AwsRuntimeDeps,
  config: Config,
  event: unknown,
  ctx: InvocationContext,
): Promise<EvaluateResult> {
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
  deps: AwsRuntimeDeps,
  config: Config,
  event: { time?: unknown },
  ctx: InvocationContext,
): Promise<EvaluateResult> {
  const tickAt = tickTime(event.time, ctx.now);
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
  const passes = await runEvaluatorLoop(
    { ...deps, saveDeadline: saveDeadline(deps, ctx) },
    config,
    loopDeadline(tickAt, ctx.now, ctx.remainingMs, TICK_SECONDS),
  );
  // The health alarm on this metric is what makes a pass that decides nothing (a wrong state table, a
  // denied role) visible: the invocation itself still ends normally.
  for (const pass of passes) {
    ctx.sink.value(METRIC.servicesNotEvaluated, servicesNotEvaluated(pass, config.services.length));
  }
  return { kind: "tick", passes, capacityProviders: outcomes };
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
