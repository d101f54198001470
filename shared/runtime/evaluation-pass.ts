/**
 * One evaluation pass over the configured services at `now`:
 * load the records (batch reads) → fair order (longest waiting first) → describe (10 a call) and
 * observe (each queue once, metrics a chunk of services a call) → decide → guards → remember
 * (conditional write) → act (UpdateService only on a change) → report, each service as soon as its
 * own reads are in. One service's failure or slow call never blocks the others: a failure is
 * reported through the sink and counted. The simulator drives this same function through its own ports.
 */

import type { Config, ServiceConfig } from "../config/config-file.ts";
import { sameHistory } from "../engine/history.ts";
import type { Clock } from "../ports/clock.ts";
import type { DecisionSink } from "../ports/decision-sink.ts";
import { failureOf, isRetryable, type PortFailure } from "../ports/failure.ts";
import type { MetricsPort } from "../ports/metrics.ts";
import type { QueuesPort } from "../ports/queues.ts";
import type { ServicesPort } from "../ports/services.ts";
import {
  emptyRecord,
  type LoadResult,
  PASS_READ,
  type ReadOptions,
  type StateStore,
} from "../ports/state-store.ts";
import { evaluateService, type SaveDeadline, type ServiceOutcome } from "./evaluate-service.ts";
import { fairOrder, lastEvaluatedMs } from "./fair-order.ts";
import { type RankedLimit, rankedLimit } from "./limiter.ts";
import { loadRecords } from "./load-records.ts";
import { type NotReady, passReads, type Ready } from "./pass-inputs.ts";
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
  /**
   * The evaluator's clock, when it has one (on AWS): a service is saved at its time, and a history
   * another evaluator saved after this pass began is decided just after (./decision-time.ts).
   */
  clock?: Clock;
  /**
   * The cadence of passes, seconds (the config's `intervalSeconds`), for the engine's reading of the
   * run-encoded recommendations; the config's when unset.
   */
  intervalSeconds?: number;
  /**
   * How the pass reads its records: eventually consistent ({@link PASS_READ}) unless set. The event
   * handler's pass, which runs right after its own save, reads strongly consistent: an eventually
   * consistent read there would often miss that save and cost a conflict and a reload.
   */
  recordRead?: ReadOptions;
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

/**
 * Per-service decisions (save, then UpdateService) in flight at once; a free slot goes to the
 * longest-waiting ready service. UpdateService pacing is the adapter's.
 */
export const SERVICE_CONCURRENCY = 32;
/** A save that loses to a writer that did not decide (an event handler) is redone this many times. */
export const MAX_SAVE_ATTEMPTS = 3;

/** Services whose records one batch read loads (DynamoDB's BatchGetItem takes 100 keys). */
export const RECORD_BATCH_SERVICES = 100;
/** Record batches loading at once. */
export const RECORD_BATCH_CONCURRENCY = 8;

