/**
 * One service in a pass: reconcile → decide → guards → remember → act → confirm → report. The state
 * record is saved (conditionally on its version) BEFORE UpdateService, so of two overlapping
 * evaluators only the one whose save wins applies anything: nothing is applied twice. A change is
 * saved marked pending and confirmed by a second save once it landed; a mark left by a lost response
 * is settled from DescribeServices on the next pass (./pending-update.ts). A pass that changes no
 * count and would save the record it read (every field equal, ./same-record.ts) saves nothing: there
 * is nothing to apply, so nothing for the version's condition to guard.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import { decide } from "../engine/decide.ts";
import { assumedStartupSeconds } from "../engine/latency.ts";
import type { DecideRequest, Decision } from "../engine/types.ts";
import type { Clock } from "../ports/clock.ts";
import type { DecisionRecord, DecisionSink } from "../ports/decision-sink.ts";
import type { PortFailure } from "../ports/failure.ts";
import type { ServiceRef, ServiceSnapshot, ServicesPort } from "../ports/services.ts";
import type { ServiceRecord, StateStore } from "../ports/state-store.ts";
import { type Applied, applyChanges, changesOf, pendingOf } from "./apply-changes.ts";
import { forecastOf, updateProfile } from "./arrival-profile.ts";
import { crashLoopCap, evaluateGuard, type GuardStatus } from "./crash-loop.ts";
import { decisionTime } from "./decision-time.ts";
import { deploymentHoldActive } from "./deployment-hold.ts";
import { observationsFor, type PassReadings, totalBacklog } from "./observe.ts";
import { overrideCount, withoutScaleEventAt } from "./overrides.ts";
import { pendingUpdate, reconcilePending } from "./pending-update.ts";
import { afterRateRead, rateSeriesId } from "./rate-reads.ts";
import { estimateRates, latencyTriggerIndex } from "./rates.ts";
import { sameRecord } from "./same-record.ts";
import { observeSpot, pairCount, type Split, siblingFloor, splitSpot } from "./spot.ts";

/** How long a record keeps after its last save (DynamoDB TTL): services removed from the config fade away. */
export const RECORD_TTL_SECONDS = 14 * 24 * 3600;
/**
 * A pass that would write nothing else still saves once its record's TTL was set this long ago: the
 * TTL then trails the last save by at most this (nothing next to 14 days), and the save time it was
 * set from, which ranks the service in the fair order (./fair-order.ts), lags its last decision by at
 * most this plus one pass.
 */
export const TTL_REFRESH_SECONDS = 60;
/**
 * A scale event this recent whose `from` is still what DescribeServices shows means the describe was
 * read before that decision's UpdateService landed (another evaluator, or ECS's eventual
 * consistency): deciding on it could undo that decision, so the service waits for the next pass.
 * Every event of the window counts, not only the last: a describe can be behind by two of them.
 */
export const DESCRIBE_LAG_SECONDS = 30;

export interface ServiceInputs {
  config: ServiceConfig;
  /** The evaluator's cadence, seconds: how the engine reads the run-encoded recommendations. */
  intervalSeconds?: number;
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
  /**
   * The time a save happens at (the pass's `now` is when it read), and the bound on how far ahead of
   * it another writer's entries may be dated (./decision-time.ts); default: that `now`.
   */
  clock?: Clock;
}

export type ServiceOutcome =
  | { status: "evaluated"; changed: boolean; applyFailure?: PortFailure }
  /** The save lost to another writer; the caller reloads and decides whether to try again. */
  | { status: "saveConflict" }
  /** The describe is older than the last decision in the record: wait for the next pass. */
  | { status: "describeLag" }
  /** Too close to the invocation's end to save and apply: left to the next invocation. */
  | { status: "deadline" };

/**
 * Evaluates one (configured) service against its loaded record, read by a pass that started at
 * `passNow`; decided at that time, or just after the record's entries that another writer saved
 * since (./decision-time.ts). Failures of the state store propagate.
 */
