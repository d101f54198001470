/**
 * ECS events → what the runtime remembers, then an immediate re-evaluation when it matters.
 * `ECS Task State Change`: learn startup time, count start failures (crash-loop guard), Spot
 * interruptions. `ECS Service Action`: Spot capacity shortage, Spot steady state.
 * `ECS Deployment State Change`: deployment hold. Delivery is at-least-once and unordered, so every
 * event is checked against what the service's record has already seen; anything unknown is tolerated.
 *
 * Errors: a malformed event is reported in the outcome (never thrown: EventBridge would retry it in
 * vain). Errors of the ports (throttling, 5xx) propagate so the event is retried and nothing is lost.
 */
import type { Config, ServiceConfig } from "../config/config-file.ts";
import { type ConfigProblem, ValidationError } from "../config/issues.ts";
import type { Clock } from "../ports/clock.ts";
import { PortError } from "../ports/failure.ts";
import { emptyRecord, type ServiceRecord } from "../ports/state-store.ts";
import { evaluateGuard, startFailureAt, withFailure, withRunningTask } from "./crash-loop.ts";
import { dedupeKeyOf, type Freshness, freshness, hasMarker, remember } from "./dedupe.ts";
import { applyDeploymentEvent, EVENT_HOLD_MAX_SECONDS } from "./deployment-hold.ts";
import { type ParsedEvent, parseEvent } from "./ecs-events.ts";
import { type EvaluationDeps, type PassSummary, runEvaluationPass } from "./evaluation-pass.ts";
import { matchService, recordKey, refsOf } from "./service-index.ts";
import {
  isSpotCapacityShortage,
  isSpotInterruption,
  markSteady,
  pairCount,
  type SpotObservation,
  type SpotState,
  shiftToOnDemand,
  shortageTarget,
} from "./spot.ts";
import { learnStartup, startupSample } from "./startup.ts";

/** A Spot shortage or interruption older than this is history: the tick has long dealt with it. */
export const MAX_SPOT_EVENT_AGE_SECONDS = 600;
/** Load → apply → save attempts when the save loses to a concurrent writer (the evaluator loop). */
export const MAX_EVENT_SAVE_ATTEMPTS = 5;

export type EventOutcome =
  | { status: "malformed"; problems: ConfigProblem[] }
  | { status: "ignored"; reason: string; detailType?: string; service?: string }
  | { status: "duplicate" | "stale"; service: string }
  | {
      status: "handled";
      service: string;
      /** What changed in the record, e.g. "startup 24.0 s", "spot shift +2". Empty: nothing to do. */
      effects: string[];
      crashLoop?: "tripped" | "cleared";
      /** The immediate re-evaluation of the service, when an effect can change its count. */
      reevaluated?: PassSummary;
    };

/** What one event does to a record, computed inside the load/save loop so a retry recomputes it. */
interface Effect {
  record: ServiceRecord;
  effects: string[];
  reevaluate: boolean;
  crashLoop?: "tripped" | "cleared";
  markers: string[];
}

/**
 * Handles one raw EventBridge event for the configured services at `now`. See the module comment
 * for what each event does. With a `clock` in `deps`, the re-evaluation runs at its own time.
 */
export async function handleEcsEvent(
  deps: EvaluationDeps & { clock?: Clock },
  config: Config,
  event: unknown,
  now: Date,
): Promise<EventOutcome> {
  let parsed: ParsedEvent;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (error instanceof ValidationError) return { status: "malformed", problems: error.problems };
    throw error;
  }
  if (parsed.kind === "unknown")
    return { status: "ignored", reason: "unknown detail-type", detailType: parsed.detailType };
  if (parsed.kind === "alarm")
    return { status: "ignored", reason: "alarm events go to the evaluate function" };
  if (parsed.kind === "task" && !parsed.service) {
    return {
      status: "ignored",
      reason: parsed.detail.group
        ? `not a service task (group ${parsed.detail.group})`
        : "task event without a group",
    };
  }
  const named = parsed.service!;
  const match = matchService(config, named);
  if (!match.found) return { status: "ignored", reason: `service ${match.why}`, service: named.service };
  const service = match.found;
  const key = recordKey(service);

  const spotPair = await spotPairSnapshot(deps, service, match.role, parsed, now);
  if (typeof spotPair === "string") return { status: "ignored", reason: spotPair, service: key };

  const dedupeKey = dedupeKeyOf(parsed);
  for (let attempt = 1; ; attempt++) {
    const record = (await deps.state.load(key)) ?? emptyRecord(key);
    const fresh: Freshness = dedupeKey ? freshness(record.seen, dedupeKey) : "new";
    if (fresh !== "new") return { status: fresh, service: key };
    const effect = applyEvent(record, service, match.role, parsed, spotPair, now);
    if (effect === "stale") return { status: "stale", service: key };
    if (effect.effects.length === 0) return { status: "handled", service: key, effects: [] };
    const next = { ...effect.record, seen: remember(effect.record.seen, now, dedupeKey, effect.markers) };
    const saved = await deps.state.save(next);
    if (saved === "conflict" && attempt < MAX_EVENT_SAVE_ATTEMPTS) continue;
    if (saved === "conflict")
      throw new Error(`${key}: state record kept changing; ${MAX_EVENT_SAVE_ATTEMPTS} saves lost`);
    const outcome: EventOutcome = {
      status: "handled",
      service: key,
      effects: effect.effects,
      ...(effect.crashLoop ? { crashLoop: effect.crashLoop } : {}),
    };
    // At the time the re-evaluation runs (saves may have been retried, DescribeServices throttled):
    // a pass stamped earlier could record its decision before events it already reflects.
    if (effect.reevaluate)
      outcome.reevaluated = await runEvaluationPass(deps, config, deps.clock?.now() ?? now, [service]);
    return outcome;
  }
}

