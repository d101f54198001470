/**
 * What one new ECS event does to a service's state record, computed against the record as loaded
 * (inside the load/save loop, so a retried save recomputes it). Pure.
 * - Task State Change: learn the startup time, note a task running again (clears the crash-loop
 *   guard), count a start failure (may trip it), shift an interrupted Spot task to on-demand.
 * - Service Action: a Spot capacity shortage shifts tasks to on-demand; the Spot service's steady
 *   state starts the cool-off.
 * - Deployment State Change: starts or ends the deployment hold.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import type { ServiceRecord } from "../ports/state-store.ts";
import { evaluateGuard, startFailureAt, withFailure, withRunningTask } from "./crash-loop.ts";
import { hasMarker } from "./dedupe.ts";
import { applyDeploymentEvent, EVENT_HOLD_MAX_SECONDS } from "./deployment-hold.ts";
import type { ParsedEvent, TaskDetail } from "./parse-event.ts";
import {
  isSpotCapacityShortage,
  isSpotInterruption,
  markSteady,
  pairCount,
  type SpotObservation,
  type SpotState,
  shiftToOnDemand,
  shortageTarget,
  siblingFloor,
} from "./spot.ts";
import { learnStartup, startupSample } from "./startup.ts";

/** What DescribeServices showed of a Spot pair when a shortage or interruption arrived. */
export interface SpotPairSnapshot {
  kind: "shortage" | "interruption";
  spot: SpotObservation;
  onDemandDesired: number;
}

/** The record after one event, what changed in words, and what the handler does next. */
export interface Effect {
  record: ServiceRecord;
  /** What changed, e.g. "startup 24.0 s", "spot shift +2". Empty: nothing to do. */
  effects: string[];
  /** Whether the service's count may change: evaluate it at once. */
  reevaluate: boolean;
  crashLoop?: "tripped" | "cleared";
  /** Per-task markers to remember, so a repeated event of the same task counts once. */
  markers: string[];
}

/** The effect of one event, or `stale`: it is too old to act on. */
export type EventEffect = { outcome: "applied"; effect: Effect } | { outcome: "stale" };

/** What an event is applied with besides the record: the configured service and the pair as described. */
export interface EventContext {
  service: ServiceConfig;
  role: "service" | "onDemand";
  /** For a Spot shortage or interruption of a Spot service with a sibling. */
  spotPair: SpotPairSnapshot | undefined;
  now: Date;
}

/** The record after one new event (see the module comment for what each kind does). */
export function applyEvent(record: ServiceRecord, event: ParsedEvent, ctx: EventContext): EventEffect {
  const effect: Effect = { record: { ...record }, effects: [], reevaluate: false, markers: [] };
  if (event.kind === "task") applyTaskEvent(effect, record, event, ctx);
  else if (event.kind === "serviceAction") applyServiceAction(effect, record, event, ctx);
  else if (event.kind === "deployment") return applyDeploymentChange(effect, record, event, ctx.now);
  return { outcome: "applied", effect };
}

type TaskEvent = Extract<ParsedEvent, { kind: "task" }>;
type ServiceActionEvent = Extract<ParsedEvent, { kind: "serviceAction" }>;
type DeploymentEvent = Extract<ParsedEvent, { kind: "deployment" }>;

function applyTaskEvent(effect: Effect, record: ServiceRecord, event: TaskEvent, ctx: EventContext): void {
  const d = event.detail;
  learnStartupOf(effect, record, d, ctx.now);
  noteRunningAgain(effect, record, d, ctx.service);
  countStartFailure(effect, record, event, ctx);
  if (ctx.spotPair && isSpotInterruption(d)) shiftInterruptedTask(effect, record, d, ctx.spotPair, ctx.now);
}

/** One startup sample per task: a task sends more RUNNING events (container changes) with the same times. */
function learnStartupOf(effect: Effect, record: ServiceRecord, d: TaskDetail, now: Date): void {
  const marker = d.taskArn ? `startup:${d.taskArn}` : undefined;
  if (d.lastStatus !== "RUNNING" || d.desiredStatus === "STOPPED") return;
  if (marker && hasMarker(record.seen, marker)) return;
  const sample = startupSample(d.createdAt, d.startedAt, now);
  if (sample === undefined) return;
  if (marker) effect.markers.push(marker);
  effect.record.learned = learnStartup(record.learned, sample);
  effect.effects.push(
    `startup sample ${sample.toFixed(1)} s → learned ${effect.record.learned.startupSeconds?.toFixed(1)} s`,
  );
}

/**
 * A task running again (started after the latest failure) clears the crash-loop guard once it has
 * run minUptimeSeconds; the pass that sees that reports the clearing.
 */
function noteRunningAgain(
  effect: Effect,
  record: ServiceRecord,
  d: TaskDetail,
  service: ServiceConfig,
): void {
  if (d.lastStatus !== "RUNNING" || d.desiredStatus === "STOPPED" || d.startedAt === undefined) return;
  const running = withRunningTask(record.crashLoop, d.startedAt);
  if (!running) return;
  effect.record.crashLoop = running;
  effect.effects.push(
    `task running since ${d.startedAt}: crash-loop guard clears after ${service.crashLoopGuard.minUptimeSeconds} s without a failure`,
  );
}

