/**
 * One service in a pass: decide → guards → remember → act → report. The state record is saved
 * (conditionally on its version) BEFORE UpdateService, so of two overlapping evaluators only the one
 * whose save wins applies anything: nothing is applied twice.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import type { DecideRequest } from "../config/request.ts";
import { decide } from "../engine/decide.ts";
import type { Decision } from "../engine/types.ts";
import type { Clock } from "../ports/clock.ts";
import type { DecisionRecord, DecisionSink } from "../ports/decision-sink.ts";
import { failureOf, type PortFailure } from "../ports/failure.ts";
import type { ServiceRef, ServiceSnapshot, ServicesPort } from "../ports/services.ts";
import type { ServiceRecord, StateStore } from "../ports/state-store.ts";
import { crashLoopCap, evaluateGuard } from "./crash-loop.ts";
import { deploymentHoldActive } from "./deployment-hold.ts";
import { metricId, observationsFor, type PassReadings, totalBacklog } from "./observe.ts";
import { overrideCount, withoutScaleEventAt } from "./overrides.ts";
import { estimateRates, latencyTriggerIndex } from "./rates.ts";
import { observeSpot, pairCount, type Split, splitSpot } from "./spot.ts";

/** How long a record keeps after its last save (DynamoDB TTL): services removed from the config fade away. */
export const RECORD_TTL_SECONDS = 14 * 24 * 3600;
/**
 * A scale event this recent whose `from` is still what DescribeServices shows means the describe was
 * read before that decision's UpdateService landed (another evaluator, or ECS's eventual
 * consistency): deciding on it could undo that decision, so the service waits for the next pass.
 */
export const DESCRIBE_LAG_SECONDS = 30;

export interface ServiceInputs {
  config: ServiceConfig;
  primary: ServiceSnapshot;
  /** The on-demand sibling, for a Spot service with `spotFallback`. */
  onDemand?: ServiceSnapshot;
  readings: PassReadings;
}

/**
 * No save (and so no UpdateService) starts at or after `atMs` by `clock`: a Lambda stopped by its
 * timeout between a save and its UpdateService would leave a recorded decision that never happened.
 */
export interface SaveDeadline {
  clock: Clock;
  atMs: number;
}

export interface ServiceDeps {
  services: ServicesPort;
  state: StateStore;
  sink: DecisionSink;
  dryRun: boolean;
  saveDeadline?: SaveDeadline;
}

export type ServiceOutcome =
  | { status: "evaluated"; changed: boolean; applyFailure?: PortFailure }
  /** The save lost to another writer; the caller reloads and decides whether to try again. */
  | { status: "saveConflict" }
  /** The describe is older than the last decision in the record: wait for the next pass. */
  | { status: "describeLag" }
  /** Too close to the invocation's end to save and apply: left to the next invocation. */
  | { status: "deadline" };

