/**
 * One evaluation pass over the configured services at `now`:
 * describe (batched by the adapter) → observe (each queue once, all metrics in one call) →
 * decide → guards → remember (conditional write) → act (UpdateService only on a change) → report.
 * One service's failure never blocks the others: it is reported through the sink and counted.
 * The simulator drives this same function through its own ports.
 */

import pMap from "p-map";
import type { Config, ServiceConfig } from "../config/config-file.ts";
import { sameHistory } from "../engine/history.ts";
import type { DecisionSink } from "../ports/decision-sink.ts";
import { failureOf, isRetryable, type PortFailure, type Result } from "../ports/failure.ts";
import type { MetricsPort } from "../ports/metrics.ts";
import type { QueuesPort } from "../ports/queues.ts";
import type { ServiceRef, ServiceSnapshot, ServicesPort } from "../ports/services.ts";
import { emptyRecord, type ServiceRecord, type StateStore } from "../ports/state-store.ts";
import { evaluateService, type SaveDeadline, type ServiceOutcome } from "./evaluate-service.ts";
import { type PassReadings, readAll } from "./observe.ts";
import { recordKey, refsOf } from "./service-index.ts";

export interface EvaluationDeps {
  services: ServicesPort;
  queues: QueuesPort;
  metrics: MetricsPort;
  state: StateStore;
  sink: DecisionSink;
  dryRun: boolean;
  /** Optional: no service is saved or applied from this time on (the Lambda's timeout approaching). */
  saveDeadline?: SaveDeadline;
}

export interface PassSummary {
  /** Services that got a decision (saved; applied unless dry run or unchanged). */
  evaluated: number;
  /** Decisions that changed a desired count (applied, or would have been in dry run). */
  changed: number;
  /** Services whose pass failed (describe, state, or UpdateService); each was reported to the sink. */
  failed: number;
  /** Services skipped because another evaluator decided first (its save won): nothing applied twice. */
  conflicts: number;
  /** Services skipped because DescribeServices predates the record's last decision (left to the next pass). */
  describeLags: number;
  /** Services skipped because the save deadline had passed (left to the next invocation). */
  pastDeadline: number;
  /** How many of the failures were transient (throttling, 5xx): worth a retry. */
  transientFailures: number;
}

/**
 * Configured services a pass left undecided for a reason worth an alarm: failed, or out of time. A
 * service another evaluator decided first (a conflict) or whose describe predates its own last
 * decision (a lag, right after every scale event) was decided, or is healthy and waits one pass.
 */
export function servicesNotEvaluated(summary: PassSummary, configured: number): number {
  return Math.max(0, configured - summary.evaluated - summary.conflicts - summary.describeLags);
}

/** State loads and per-service decisions in flight at once. UpdateService pacing is the adapter's. */
export const SERVICE_CONCURRENCY = 4;
/** A save that loses to a writer that did not decide (an event handler) is redone this many times. */
export const MAX_SAVE_ATTEMPTS = 3;

/** A service ready to evaluate: described (with its sibling) and its record loaded. */
interface Ready {
  config: ServiceConfig;
  primary: ServiceSnapshot;
  onDemand?: ServiceSnapshot;
  record: ServiceRecord;
}

/** A service that cannot be evaluated in this pass, and at which stage it failed. */
interface NotReady {
  config: ServiceConfig;
  stage: string;
  failure: PortFailure;
}

/**
 * Runs one pass over every configured service (or only `services`, e.g. those an alarm or event
 * concerns) at `now`. Never throws for a service's failure; see {@link PassSummary}.
 */
export async function runEvaluationPass(
  deps: EvaluationDeps,
  config: Config,
  now: Date,
  services: readonly ServiceConfig[] = config.services,
): Promise<PassSummary> {
  const summary: PassSummary = {
    evaluated: 0,
    changed: 0,
    failed: 0,
    conflicts: 0,
    describeLags: 0,
    pastDeadline: 0,
    transientFailures: 0,
  };
  if (services.length === 0) return summary;
  const { ready, notReady } = await prepare(deps, services);
  for (const p of notReady) {
    countFailure(summary, p.failure);
    deps.sink.failure(refsOf(p.config)[0]!, p.stage, p.failure);
  }
  const records = new Map(ready.map((p) => [p.config, p.record]));
  const readings = await readAll(
    deps,
    ready.map((p) => p.config),
    now,
    (service) => records.get(service)?.metrics,
  );
  reportReadFailures(deps.sink, ready, readings);
  await pMap(ready, (p) => evaluateOne(deps, p, readings, now, summary), {
    concurrency: SERVICE_CONCURRENCY,
  });
  return summary;
}

function countFailure(summary: PassSummary, failure: PortFailure): void {
  summary.failed += 1;
  if (isRetryable(failure)) summary.transientFailures += 1;
}

/** Describes every service and loads every record, then sorts the services into ready and not. */
async function prepare(
  deps: EvaluationDeps,
  services: readonly ServiceConfig[],
): Promise<{ ready: Ready[]; notReady: NotReady[] }> {
  const [snapshots, records] = await Promise.all([
    describeAll(deps.services, services),
    loadAll(deps.state, services),
  ]);
  const ready: Ready[] = [];
  const notReady: NotReady[] = [];
  services.forEach((config, i) => {
    const p = readiness(config, snapshots, records[i]!);
    if ("failure" in p) notReady.push(p);
    else ready.push(p);
  });
  return { ready, notReady };
}