export async function evaluateService(
  deps: ServiceDeps,
  inputs: ServiceInputs,
  loaded: ServiceRecord,
  passNow: Date,
): Promise<ServiceOutcome> {
  const now = decisionTime(loaded.history, passNow, deps.clock?.now() ?? passNow);
  const record = reconcilePending(loaded, described(inputs), now);
  if (record === "inFlight") return { status: "describeLag" };
  const floor = onDemandFloor(inputs, record);
  const counts = pairCounts(inputs, record, floor ?? 0, now);
  if (describeLags(record, counts.current, now)) return { status: "describeLag" };
  const { decision: decided, learned, anchor, profile } = decideCount(inputs, record, counts, now, passNow);
  const guarded = applyGuards(inputs, record, decided, counts, now);
  const { guard, crash } = guarded;
  const decision = withDrainingNote(guarded.decision, counts);
  const { split, spot } = splitPair(inputs, record, decision.desiredCount, now);
  const next = nextRecord(record, decision, learned, spot, crash.state, deps.dryRun, now);
  setOrDelete(next, "arrivalProfile", profile);
  setOrDelete(next, "onDemandFloor", floor);
  setOrDelete(next, "arrivals", anchor);
  setOrDelete(next, "metrics", carriedMetrics(inputs.readings, record.key));
  const changes = changesOf(inputs.primary, inputs.onDemand, split, floor ?? 0);
  const pending = changes.length > 0 && !deps.dryRun;
  setOrDelete(
    next,
    "pendingUpdate",
    pending ? pendingUpdate(now, deps.clock?.now() ?? now, pendingOf(changes)) : undefined,
  );
  if (deps.saveDeadline && deps.saveDeadline.clock.now().getTime() >= deps.saveDeadline.atMs)
    return { status: "deadline" };
  // Save-then-apply: a change to apply is always saved first (its pending mark is new), never skipped.
  if ((pending || !unchangedSince(loaded, next, now)) && (await deps.state.save(next)) === "conflict")
    return { status: "saveConflict" };
  const applied = await applyChanges(deps, inputs.primary, changes, next, now);
  reportDecision(deps, inputs, { counts, decision, guard, crashLoop: crash.transition, split, applied }, now);
  return { status: "evaluated", changed: applied.changed, applyFailure: applied.failure };
}

/**
 * Whether saving `next` would change nothing the next pass needs: every field as `loaded` holds it,
 * the TTL (the only field that moves with time alone) aside while it is less than
 * {@link TTL_REFRESH_SECONDS} old.
 */
export function unchangedSince(loaded: ServiceRecord, next: ServiceRecord, now: Date): boolean {
  const ttlSetAtMs = ((loaded.expiresAt ?? Number.NEGATIVE_INFINITY) - RECORD_TTL_SECONDS) * 1000;
  if (!(now.getTime() - ttlSetAtMs < TTL_REFRESH_SECONDS * 1000)) return false;
  const { expiresAt: _next, ...rest } = next;
  const { expiresAt: _loaded, ...read } = loaded;
  return sameRecord(rest, read);
}

/** The service's (or Spot pair's) counts as the engine and the guards see them. */
interface Counts {
  current: number;
  /** runningCount as DescribeServices reports it, draining tasks included. */
  running: number;
  pending: number;
  /** Running tasks above the desired count outside a deployment (see {@link drainingTasks}). */
  draining: number;
}

/** A Spot pair's on-demand floor (the sibling's own tasks, not the pair's); undefined without a pair. */
function onDemandFloor({ config, onDemand }: ServiceInputs, record: ServiceRecord): number | undefined {
  if (!config.spotFallback || !onDemand) return undefined;
  return siblingFloor(record.onDemandFloor, onDemand.desiredCount, record.spot);
}

/** The pair's counts leave out the sibling's floor: those tasks are the sibling's own. */
function pairCounts(
  { config, primary, onDemand }: ServiceInputs,
  record: ServiceRecord,
  floor: number,
  now: Date,
): Counts {
  const deploying = deploymentHoldActive(
    record.deployment,
    primary.deploymentInProgress || (onDemand?.deploymentInProgress ?? false),
    now,
  );
  return {
    current:
      config.spotFallback && onDemand
        ? pairCount(record.spot, primary.desiredCount, ownTasks(onDemand.desiredCount, floor))
        : primary.desiredCount + (onDemand?.desiredCount ?? 0),
    running: primary.runningCount + ownTasks(onDemand?.runningCount ?? 0, floor),
    pending: primary.pendingCount + (onDemand?.pendingCount ?? 0),
    draining: deploying ? 0 : drainingTasks(primary) + (onDemand ? drainingTasks(onDemand) : 0),
  };
}

/** The sibling's tasks beyond its floor (the floor's are its own, not the pair's). */
function ownTasks(n: number, floor: number): number {
  return Math.max(0, n - floor);
}