/** What DescribeServices showed of a Spot pair when a shortage or interruption arrived. */
interface SpotPairSnapshot {
  kind: "shortage" | "interruption";
  spot: SpotObservation;
  onDemandDesired: number;
}

/**
 * For a Spot shortage or interruption of a Spot service with a sibling: the pair as DescribeServices
 * shows it (how many tasks to shift is decided against the loaded record, inside the save loop). A
 * string says why the event changes nothing.
 */
async function spotPairSnapshot(
  deps: EvaluationDeps,
  service: ServiceConfig,
  role: "service" | "onDemand",
  event: ParsedEvent,
  now: Date,
): Promise<SpotPairSnapshot | undefined | string> {
  if (!service.spotFallback || role !== "service") return undefined;
  const shortage = event.kind === "serviceAction" && isSpotCapacityShortage(event);
  const interruption = event.kind === "task" && isSpotInterruption(event.detail);
  if (!shortage && !interruption) return undefined;
  // The envelope's time (when EventBridge took the event) first: AWS's own example has a detail.createdAt
  // two weeks before it, so createdAt is only a fallback.
  const at = event.time ?? (event.kind === "serviceAction" ? event.createdAt : undefined);
  if (at !== undefined && now.getTime() - Date.parse(at) > MAX_SPOT_EVENT_AGE_SECONDS * 1000) {
    return `Spot event older than ${MAX_SPOT_EVENT_AGE_SECONDS} s`;
  }
  const [spotRef, onDemandRef] = refsOf(service);
  const result = await deps.services.describe([spotRef!, onDemandRef!]);
  const failed = result.failures[0];
  if (failed) {
    if (failed.callFailed) throw new PortError(failed.failure); // the call failed: retry the event
    return `cannot describe ${recordKey(failed.ref)}: ${failed.failure.message}`;
  }
  const spot = result.services.find((s) => s.service === spotRef!.service);
  const onDemand = result.services.find((s) => s.service === onDemandRef!.service);
  if (!spot || !onDemand) return "Spot pair not described";
  return {
    kind: shortage ? "shortage" : "interruption",
    spot: { desired: spot.desiredCount, running: spot.runningCount, pending: spot.pendingCount },
    onDemandDesired: onDemand.desiredCount,
  };
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
  const total = pairCount(record.spot, pair.spot.desired, pair.onDemandDesired);
  const before = record.spot?.shiftedTasks ?? 0;
  const returning = record.spot?.returningSince !== undefined;
  const missing = pair.kind === "shortage" ? shortageTarget(record.spot, pair.spot, total) - before : 1;
  if (missing <= 0 && !returning) return undefined;
  const spot = shiftToOnDemand(record.spot, missing, total, now);
  return { spot, shifted: (spot?.shiftedTasks ?? 0) - before };
}

