/**
 * What the task-events function does with one event, apart from the Lambda wiring: hand it to the
 * runtime (shared/runtime/task-events.ts), then log and count the outcome. A malformed event is
 * logged and counted, never thrown (EventBridge would retry it in vain); errors of AWS calls
 * propagate, so Lambda retries the event and, after its retries, parks it in the failed-events queue.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Config } from "../../shared/config/config-file.ts";
import { failureOf, isRetryable } from "../../shared/ports/failure.ts";
import { type EventOutcome, handleEcsEvent } from "../../shared/runtime/task-events.ts";
import type { AwsRuntimeDeps } from "../lib/lambda-setup.ts";
import { METRIC, type PowertoolsSink } from "../lib/powertools-sink.ts";

export interface EventContext {
  now: Date;
  logger: Logger;
  sink: PowertoolsSink;
}

/** Handles one ECS event and reports what came of it. */
export async function handleEventInvocation(
  deps: AwsRuntimeDeps,
  config: Config,
  event: unknown,
  ctx: EventContext,
): Promise<EventOutcome> {
  let outcome: EventOutcome;
  try {
    outcome = await handleEcsEvent(deps, config, event, ctx.now);
  } catch (error) {
    const failure = failureOf(error);
    ctx.logger.error("event not handled: will be retried", {
      error: failure.message,
      transient: isRetryable(failure),
      event: summary(event),
    });
    ctx.sink.count(METRIC.failures, { Stage: "event" });
    throw error;
  }
  reportOutcome(ctx, outcome, event);
  return outcome;
}

/** Logs and counts what came of one event. */
function reportOutcome(ctx: EventContext, outcome: EventOutcome, event: unknown): void {
  switch (outcome.status) {
    case "malformed":
      ctx.logger.error("malformed event: dropped", { problems: outcome.problems, event: summary(event) });
      ctx.sink.count(METRIC.malformedEvents);
      break;
    case "ignored":
      ctx.logger.info("event ignored", {
        reason: outcome.reason,
        ...(outcome.detailType ? { detailType: outcome.detailType } : {}),
        ...(outcome.service ? { ecsService: outcome.service } : {}),
      });
      ctx.sink.count(METRIC.ignoredEvents);
      break;
    case "duplicate":
    case "stale":
      ctx.logger.info(`${outcome.status} event: already handled`, {
        ecsService: outcome.service,
        event: summary(event),
      });
      ctx.sink.count(METRIC.duplicateEvents);
      break;
    case "handled":
      if (outcome.effects.length > 0)
        ctx.logger.info("event handled", {
          ecsService: outcome.service,
          effects: outcome.effects,
          ...(outcome.reevaluated ? { reevaluated: outcome.reevaluated } : {}),
        });
      // Alarm-worthy: infra alarms on the metric; the line says what to look at.
      if (outcome.crashLoop === "tripped") ctx.sink.crashLoopTripped(outcome.service, outcome.effects);
      else if (outcome.crashLoop === "cleared")
        ctx.logger.info("crash-loop guard cleared", { ecsService: outcome.service });
      break;
  }
}

/** The identifying fields of a raw event, for logs (never the whole event: task events are large). */
function summary(event: unknown): Record<string, unknown> {
  if (typeof event !== "object" || event === null) return { type: typeof event };
  const e = event as Record<string, unknown>;
  const detail = (typeof e.detail === "object" && e.detail !== null ? e.detail : {}) as Record<
    string,
    unknown
  >;
  const pick = (o: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    ...pick(e, ["id", "detail-type", "time", "resources"]),
    ...pick(detail, ["taskArn", "group", "lastStatus", "version", "eventName"]),
  };
}
