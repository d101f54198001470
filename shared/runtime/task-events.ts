/**
 * ECS events → what the runtime remembers, then an immediate re-evaluation when it matters.
 * `ECS Task State Change`: learn startup time, count start failures (crash-loop guard), Spot
 * interruptions. `ECS Service Action`: Spot capacity shortage, Spot steady state.
 * `ECS Deployment State Change`: deployment hold. Delivery is at-least-once and unordered, so every
 * event is checked against what the service's record has already seen; anything unknown is tolerated.
 * An event older than the redelivery window or dated in the future is ignored (./event-bounds.ts).
 * What each event does to the record is ./event-effects.ts.
 *
 * Errors: a malformed event is reported in the outcome (never thrown: EventBridge would retry it in
 * vain). Failures of the ports (throttling, 5xx) propagate so the event is retried and nothing is lost,
 * except once the effect is saved: a failed dedupe write is then reported as an effect, not thrown
 * (see rememberEvent).
 */
import type { Config, ServiceConfig } from "../config/config-file.ts";
import type { ConfigProblem } from "../config/issues.ts";
import type { Clock } from "../ports/clock.ts";
import { failureOf, PortError } from "../ports/failure.ts";
import {
  dedupeRecordKey,
  emptyRecord,
  type ServiceRecord,
  STRONG_READ,
  type StateStore,
} from "../ports/state-store.ts";
import { type DedupeKey, dedupeKeyOf, freshness, remember, SEEN_RETENTION_SECONDS } from "./dedupe.ts";
import { type EvaluationDeps, type PassSummary, runEvaluationPass } from "./evaluation-pass.ts";
import { eventTimeProblem } from "./event-bounds.ts";
import { applyEvent, type Effect, type SpotPairSnapshot } from "./event-effects.ts";
import { type ParsedEvent, parseEvent } from "./parse-event.ts";
import { matchService, recordKey, refsOf } from "./service-index.ts";
import { isSpotCapacityShortage, isSpotInterruption } from "./spot.ts";

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

type Ignored = Extract<EventOutcome, { status: "ignored" }>;

/** The configured service an event concerns, and in which role its named service is. */
interface EventTarget {
  event: ParsedEvent;
  service: ServiceConfig;
  role: "service" | "onDemand";
}

type HandlerDeps = EvaluationDeps & { clock?: Clock };

/**
 * Handles one raw EventBridge event for the configured services at `now`. See the module comment
 * for what each event does. With a `clock` in `deps`, the re-evaluation runs at its own time.
 */
export async function handleEcsEvent(
  deps: HandlerDeps,
  config: Config,
  raw: unknown,
  now: Date,
): Promise<EventOutcome> {
  const parsed = parseEvent(raw);
  if (!parsed.ok) return { status: "malformed", problems: parsed.error.problems };
  const target = targetOf(config, parsed.value);
  if ("status" in target) return target;
  const key = recordKey(target.service);
  const outOfBounds = eventTimeProblem(target.event, now);
  if (outOfBounds) return { status: "ignored", reason: outOfBounds, service: key };
  const spot = await spotPairOf(deps, target, now);
  if (spot.kind === "ignored") return { status: "ignored", reason: spot.reason, service: key };
  const applied = await recordEvent(deps, target, spot.kind === "pair" ? spot.pair : undefined, now);
  if (applied.status !== "saved") return { status: applied.status, service: key };
  return reportAndReevaluate(deps, config, target.service, applied.effect, now);
}

/** The configured service an event is about, or why it is ignored. */
function targetOf(config: Config, event: ParsedEvent): EventTarget | Ignored {
  if (event.kind === "unknown")
    return { status: "ignored", reason: "unknown detail-type", detailType: event.detailType };
  if (event.kind === "alarm")
    return { status: "ignored", reason: "alarm events go to the evaluate function" };
  if (event.kind === "task" && !event.service) {
    return {
      status: "ignored",
      reason: event.detail.group
        ? `not a service task (group ${event.detail.group})`
        : "task event without a group",
    };
  }
  const named = event.service!;
  const match = matchService(config, named);
  if (!match.found) return { status: "ignored", reason: `service ${match.why}`, service: named.service };
  return { event, service: match.found, role: match.role };
}

type SpotPairLookup =
  | { kind: "notSpot" }
  | { kind: "ignored"; reason: string }
  | { kind: "pair"; pair: SpotPairSnapshot };

/**
 * For a Spot shortage or interruption of a Spot service with a sibling: the pair as DescribeServices
 * shows it (how many tasks to shift is decided against the loaded record, inside the save loop).
 * A failed DescribeServices call throws, so the event is retried.
 */
async function spotPairOf(deps: EvaluationDeps, target: EventTarget, now: Date): Promise<SpotPairLookup> {
  const { event, service, role } = target;
  if (!service.spotFallback || role !== "service") return { kind: "notSpot" };
  const shortage = event.kind === "serviceAction" && isSpotCapacityShortage(event);
  const interruption = event.kind === "task" && isSpotInterruption(event.detail);
  if (!shortage && !interruption) return { kind: "notSpot" };
  // The envelope's time (when EventBridge took the event) first: AWS's own example has a detail.createdAt
  // two weeks before it, so createdAt is only a fallback.
  const at = event.time ?? (event.kind === "serviceAction" ? event.createdAt : undefined);
  if (at !== undefined && now.getTime() - Date.parse(at) > MAX_SPOT_EVENT_AGE_SECONDS * 1000) {
    return { kind: "ignored", reason: `Spot event older than ${MAX_SPOT_EVENT_AGE_SECONDS} s` };
  }
  const [spotRef, onDemandRef] = refsOf(service);
  const result = await deps.services.describe([spotRef!, onDemandRef!]);
  const failed = result.failures[0];
  if (failed) {
    if (failed.callFailed) throw new PortError(failed.failure); // the call failed: retry the event
    return { kind: "ignored", reason: `cannot describe ${recordKey(failed.ref)}: ${failed.failure.message}` };
  }
  const spot = result.services.find((s) => s.service === spotRef!.service);
  const onDemand = result.services.find((s) => s.service === onDemandRef!.service);
  if (!spot || !onDemand) return { kind: "ignored", reason: "Spot pair not described" };
  return {
    kind: "pair",
    pair: {
      kind: shortage ? "shortage" : "interruption",
      spot: { desired: spot.desiredCount, running: spot.runningCount, pending: spot.pendingCount },
      onDemandDesired: onDemand.desiredCount,
    },
  };
}

