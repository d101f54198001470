/**
 * How far the runtime trusts an event's times and sizes. An event is data from outside: a clock gone
 * wrong, a replayed archive or a hand-written test event must not wedge a guard, skew a learned value
 * or grow a DynamoDB item. Times outside the window below make the event ignored (and counted);
 * identifiers longer than AWS can produce make it malformed; free text is cut. Pure.
 */
import type { ParsedEvent } from "./parse-event.ts";

/**
 * The oldest event still acted on, by its envelope `time`: ECS retries a durable event to EventBridge
 * for up to 24 hours, the rule's target retry and the function's asynchronous queue each keep it up
 * to another hour (serverless.yml, `maximumEventAge: 3600`). Anything older is a replay, not news.
 */
export const EVENT_MAX_AGE_SECONDS = 26 * 3600;

/**
 * How far in the future an event's times may lie: AWS clocks agree to well under a second, and a
 * failure saved by the event handler during a pass is stamped after that pass's `now`.
 */
export const EVENT_MAX_FUTURE_SECONDS = 300;

/**
 * Longest ECS ARN accepted (task, cluster, service, capacity provider). AWS documents no maximum for
 * the ARNs themselves; they are built from names of at most 255 characters (cluster, service,
 * capacity provider), a 32-character task id, a partition, Region and account: well under 600.
 */
export const MAX_ARN_LENGTH = 600;

/** Longest id accepted (EventBridge event ids are UUIDs, deployment ids `ecs-svc/<19 digits>`, stop codes short words). */
export const MAX_ID_LENGTH = 128;

/**
 * Free text (`stoppedReason`, a service action's `reason`) is cut to this. StopTask accepts up to 255
 * characters from a user, but ECS's own messages (image pull errors, say) run longer; the runtime
 * only matches their beginning, and keeps none of them.
 */
export const MAX_REASON_LENGTH = 1024;

/**
 * Why the event's times are out of bounds at `now`, or undefined when they are within them: the
 * envelope `time` (or, without one, the event's own latest time) older than
 * {@link EVENT_MAX_AGE_SECONDS}, or any time it carries later than {@link EVENT_MAX_FUTURE_SECONDS}
 * after `now`.
 */
export function eventTimeProblem(event: ParsedEvent, now: Date): string | undefined {
  if (event.kind === "unknown") return undefined;
  const times = timesOf(event);
  const latest = now.getTime() + EVENT_MAX_FUTURE_SECONDS * 1000;
  const future = times.find((t) => Date.parse(t.at) > latest);
  if (future) return `${future.field} ${future.at} is more than ${EVENT_MAX_FUTURE_SECONDS} s in the future`;
  const instant = event.time ?? maxOf(times.map((t) => t.at));
  if (instant !== undefined && now.getTime() - Date.parse(instant) > EVENT_MAX_AGE_SECONDS * 1000)
    return `event time ${instant} is older than ${EVENT_MAX_AGE_SECONDS / 3600} h`;
  return undefined;
}

function timesOf(event: Exclude<ParsedEvent, { kind: "unknown" }>): { field: string; at: string }[] {
  const fields: Record<string, string | undefined> = { time: event.time };
  if (event.kind === "task") {
    const d = event.detail;
    Object.assign(fields, {
      "detail.createdAt": d.createdAt,
      "detail.startedAt": d.startedAt,
      "detail.stoppedAt": d.stoppedAt,
      "detail.executionStoppedAt": d.executionStoppedAt,
      "detail.updatedAt": d.updatedAt,
    });
  } else if (event.kind === "serviceAction") fields["detail.createdAt"] = event.createdAt;
  else if (event.kind === "deployment") fields["detail.updatedAt"] = event.updatedAt;
  return Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([field, at]) => ({ field, at }));
}

function maxOf(times: string[]): string | undefined {
  return times.reduce<string | undefined>(
    (max, t) => (max === undefined || Date.parse(t) > Date.parse(max) ? t : max),
    undefined,
  );
}