/**
 * Runs one pass over every configured service (or only `services`, e.g. those an alarm or event
 * concerns) at `now`. Never throws for a service's failure; see {@link PassSummary}.
 *
 * Pipelined: the records are loaded in batches (by cluster, 100 a batch); as each batch arrives its
 * services' reads start, and each service is decided as soon as its own reads are in. Every limit
 * on calls in flight gives its next free slot to the service last decided longest ago (never
 * decided first), whichever batch it came in.
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
  const passDeps = { ...deps, intervalSeconds: deps.intervalSeconds ?? config.intervalSeconds };
  const ranks = new Map<ServiceConfig, number>();
  const rankOf = rankLookup(ranks);
  const start = passReads(deps, now, rankOf);
  const decide = rankedLimit(SERVICE_CONCURRENCY);
  const load = rankedLimit(RECORD_BATCH_CONCURRENCY);
  await Promise.all(
    recordBatches(services).map(async (batch) => {
      // Eventually consistent: every save is conditional on the version read (see ReadOptions).
      const records = await load(() =>
        loadRecords(deps.state, batch.map(recordKey), deps.recordRead ?? PASS_READ),
      );
      for (const s of batch) ranks.set(s, waitRank(records.get(recordKey(s))));
      const ordered = fairOrder(batch, records);
      const inputsOf = start(ordered, records);
      await Promise.all(
        ordered.map((s) => decideWhenReady(passDeps, inputsOf(s), decide, rankOf(s), now, summary)),
      );
    }),
  );
  return summary;
}

/** The services in batches of {@link RECORD_BATCH_SERVICES}, one cluster after another (so describe calls stay full). */
function recordBatches(services: readonly ServiceConfig[]): ServiceConfig[][] {
  const byCluster = new Map<string, ServiceConfig[]>();
  for (const s of services) {
    const list = byCluster.get(s.cluster) ?? [];
    list.push(s);
    byCluster.set(s.cluster, list);
  }
  const sorted: ServiceConfig[] = [];
  for (const list of byCluster.values()) for (const s of list) sorted.push(s);
  const batches: ServiceConfig[][] = [];
  for (let i = 0; i < sorted.length; i += RECORD_BATCH_SERVICES)
    batches.push(sorted.slice(i, i + RECORD_BATCH_SERVICES));
  return batches;
}

/**
 * A lookup of `ranks`: a service not ranked yet (its batch not loaded) ranks lowest. Returned from here
 * rather than declared in the pass, where esbuild's keepNames would name a new closure at every pass.
 */
function rankLookup(ranks: ReadonlyMap<ServiceConfig, number>): (s: ServiceConfig) => number {
  return (s) => ranks.get(s) ?? Number.NEGATIVE_INFINITY;
}

/** A service's rank in every limit of the pass: when it was last decided (a failed load ranks first: it fails at once). */
function waitRank(loaded: LoadResult | undefined): number {
  return loaded?.ok ? lastEvaluatedMs(loaded.value) : Number.NEGATIVE_INFINITY;
}

/** Waits for one service's reads, then reports it as failed or decides it in a decision slot. */
async function decideWhenReady(
  deps: EvaluationDeps,
  inputs: Promise<Ready | NotReady>,
  decide: RankedLimit,
  rank: number,
  now: Date,
  summary: PassSummary,
): Promise<void> {
  const p = await inputs;
  if ("failure" in p) {
    countFailure(summary, p.failure);
    deps.sink.failure(refsOf(p.config)[0]!, p.stage, p.failure);
    return;
  }
  for (const failure of p.readFailures) deps.sink.failure(refsOf(p.config)[0]!, "read", failure);
  await decide(() => evaluateOne(deps, p, now, summary), rank);
}

function countFailure(summary: PassSummary, failure: PortFailure): void {
  summary.failed += 1;
  if (isRetryable(failure)) summary.transientFailures += 1;
}

/** Evaluates one ready service and counts what came of it. */
async function evaluateOne(deps: EvaluationDeps, p: Ready, now: Date, summary: PassSummary): Promise<void> {
  let outcome: ServiceOutcome;
  try {
    outcome = await evaluateWithRetry(deps, p, now);
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
async function evaluateWithRetry(deps: EvaluationDeps, p: Ready, now: Date): Promise<ServiceOutcome> {
  const inputs = {
    config: p.config,
    primary: p.primary,
    onDemand: p.onDemand,
    readings: p.readings,
    intervalSeconds: deps.intervalSeconds,
  };
  let record = p.record;
  for (let attempt = 1; ; attempt++) {
    const outcome = await evaluateService(deps, inputs, record, now);
    if (outcome.status !== "saveConflict" || attempt >= MAX_SAVE_ATTEMPTS) return outcome;
    const fresh = (await deps.state.load(record.key)) ?? emptyRecord(record.key);
    if (!sameHistory(fresh.history, record.history)) return outcome;
    record = fresh;
  }
}