/** One failure per task: a stopped task can send more STOPPED events (higher versions). */
function countStartFailure(effect: Effect, record: ServiceRecord, event: TaskEvent, ctx: EventContext): void {
  const d = event.detail;
  const settings = ctx.service.crashLoopGuard;
  const marker = d.taskArn ? `failure:${d.taskArn}` : undefined;
  if (marker && hasMarker(record.seen, marker)) return;
  const failedAt = startFailureAt(d, settings, event.time ?? ctx.now.toISOString());
  if (failedAt === undefined) return;
  if (marker) effect.markers.push(marker);
  const guard = evaluateGuard(withFailure(record.crashLoop, failedAt, settings, ctx.now), settings, ctx.now);
  if (guard.state) effect.record.crashLoop = guard.state;
  else delete effect.record.crashLoop;
  effect.effects.push(`start failure (${d.stopCode}) at ${failedAt}`);
  if (guard.transition) {
    effect.crashLoop = guard.transition;
    effect.reevaluate = true;
  }
}

/** An interrupted Spot task moves to on-demand, once per task. */
function shiftInterruptedTask(
  effect: Effect,
  record: ServiceRecord,
  d: TaskDetail,
  pair: SpotPairSnapshot,
  now: Date,
): void {
  const marker = d.taskArn ? `spot:${d.taskArn}` : undefined;
  if (marker && hasMarker(record.seen, marker)) return;
  const shift = spotShift(record, pair, now);
  if (!shift) return;
  setSpot(effect.record, shift.spot);
  if (marker) effect.markers.push(marker);
  effect.effects.push(`Spot interruption: shift ${shift.shifted} task to on-demand`);
  effect.reevaluate = true;
}

function applyServiceAction(
  effect: Effect,
  record: ServiceRecord,
  event: ServiceActionEvent,
  ctx: EventContext,
): void {
  if (ctx.spotPair && isSpotCapacityShortage(event)) {
    const shift = spotShift(record, ctx.spotPair, ctx.now);
    if (!shift) return;
    setSpot(effect.record, shift.spot);
    effect.effects.push(
      record.spot?.returningSince !== undefined
        ? `no Fargate Spot capacity while returning: return stopped, shift ${shift.shifted} more task(s) to on-demand`
        : `no Fargate Spot capacity: shift ${shift.shifted} task(s) to on-demand`,
    );
    effect.reevaluate = true;
  } else if (
    event.eventName === "SERVICE_STEADY_STATE" &&
    ctx.role === "service" &&
    ctx.service.spotFallback &&
    record.spot
  ) {
    startCoolOff(effect, record, event, ctx.now);
  }
}

/**
 * The Spot service is steady: the cool-off before moving back starts (at the event's time, never
 * later than now). A steady state from before the shift began (a late delivery) says nothing about it.
 */
function startCoolOff(effect: Effect, record: ServiceRecord, event: ServiceActionEvent, now: Date): void {
  const nowIso = now.toISOString();
  const seenAt = event.time ?? event.createdAt ?? nowIso;
  if (record.spot && Date.parse(seenAt) < Date.parse(record.spot.since)) return;
  const steady = markSteady(record.spot, Date.parse(seenAt) > now.getTime() ? nowIso : seenAt);
  if (steady === record.spot || !steady) return;
  effect.record.spot = steady;
  effect.effects.push("Spot service steady: cool-off started");
}

function applyDeploymentChange(
  effect: Effect,
  record: ServiceRecord,
  event: DeploymentEvent,
  now: Date,
): EventEffect {
  if (event.time !== undefined && now.getTime() - Date.parse(event.time) > EVENT_HOLD_MAX_SECONDS * 1000)
    return { outcome: "stale" };
  const updatedAt = event.updatedAt ?? event.time ?? now.toISOString();
  const result = applyDeploymentEvent(
    record.deployment,
    {
      eventName: event.eventName,
      ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}),
      updatedAt,
    },
    now,
  );
  if (result.verdict === "stale") return { outcome: "stale" };
  if (result.verdict === "applied" && result.state) {
    effect.record.deployment = result.state;
    effect.effects.push(
      `deployment ${event.deploymentId ?? "?"} ${result.state.inProgress ? "in progress: scale-in held" : "ended: hold released"}`,
    );
    effect.reevaluate = !result.state.inProgress;
  }
  return { outcome: "applied", effect };
}

/**
 * The Spot state after a shortage or interruption, against the record as loaded. A shortage shifts up
 * to {@link shortageTarget} (nothing when nothing is missing, unless a return is in progress: then
 * the return stops); an interruption shifts one task. `undefined`: nothing changes.
 */
function spotShift(
  record: ServiceRecord,
  pair: SpotPairSnapshot,
  now: Date,
): { spot: SpotState | undefined; shifted: number } | undefined {
  // The sibling's floor (its own tasks, see siblingFloor) is not the pair's.
  const floor = siblingFloor(record.onDemandFloor, pair.onDemandDesired, record.spot);
  const total = pairCount(record.spot, pair.spot.desired, Math.max(0, pair.onDemandDesired - floor));
  const before = record.spot?.shiftedTasks ?? 0;
  const returning = record.spot?.returningSince !== undefined;
  const missing = pair.kind === "shortage" ? shortageTarget(record.spot, pair.spot, total) - before : 1;
  if (missing <= 0 && !returning) return undefined;
  const spot = shiftToOnDemand(record.spot, missing, total, now);
  return { spot, shifted: (spot?.shiftedTasks ?? 0) - before };
}

function setSpot(record: ServiceRecord, spot: SpotState | undefined): void {
  if (spot) record.spot = spot;
  else delete record.spot;
}
