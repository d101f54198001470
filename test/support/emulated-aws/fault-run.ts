/**
 * A fault-injection run: `evaluators` concurrent evaluators (each its own container: its own SDK
 * clients and adapters, so its own UpdateService pacing) running `runEvaluationPass` back to back on
 * one fleet against the emulated account, while queue depths drift and faults are injected on every
 * lane. Returns the trace for the invariant checkers and the figures the bench prints.
 */
import type { Config } from "../../../shared/config/config-file.ts";
import type { DecisionRecord, DecisionSink } from "../../../shared/ports/decision-sink.ts";
import type { PortFailure } from "../../../shared/ports/failure.ts";
import type { ServiceRef } from "../../../shared/ports/services.ts";
import { type PassSummary, runEvaluationPass } from "../../../shared/runtime/evaluation-pass.ts";
import type { FaultKind, FaultRates, Lane } from "./faults.ts";
import { type EmulatedAws, startEmulatedAws } from "./index.ts";
import { boundsOf, type Trace } from "./invariants.ts";
import { seededRandom } from "./rng.ts";
import { driftQueues, fleetConfig, seedFleet } from "./workload.ts";

/** Requests of each read operation failed in a row by one outage. */
export const OUTAGE_REQUESTS = 12;

/** Faults on every lane at a few percent per request: what the full bench injects. */
export const DEFAULT_FAULT_RATES: FaultRates = {
  ecs: { throttle: 0.03, serverError: 0.02, hang: 0.004, reset: 0.02, lostResponse: 0.04, staleDescribe: 0.05 },
  sqs: { throttle: 0.03, serverError: 0.02, hang: 0.004, reset: 0.02, lostResponse: 0.01 },
  cloudwatch: { throttle: 0.03, serverError: 0.02, hang: 0.004, reset: 0.02, lostResponse: 0.01 },
  dynamodb: { throttle: 0.03, serverError: 0.02, hang: 0.004, reset: 0.02, lostResponse: 0.04, conditionalCheck: 0.03 },
};

export interface FaultRunOptions {
  evaluators: number;
  /** Passes in all, shared out between the evaluators. */
  passes: number;
  services: number;
  seed: number;
  faults?: FaultRates;
  /** Faults met first, one each, before the drawn ones: `[lane, operation, kind]`. */
  script?: readonly (readonly [Lane, string, FaultKind])[];
  /**
   * Every this many ms (default 3,000), an outage: the next {@link OUTAGE_REQUESTS} GetQueueAttributes
   * and GetMetricData requests fail with a 5xx, more than the SDK's retries absorb, so reads fail in the
   * runtime (held counts, fallbacks) and the failed-read invariant is exercised, not just true. 0: none.
   */
  outageEveryMs?: number;
  /** How often queue depths drift, ms (default 500). */
  driftEveryMs?: number;
}

export interface FaultRun {
  config: Config;
  trace: Trace;
  summaries: PassSummary[];
  /** Wall milliseconds of each pass. */
  passMs: number[];
  /** Failures the sink was told of, by stage. */
  failuresByStage: Map<string, number>;
  aws: Pick<EmulatedAws, "faults" | "ecs" | "requests">;
  wallMs: number;
}

/** A sink that keeps every decision and counts failures by stage. */
function keepingSink(): DecisionSink & { decisions: DecisionRecord[]; byStage: Map<string, number> } {
  const decisions: DecisionRecord[] = [];
  const byStage = new Map<string, number>();
  return {
    decisions,
    byStage,
    decision: (record) => decisions.push(record),
    failure: (_ref: ServiceRef, stage: string, _failure: PortFailure) => byStage.set(stage, (byStage.get(stage) ?? 0) + 1),
  };
}

/** Runs the fleet under faults and collects the trace; the emulation is closed before it returns. */
export async function runFaultSuite(options: FaultRunOptions): Promise<FaultRun> {
  const aws = await startEmulatedAws({ seed: options.seed, faults: options.faults ?? DEFAULT_FAULT_RATES });
  const config = fleetConfig({ services: options.services });
  const random = seededRandom(options.seed);
  seedFleet(
    config,
    aws,
    () => 1,
    () => Math.floor(random() * 60),
  );
  for (const [lane, operation, kind] of options.script ?? []) aws.faults.inject(lane, operation, kind);
  const sink = keepingSink();
  const summaries: PassSummary[] = [];
  const passMs: number[] = [];
  const drift = setInterval(() => driftQueues(aws.sqs, random), options.driftEveryMs ?? 500);
  const outageEveryMs = options.outageEveryMs ?? 3_000;
  const outages =
    outageEveryMs > 0
      ? setInterval(() => {
          aws.faults.inject("sqs", "GetQueueAttributes", "serverError", OUTAGE_REQUESTS);
          aws.faults.inject("cloudwatch", "GetMetricData", "serverError", OUTAGE_REQUESTS);
        }, outageEveryMs)
      : undefined;
  const started = performance.now();
  let remaining = options.passes;
  const evaluator = async () => {
    const deps = aws.evaluator(sink);
    while (remaining > 0) {
      remaining -= 1;
      const t = performance.now();
      summaries.push(await runEvaluationPass(deps, config, new Date()));
      passMs.push(performance.now() - t);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.evaluators }, evaluator));
  } finally {
    clearInterval(drift);
    clearInterval(outages);
  }
  const wallMs = performance.now() - started;
  // A lost-response update may land after the last pass: it is still an applied call to account for.
  await aws.ecs.settled();
  const trace: Trace = {
    bounds: boundsOf(config),
    decisions: sink.decisions,
    saves: aws.saves,
    applied: aws.ecs.applied,
    finalItems: await aws.storedItems(),
  };
  await aws.close();
  return { config, trace, summaries, passMs, failuresByStage: sink.byStage, aws, wallMs };
}
