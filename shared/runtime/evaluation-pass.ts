/**
 * One evaluation pass over the configured services at `now`:
 * describe (batched by the adapter) → observe (each queue once, all metrics in one call) →
 * decide → guards → remember (conditional write) → act (UpdateService only on a change) → report.
 * One service's failure never blocks the others: it is reported through the sink and counted.
 * The simulator drives this same function through its own ports.
 */

import pMap from "p-map";
import type { Config, ServiceConfig } from "../config/config-file.ts";
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
  /**
   * Services skipped because another writer decided first, the describe predates its decision, or
   * the save deadline had passed (left to the next pass).
   */
  conflicts: number;
  /** How many of the failures were transient (throttling, 5xx): worth a retry. */
  transientFailures: number;
}

/** State loads and per-service decisions in flight at once. UpdateService pacing is the adapter's. */
export const SERVICE_CONCURRENCY = 4;
/** A save that loses to a writer that did not decide (an event handler) is redone this many times. */
export const MAX_SAVE_ATTEMPTS = 3;

type Prepared =
  | { config: ServiceConfig; primary: ServiceSnapshot; onDemand?: ServiceSnapshot; record: ServiceRecord }
  | { config: ServiceConfig; failure: { stage: string; error: PortFailure } };

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
  const summary: PassSummary = { evaluated: 0, changed: 0, failed: 0, conflicts: 0, transientFailures: 0 };
  if (services.length === 0) return summary;
  const fail = (ref: ServiceRef, stage: string, failure: PortFailure) => {
    summary.failed += 1;
    if (isRetryable(failure)) summary.transientFailures += 1;
    deps.sink.failure(ref, stage, failure);
  };

  const [snapshots, records] = await Promise.all([
    describeAll(deps.services, services),
    loadAll(deps.state, services),
  ]);
  const prepared: Prepared[] = services.map((config, i) => {
    const [primaryRef, onDemandRef] = refsOf(config);
    const primary = snapshots.get(recordKey(primaryRef!));
    const onDemand = onDemandRef ? snapshots.get(recordKey(onDemandRef)) : undefined;
    for (const [ref, found] of [
      [primaryRef!, primary],
      ...(onDemandRef ? [[onDemandRef, onDemand] as const] : []),
    ] as const) {
      if (found?.ok) continue;
      return {
        config,
        failure: {
          stage: ref === primaryRef ? "describe" : "describe on-demand sibling",
          error: found?.error ?? { kind: "notFound", message: `${recordKey(ref)} was not described` },
        },
      };
    }
    const record = records[i]!;
    if (!record.ok) return { config, failure: { stage: "state", error: record.error } };
    return {
      config,
      primary: (primary as Extract<Described, { ok: true }>).value,
      ...(onDemand?.ok ? { onDemand: onDemand.value } : {}),
      record: record.value,
    };
  });

  const ready = prepared.filter((p): p is Extract<Prepared, { record: ServiceRecord }> => "record" in p);
  for (const p of prepared) if ("failure" in p) fail(refsOf(p.config)[0]!, p.failure.stage, p.failure.error);
  const readings = await readAll(
    deps,
    ready.map((p) => p.config),
    now,
  );
  for (const [url, depth] of readings.depths) {
    if (depth.ok) continue;
    for (const p of ready) {
      if (p.config.policy.triggers.some((t) => t.type === "sqs" && t.queueUrl === url))
        deps.sink.failure(refsOf(p.config)[0]!, "read", depth.error);
    }
  }

  await pMap(
    ready,
    async (p) => {
      const ref = refsOf(p.config)[0]!;
      try {
        const outcome = await evaluateWithRetry(deps, p, readings, now);
        if (outcome.status !== "evaluated") {
          summary.conflicts += 1;
          return;
        }
        summary.evaluated += 1;
        if (outcome.changed) summary.changed += 1;
        if (outcome.applyFailure !== undefined) {
          summary.failed += 1;
          if (isRetryable(outcome.applyFailure)) summary.transientFailures += 1;
        }
      } catch (error) {
        fail(ref, "state", failureOf(error));
      }
    },
    { concurrency: SERVICE_CONCURRENCY },
  );
  return summary;
}

/**
 * Evaluates, and when the save loses: reloads. If the history changed, another evaluator decided
 * (a conflict: nothing is applied twice). If only other fields changed (an event handler learned
 * something), decides again on the fresh record.
 */
async function evaluateWithRetry(
  deps: EvaluationDeps,
  p: Extract<Prepared, { record: ServiceRecord }>,
  readings: PassReadings,
  now: Date,
): Promise<ServiceOutcome> {
  const inputs = {
    config: p.config,
    primary: p.primary,
    ...(p.onDemand ? { onDemand: p.onDemand } : {}),
    readings,
  };
  let record = p.record;
  for (let attempt = 1; ; attempt++) {
    const outcome = await evaluateService(deps, inputs, record, now);
    if (outcome.status !== "saveConflict" || attempt >= MAX_SAVE_ATTEMPTS) return outcome;
    const fresh = (await deps.state.load(record.key)) ?? emptyRecord(record.key);
    if (JSON.stringify(fresh.history ?? null) !== JSON.stringify(record.history ?? null)) return outcome;
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