/**
 * Tasks still running above the desired count after a scale-in: ECS stops unprotected tasks at once,
 * so outside a deployment (where old and new tasks overlap) they are tasks under scale-in protection,
 * finishing their work. Inferred from the counts: DescribeServices has no protection field, and
 * GetTaskProtection would cost a ListTasks and a GetTaskProtection call per service per pass. They
 * stop by themselves, so they are neither capacity to keep nor a count to cut again.
 */
export function drainingTasks(service: { desiredCount: number; runningCount: number }): number {
  return Math.max(0, service.runningCount - service.desiredCount);
}

/** The explanation says how many tasks are draining, when some are. */
function withDrainingNote(decision: Decision, counts: Counts): Decision {
  if (counts.draining === 0) return decision;
  const n = counts.draining;
  return {
    ...decision,
    explanation: `${decision.explanation}; ${n} ${n === 1 ? "task" : "tasks"} draining (running ${counts.running} > desired ${counts.running - n}, no deployment: scale-in protected tasks finishing their work, not counted as capacity)`,
  };
}

/** Whether the describe predates one of the record's recent scale events (see {@link DESCRIBE_LAG_SECONDS}). */
function describeLags(record: ServiceRecord, current: number, now: Date): boolean {
  const events = record.history?.scaleEvents ?? [];
  if (events.length === 0 || events.at(-1)!.to === current) return false;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (Math.abs(now.getTime() - Date.parse(event.at)) >= DESCRIBE_LAG_SECONDS * 1000) return false;
    if (event.from === current) return true;
  }
  return false;
}

/** The snapshots of this pass (the sibling's too), for settling a pending mark. */
function described({ primary, onDemand }: ServiceInputs): ServiceSnapshot[] {
  return onDemand ? [primary, onDemand] : [primary];
}

/** The rates a decision uses: measured from the queue and the sampled AWS/SQS series, or learned. */
function measuredRates(inputs: ServiceInputs, record: ServiceRecord, readAt: Date) {
  const { config, readings } = inputs;
  const latency = config.policy.triggers[latencyTriggerIndex(config.policy.triggers)];
  const sqs = latency?.type === "sqs" ? latency : undefined;
  const deleted = readings.series.get(rateSeriesId.deleted(config));
  const inFlight = readings.series.get(rateSeriesId.inFlight(config));
  const depth = sqs ? readings.depths.get(sqs.queueUrl) : undefined;
  const rates = estimateRates({
    deleted,
    inFlight,
    depth: depth?.ok ? depth.value : undefined,
    anchor: record.arrivals,
    now: readAt,
    messagesPerTask: sqs?.messagesPerTask ?? 1,
    secondsPerMessage: sqs?.secondsPerMessage,
    learned: record.learned,
  });
  return {
    rates,
    latency,
    learned: afterRateRead(rates.learned, deleted, inFlight, readAt),
    anchor: sqs ? rates.anchor : undefined,
  };
}

/** Predictive scaling's inputs: the arrival profile updated with this pass's rate, and its forecast. */
function predictionOf(
  record: ServiceRecord,
  arrivalRate: number | undefined,
  arrivalRateAt: Date | undefined,
  now: Date,
): { profile: ServiceRecord["arrivalProfile"]; forecast: DecideRequest["forecast"] } {
  const measuredAtMs = arrivalRateAt?.getTime() ?? now.getTime();
  const profile = updateProfile(record.arrivalProfile, arrivalRate, measuredAtMs);
  const forecast = forecastOf(
    profile,
    now.getTime(),
    record.learned.startupSeconds ?? assumedStartupSeconds,
    arrivalRate === undefined ? undefined : measuredAtMs,
  );
  return { profile, forecast };
}

/**
 * The engine's decision on this pass's observations and measured rates, the learned values and
 * queue snapshot to keep, and, for a predictive policy, the arrival profile after this pass's rate
 * (which gave the forecast). The arrival window ends at `readAt`, when the pass read the queue.
 */
function decideCount(
  inputs: ServiceInputs,
  record: ServiceRecord,
  counts: Counts,
  now: Date,
  readAt: Date,
): {
  decision: Decision;
  learned: ServiceRecord["learned"];
  anchor: ServiceRecord["arrivals"];
  profile?: ServiceRecord["arrivalProfile"];
} {
  const { config, readings } = inputs;
  const { rates, latency, learned, anchor } = measuredRates(inputs, record, readAt);
  const prediction =
    config.policy.predictive !== "off" && latency !== undefined
      ? predictionOf(record, rates.arrivalRate, rates.arrivalRateAt, now)
      : undefined;
  const request: DecideRequest = {
    now: now.toISOString(),
    policy: config.policy,
    service: {
      desiredCount: counts.current,
      runningCount: counts.running - counts.draining,
      pendingCount: counts.pending,
      startupSeconds: record.learned.startupSeconds,
    },
    observations: observationsFor(config, readings, {
      arrivalRate: rates.arrivalRate,
      processingRatePerTask: rates.processingRatePerTask,
    }),
    history: record.history,
    intervalSeconds: inputs.intervalSeconds,
    ...(prediction?.forecast ? { forecast: prediction.forecast } : {}),
  };
  return {
    decision: decide(request),
    learned,
    anchor,
    ...(prediction?.profile ? { profile: prediction.profile } : {}),
  };
}