/** Evaluates one (configured) service against its loaded record. Errors from the state store propagate. */
export async function evaluateService(
  deps: ServiceDeps,
  inputs: ServiceInputs,
  record: ServiceRecord,
  now: Date,
): Promise<ServiceOutcome> {
  const { config, primary, onDemand, readings } = inputs;
  const nowIso = now.toISOString();
  const current =
    config.spotFallback && onDemand
      ? pairCount(record.spot, primary.desiredCount, onDemand.desiredCount)
      : primary.desiredCount + (onDemand?.desiredCount ?? 0);
  const running = primary.runningCount + (onDemand?.runningCount ?? 0);
  const pending = primary.pendingCount + (onDemand?.pendingCount ?? 0);

  const last = record.history?.scaleEvents.at(-1);
  if (
    last &&
    last.from === current &&
    last.to !== current &&
    now.getTime() - Date.parse(last.at) < DESCRIBE_LAG_SECONDS * 1000 &&
    now.getTime() >= Date.parse(last.at)
  ) {
    return { status: "describeLag" };
  }

  const latency = config.policy.triggers[latencyTriggerIndex(config.policy.triggers)];
  const rates = estimateRates({
    sent: readings.metrics.get(metricId.sent(config)),
    deleted: readings.metrics.get(metricId.deleted(config)),
    inFlight: readings.metrics.get(metricId.inFlight(config)),
    messagesPerTask: latency?.type === "sqs" ? latency.messagesPerTask : 1,
    ...(latency?.type === "sqs" && latency.secondsPerMessage !== undefined
      ? { secondsPerMessage: latency.secondsPerMessage }
      : {}),
    learned: record.learned,
  });
  const request: DecideRequest = {
    now: nowIso,
    policy: config.policy,
    service: {
      desiredCount: current,
      runningCount: running,
      pendingCount: pending,
      ...(record.learned.startupSeconds !== undefined
        ? { startupSeconds: record.learned.startupSeconds }
        : {}),
    },
    observations: observationsFor(config, readings, {
      ...(rates.arrivalRate !== undefined ? { arrivalRate: rates.arrivalRate } : {}),
      ...(rates.processingRatePerTask !== undefined
        ? { processingRatePerTask: rates.processingRatePerTask }
        : {}),
    }),
    ...(record.history ? { history: record.history } : {}),
  };
  let decision: Decision = decide(request);
  let guard: DecisionRecord["guard"];

  const crash = evaluateGuard(record.crashLoop, config.crashLoopGuard, now);
  if (crash.active) {
    const capped = crashLoopCap(current, decision.desiredCount, running, config.crashLoopGuard);
    if (capped !== undefined) {
      const note = `crash-loop guard: ${crash.state?.recentFailures.length ?? 0} start failures in ${config.crashLoopGuard.windowSeconds} s, scale-up capped at running ${running} + ${config.crashLoopGuard.margin}`;
      decision = overrideCount(decision, current, capped, nowIso, note);
      guard = "CrashLoopGuard";
    }
  }
  const described = primary.deploymentInProgress || (onDemand?.deploymentInProgress ?? false);
  if (decision.desiredCount < current && deploymentHoldActive(record.deployment, described, now)) {
    decision = overrideCount(decision, current, current, nowIso, "scale-in held: deployment in progress");
    guard = "DeploymentHold";
  }

  const total = decision.desiredCount;
  let split: Split = { spot: total, onDemand: 0 };
  let spot = record.spot;
  if (config.spotFallback && onDemand) {
    spot = observeSpot(
      record.spot,
      { desired: primary.desiredCount, running: primary.runningCount, pending: primary.pendingCount },
      total,
      config.spotFallback.coolOffSeconds,
      now,
    );
    split = splitSpot(total, spot, primary.runningCount);
    // Remember the total the split came from: the next pass counts the pair by it (see pairCount).
    if (spot) spot = { ...spot, total };
  }

  const history = deps.dryRun ? withoutScaleEventAt(decision.history, nowIso) : decision.history;
  const next: ServiceRecord = {
    ...record,
    history,
    learned: rates.learned,
    expiresAt: Math.floor(now.getTime() / 1000) + RECORD_TTL_SECONDS,
  };
  setOrDelete(next, "spot", spot);
  setOrDelete(next, "crashLoop", crash.state);
  if (deps.saveDeadline && deps.saveDeadline.clock.now().getTime() >= deps.saveDeadline.atMs)
    return { status: "deadline" };
  if ((await deps.state.save(next)) === "conflict") return { status: "saveConflict" };

  const changes: { ref: ServiceRef; from: number; to: number }[] = [
    { ref: primary, from: primary.desiredCount, to: split.spot },
  ];
  if (onDemand) changes.push({ ref: onDemand, from: onDemand.desiredCount, to: split.onDemand });
  const needed = changes.filter((c) => c.to !== c.from).sort((a, b) => b.to - b.from - (a.to - a.from));
  const changed = needed.length > 0;

  let applied = false;
  let applyFailure: PortFailure | undefined;
  if (changed && !deps.dryRun) {
    // Increases first, and stop at the first failure: a failed raise must not be followed by a cut.
    try {
      for (const change of needed) await deps.services.setDesiredCount(refOf(change.ref), change.to);
      applied = true;
    } catch (error) {
      applyFailure = failureOf(error);
      deps.sink.failure(refOf(primary), "update", applyFailure);
      await forgetScaleEvent(deps.state, next, nowIso);
    }
  }

  const backlog = totalBacklog(config, readings);
  deps.sink.decision({
    at: now,
    ref: refOf(primary),
    from: current,
    running,
    decision,
    ...(backlog !== undefined ? { backlog } : {}),
    applied,
    dryRun: deps.dryRun,
    ...(guard ? { guard } : {}),
    ...(crash.transition ? { crashLoop: crash.transition } : {}),
    ...(config.spotFallback && onDemand
      ? {
          split: {
            spot: split.spot,
            onDemand: split.onDemand,
            onDemandService: onDemand.service,
            fromSpot: primary.desiredCount,
            fromOnDemand: onDemand.desiredCount,
          },
        }
      : {}),
  });
  return { status: "evaluated", changed, ...(applyFailure !== undefined ? { applyFailure } : {}) };
}

/**
 * After a failed UpdateService the saved history claims a scale event that did not happen; put the
 * history back so the next decision's rate limits do not count it. Best effort: if another writer
 * got there first, its record stands and the stale event ages out within the longest period.
 */
async function forgetScaleEvent(state: StateStore, saved: ServiceRecord, nowIso: string): Promise<void> {
  if (!saved.history) return;
  try {
    await state.save({
      ...saved,
      version: saved.version + 1,
      history: withoutScaleEventAt(saved.history, nowIso),
    });
  } catch {
    // The update's failure is already reported; this repair is not worth a second one.
  }
}

function refOf(ref: ServiceRef): ServiceRef {
  return { cluster: ref.cluster, service: ref.service };
}

function setOrDelete<K extends keyof ServiceRecord>(
  record: ServiceRecord,
  key: K,
  value: ServiceRecord[K] | undefined,
): void {
  if (value === undefined) delete record[key];
  else record[key] = value;
}