type Recorded =
  | { status: "duplicate" | "stale" }
  /** Saved, or nothing to save (`effect.effects` empty). */
  | { status: "saved"; effect: Effect };

/**
 * Load → dedupe → apply → conditional save, again from the load when another writer saved first.
 * Throws when the record kept changing under it (the event is then retried).
 */
async function recordEvent(
  deps: HandlerDeps,
  target: EventTarget,
  spotPair: SpotPairSnapshot | undefined,
  now: Date,
): Promise<Recorded> {
  const key = recordKey(target.service);
  const eventKey: DedupeKey | undefined = dedupeKeyOf(target.event);
  const ctx = { service: target.service, role: target.role, spotPair, now };
  const dedupeKey = dedupeRecordKeyOf(key, target.event);
  for (let attempt = 1; attempt <= MAX_EVENT_SAVE_ATTEMPTS; attempt++) {
    const [loaded, handled] = await Promise.all([
      deps.state.load(key),
      dedupeKey ? deps.state.load(dedupeKey) : undefined,
    ]);
    const record = loaded ?? emptyRecord(key);
    // A list kept in the state record by an earlier version still counts until it ages out.
    const seen = [...(record.seen ?? []), ...(handled?.seen ?? [])];
    const fresh = eventKey ? freshness(seen, eventKey) : "new";
    if (fresh !== "new") return { status: fresh };
    const applied = applyEvent({ ...record, seen }, target.event, ctx);
    if (applied.outcome === "stale") return { status: "stale" };
    const { effect } = applied;
    if (effect.effects.length === 0) return { status: "saved", effect };
    const next = { ...effect.record };
    const legacy = remember(record.seen, now, undefined);
    if (legacy.length > 0) next.seen = legacy;
    else delete next.seen;
    if ((await deps.state.save(next)) === "saved") {
      if (dedupeKey) {
        const lost = await rememberEvent(
          deps.state,
          handled ?? emptyRecord(dedupeKey),
          now,
          eventKey,
          effect.markers,
        );
        if (lost) effect.effects.push(`not remembered as handled (${lost}): a redelivery would count again`);
      }
      return { status: "saved", effect };
    }
  }
  throw new Error(`${key}: state record kept changing; ${MAX_EVENT_SAVE_ATTEMPTS} saves lost`);
}

/** The record remembering this event: its task's (markers and versions are per task), or its own by id. */
function dedupeRecordKeyOf(key: string, event: ParsedEvent): string | undefined {
  if (event.kind === "task" && event.detail.taskArn !== undefined)
    return dedupeRecordKey(key, { task: event.detail.taskArn });
  return event.kind !== "unknown" && event.id !== undefined
    ? dedupeRecordKey(key, { event: event.id })
    : undefined;
}

/**
 * Adds the event (and its markers) to its dedupe record, after the state record saved its effect; a
 * concurrent handler's save is reloaded and added to. Returns why it could not (undefined: it did).
 * That failure is reported, not thrown: the effect is saved, and a thrown error would have Lambda
 * deliver the event again, certainly counting it twice (a start failure, a startup sample), where
 * now only a spontaneous duplicate would. The other order (dedupe first) would lose the effect instead.
 */
async function rememberEvent(
  state: StateStore,
  loaded: ServiceRecord,
  now: Date,
  eventKey: DedupeKey | undefined,
  markers: readonly string[],
): Promise<string | undefined> {
  let handled = loaded;
  try {
    for (let attempt = 1; attempt <= MAX_EVENT_SAVE_ATTEMPTS; attempt++) {
      const next = {
        ...handled,
        seen: remember(handled.seen, now, eventKey, markers),
        // Nothing in it matters after the retention: DynamoDB's TTL removes it.
        expiresAt: Math.floor(now.getTime() / 1000) + SEEN_RETENTION_SECONDS + 3600,
      };
      if ((await state.save(next)) === "saved") return undefined;
      handled = (await state.load(handled.key)) ?? emptyRecord(handled.key);
    }
    return `dedupe record kept changing; ${MAX_EVENT_SAVE_ATTEMPTS} saves lost`;
  } catch (error) {
    return failureOf(error).message;
  }
}

/** The handled outcome, after re-evaluating the service at once when an effect can change its count. */
async function reportAndReevaluate(
  deps: HandlerDeps,
  config: Config,
  service: ServiceConfig,
  effect: Effect,
  now: Date,
): Promise<EventOutcome> {
  const outcome: EventOutcome = {
    status: "handled",
    service: recordKey(service),
    effects: effect.effects,
    ...(effect.crashLoop ? { crashLoop: effect.crashLoop } : {}),
  };
  // At the time the re-evaluation runs (saves may have been retried, DescribeServices throttled):
  // a pass stamped earlier could record its decision before events it already reflects.
  if (effect.effects.length > 0 && effect.reevaluate)
    outcome.reevaluated = await runEvaluationPass(
      { ...deps, recordRead: STRONG_READ },
      config,
      deps.clock?.now() ?? now,
      [service],
    );
  return outcome;
}