/** The record after one new event, or "stale" when it is too old to act on. Pure. */
function applyEvent(
  record: ServiceRecord,
  service: ServiceConfig,
  role: "service" | "onDemand",
  event: ParsedEvent,
  spotPair: SpotPairSnapshot | undefined,
  now: Date,
): Effect | "stale" {
  const effect: Effect = { record: { ...record }, effects: [], reevaluate: false, markers: [] };
  const nowIso = now.toISOString();

  if (event.kind === "task") {
    const d = event.detail;
    // One sample per task: a task sends more RUNNING events (container changes) with the same times.
    const startupMarker = d.taskArn ? `startup:${d.taskArn}` : undefined;
    if (
      d.lastStatus === "RUNNING" &&
      d.desiredStatus !== "STOPPED" &&
      !(startupMarker && hasMarker(record.seen, startupMarker))
    ) {
      const sample = startupSample(d.createdAt, d.startedAt);
      if (sample !== undefined) {
        if (startupMarker) effect.markers.push(startupMarker);
        effect.record.learned = learnStartup(record.learned, sample);
        effect.effects.push(
          `startup sample ${sample.toFixed(1)} s → learned ${effect.record.learned.startupSeconds?.toFixed(1)} s`,
        );
      }
    }
    // A task running again (started after the latest failure) clears the guard once it has run
    // minUptimeSeconds; the pass that sees that reports the clearing.
    if (d.lastStatus === "RUNNING" && d.desiredStatus !== "STOPPED" && d.startedAt !== undefined) {
      const running = withRunningTask(record.crashLoop, d.startedAt);
      if (running) {
        effect.record.crashLoop = running;
        effect.effects.push(
          `task running since ${d.startedAt}: crash-loop guard clears after ${service.crashLoopGuard.minUptimeSeconds} s without a failure`,
        );
      }
    }
    // One failure per task: a stopped task can send more STOPPED events (higher versions).
    const failureMarker = d.taskArn ? `failure:${d.taskArn}` : undefined;
    const failedAt =
      failureMarker && hasMarker(record.seen, failureMarker)
        ? undefined
        : startFailureAt(d, service.crashLoopGuard, event.time ?? nowIso);
    if (failedAt !== undefined) {
      if (failureMarker) effect.markers.push(failureMarker);
      const guard = evaluateGuard(
        withFailure(record.crashLoop, failedAt, service.crashLoopGuard, now),
        service.crashLoopGuard,
        now,
      );
      if (guard.state) effect.record.crashLoop = guard.state;
      else delete effect.record.crashLoop;
      effect.effects.push(`start failure (${d.stopCode}) at ${failedAt}`);
      if (guard.transition) {
        effect.crashLoop = guard.transition;
        effect.reevaluate = true;
      }
    }
    if (spotPair && isSpotInterruption(d)) {
      const marker = d.taskArn ? `spot:${d.taskArn}` : undefined;
      const shift = !marker || !hasMarker(record.seen, marker) ? spotShift(record, spotPair, now) : undefined;
      if (shift) {
        setSpot(effect.record, shift.spot);
        if (marker) effect.markers.push(marker);
        effect.effects.push(`Spot interruption: shift ${shift.shifted} task to on-demand`);
        effect.reevaluate = true;
      }
    }
    return effect;
  }

  if (event.kind === "serviceAction") {
    if (spotPair && isSpotCapacityShortage(event)) {
      const shift = spotShift(record, spotPair, now);
      if (shift) {
        setSpot(effect.record, shift.spot);
        effect.effects.push(
          record.spot?.returningSince !== undefined
            ? `no Fargate Spot capacity while returning: return stopped, shift ${shift.shifted} more task(s) to on-demand`
            : `no Fargate Spot capacity: shift ${shift.shifted} task(s) to on-demand`,
        );
        effect.reevaluate = true;
      }
    } else if (
      event.eventName === "SERVICE_STEADY_STATE" &&
      role === "service" &&
      service.spotFallback &&
      record.spot
    ) {
      const seenAt = event.time ?? event.createdAt ?? nowIso;
      const steady = markSteady(record.spot, Date.parse(seenAt) > now.getTime() ? nowIso : seenAt);
      if (steady !== record.spot && steady) {
        effect.record.spot = steady;
        effect.effects.push("Spot service steady: cool-off started");
      }
    }
    return effect;
  }

  if (event.kind === "deployment") {
    if (event.time !== undefined && now.getTime() - Date.parse(event.time) > EVENT_HOLD_MAX_SECONDS * 1000)
      return "stale";
    const updatedAt = event.updatedAt ?? event.time ?? nowIso;
    const result = applyDeploymentEvent(
      record.deployment,
      {
        eventName: event.eventName,
        ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}),
        updatedAt,
      },
      now,
    );
    if (result.verdict === "stale") return "stale";
    if (result.verdict === "applied" && result.state) {
      effect.record.deployment = result.state;
      effect.effects.push(
        `deployment ${event.deploymentId ?? "?"} ${result.state.inProgress ? "in progress: scale-in held" : "ended: hold released"}`,
      );
      effect.reevaluate = !result.state.inProgress;
    }
    return effect;
  }
  return effect;
}

function setSpot(record: ServiceRecord, spot: SpotState | undefined): void {
  if (spot) record.spot = spot;
  else delete record.spot;
}