/** One service's snapshots and record, or the first thing missing (its describe, its sibling's, its record). */
function readiness(
  config: ServiceConfig,
  snapshots: Map<string, Described>,
  record: Result<ServiceRecord>,
): Ready | NotReady {
  const [primaryRef, onDemandRef] = refsOf(config);
  const described = (ref: ServiceRef): Described =>
    snapshots.get(recordKey(ref)) ?? {
      ok: false,
      error: { kind: "notFound", message: `${recordKey(ref)} was not described` },
    };
  const primary = described(primaryRef!);
  if (!primary.ok) return { config, stage: "describe", failure: primary.error };
  const onDemand = onDemandRef ? described(onDemandRef) : undefined;
  if (onDemand && !onDemand.ok)
    return { config, stage: "describe on-demand sibling", failure: onDemand.error };
  if (!record.ok) return { config, stage: "state", failure: record.error };
  return { config, primary: primary.value, onDemand: onDemand?.value, record: record.value };
}

/** Each failed queue read is reported for every service that reads that queue (not counted: the service still decides). */
function reportReadFailures(sink: DecisionSink, ready: readonly Ready[], readings: PassReadings): void {
  for (const [url, depth] of readings.depths) {
    if (depth.ok) continue;
    for (const p of ready) {
      if (p.config.policy.triggers.some((t) => t.type === "sqs" && t.queueUrl === url))
        sink.failure(refsOf(p.config)[0]!, "read", depth.error);
    }
  }
}

/** Evaluates one ready service and counts what came of it. */
async function evaluateOne(
  deps: EvaluationDeps,
  p: Ready,
  readings: PassReadings,
  now: Date,
  summary: PassSummary,
): Promise<void> {
  let outcome: ServiceOutcome;
  try {
    outcome = await evaluateWithRetry(deps, p, readings, now);
  } catch (error) {
    const failure = failureOf(error);
    countFailure(summary, failure);
    deps.sink.failure(refsOf(p.config)[0]!, "state", failure);
    return;
  }
  switch (outcome.status) {
    case "saveConflict":
      summary.conflicts += 1;
      return;
    case "describeLag":
      summary.describeLags += 1;
      return;
    case "deadline":
      summary.pastDeadline += 1;
      return;
    case "evaluated":
      summary.evaluated += 1;
      if (outcome.changed) summary.changed += 1;
      if (outcome.applyFailure !== undefined) countFailure(summary, outcome.applyFailure);
  }
}

/**
 * Evaluates, and when the save loses: reloads. If the history changed, another evaluator decided
 * (a conflict: nothing is applied twice). If only other fields changed (an event handler learned
 * something), decides again on the fresh record.
 */
async function evaluateWithRetry(
  deps: EvaluationDeps,
  p: Ready,
  readings: PassReadings,
  now: Date,
): Promise<ServiceOutcome> {
  const inputs = { config: p.config, primary: p.primary, onDemand: p.onDemand, readings };
  let record = p.record;
  for (let attempt = 1; ; attempt++) {
    const outcome = await evaluateService(deps, inputs, record, now);
    if (outcome.status !== "saveConflict" || attempt >= MAX_SAVE_ATTEMPTS) return outcome;
    const fresh = (await deps.state.load(record.key)) ?? emptyRecord(record.key);
    if (!sameHistory(fresh.history, record.history)) return outcome;
    record = fresh;
  }
}

type Described = Result<ServiceSnapshot>;

/** Describes every service and sibling; a failed describe is kept per service, with its reason. */
async function describeAll(
  port: ServicesPort,
  services: readonly ServiceConfig[],
): Promise<Map<string, Described>> {
  const refs = services.flatMap(refsOf);
  const found = new Map<string, Described>();
  try {
    const result = await port.describe(refs);
    for (const snapshot of result.services) found.set(recordKey(snapshot), { ok: true, value: snapshot });
    for (const { ref, failure, callFailed } of result.failures) {
      // ECS's verdict names the service; a failed call's message is the error itself.
      const error = callFailed ? failure : { ...failure, message: `${recordKey(ref)}: ${failure.message}` };
      found.set(recordKey(ref), { ok: false, error });
    }
  } catch (error) {
    const failure = failureOf(error);
    for (const ref of refs) found.set(recordKey(ref), { ok: false, error: failure });
  }
  return found;
}

/** Loads every service's record (a new one for a service never saved); a failed load is kept per service. */
async function loadAll(
  state: StateStore,
  services: readonly ServiceConfig[],
): Promise<Result<ServiceRecord>[]> {
  return pMap(
    services,
    async (service) => {
      const key = recordKey(service);
      try {
        return { ok: true as const, value: (await state.load(key)) ?? emptyRecord(key) };
      } catch (error) {
        return { ok: false as const, error: failureOf(error) };
      }
    },
    { concurrency: SERVICE_CONCURRENCY * 2 },
  );
}