/** The decision after the runtime's guards: crash-loop cap on scale-up, deployment hold on scale-in. */
function applyGuards(
  { config, primary, onDemand }: ServiceInputs,
  record: ServiceRecord,
  decided: Decision,
  counts: Counts,
  now: Date,
): { decision: Decision; guard: DecisionRecord["guard"]; crash: GuardStatus } {
  const { current } = counts;
  const running = counts.running - counts.draining;
  const nowIso = now.toISOString();
  let decision = decided;
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
    decision = overrideCount(
      decision,
      current,
      current,
      nowIso,
      "scale-in held: deployment in progress (a deployment waits for scale-in protected tasks, and more of them than the desired count block it, DEPLOYMENT_BLOCKED, until their work is done: a lower count would not unblock it)",
    );
    guard = "DeploymentHold";
  }
  return { decision, guard, crash };
}

/** How the decided total splits between Spot and its on-demand sibling, and the Spot state to keep. */
function splitPair(
  { config, primary, onDemand }: ServiceInputs,
  record: ServiceRecord,
  total: number,
  now: Date,
): { split: Split; spot: ServiceRecord["spot"] } {
  if (!config.spotFallback || !onDemand) return { split: { spot: total, onDemand: 0 }, spot: record.spot };
  const observed = {
    desired: primary.desiredCount,
    running: primary.runningCount,
    pending: primary.pendingCount,
  };
  const spot = observeSpot(record.spot, observed, total, config.spotFallback.coolOffSeconds, now);
  // Remember the total the split came from: the next pass counts the pair by it (see pairCount).
  return { split: splitSpot(total, spot, primary.runningCount), spot: spot ? { ...spot, total } : spot };
}

/** The record to save: the decision's history (without its scale event in dry run), what was learned, the TTL. */
function nextRecord(
  record: ServiceRecord,
  decision: Decision,
  learned: ServiceRecord["learned"],
  spot: ServiceRecord["spot"],
  crashLoop: ServiceRecord["crashLoop"],
  dryRun: boolean,
  now: Date,
): ServiceRecord {
  const nowIso = now.toISOString();
  const next: ServiceRecord = {
    ...record,
    history: dryRun ? withoutScaleEventAt(decision.history, nowIso) : decision.history,
    learned,
    expiresAt: Math.floor(now.getTime() / 1000) + RECORD_TTL_SECONDS,
  };
  setOrDelete(next, "spot", spot);
  setOrDelete(next, "crashLoop", crashLoop);
  return next;
}

/** Tells the sink what was decided, with the guard, the crash-loop transition and the Spot split. */
function reportDecision(
  deps: ServiceDeps,
  { config, primary, onDemand, readings }: ServiceInputs,
  outcome: {
    counts: Counts;
    decision: Decision;
    guard: DecisionRecord["guard"];
    crashLoop: GuardStatus["transition"];
    split: Split;
    applied: Applied;
  },
  now: Date,
): void {
  const { counts, decision, guard, crashLoop, split, applied } = outcome;
  deps.sink.decision({
    at: now,
    ref: refOf(primary),
    from: counts.current,
    running: counts.running,
    ...(counts.draining > 0 ? { draining: counts.draining } : {}),
    decision,
    backlog: totalBacklog(config, readings),
    applied: applied.applied,
    dryRun: deps.dryRun,
    guard,
    crashLoop,
    split:
      config.spotFallback && onDemand
        ? {
            spot: split.spot,
            onDemand: split.onDemand,
            onDemandService: onDemand.service,
            fromSpot: primary.desiredCount,
            fromOnDemand: onDemand.desiredCount,
          }
        : undefined,
  });
}

/** The datapoints this pass leaves for the next one to carry (none: the field is left out). */
function carriedMetrics(readings: PassReadings, key: string): ServiceRecord["metrics"] {
  const carried = readings.carried.get(key);
  return carried && Object.keys(carried).length > 0 ? carried : undefined;
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
