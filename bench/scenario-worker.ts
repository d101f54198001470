/**
 * One piece of `npm run bench`'s work, run on a worker thread (node:worker_threads): a scenario's
 * policies (with or without task scale-in protection), or one baseline's tuning sweep on it. Each thread
 * prepares the scenario's arrivals itself, once for consecutive pieces of it (same seed, so the same
 * arrivals as every other piece) and posts its result back; the main thread
 * puts the pieces together in scenario order, so the results do not depend on which worker ran what.
 */
import { parentPort } from "node:worker_threads";
import { policyNames, type SimulationOutput } from "../shared/sim/result.ts";
import { type PreparedRun, prepare, simulatePrepared } from "../shared/sim/simulate.ts";
import { type TunableBaseline, type TunedBaseline, tuneBaseline } from "./tuned-baselines.ts";

/**
 * A piece of work: every policy on the scenario, the same but the oracle with task scale-in protection on
 * the workers, or the sweep of one tunable baseline.
 */
export interface BenchJob {
  scenario: string;
  seed: number;
  part: "policies" | "protected" | TunableBaseline;
}

export type BenchJobResult =
  | { part: "policies" | "protected"; output: SimulationOutput; wallSeconds: number }
  | { part: TunableBaseline; tuned: TunedBaseline; wallSeconds: number };

/** The arrivals this thread prepared last: a scenario's jobs often come one after another. */
let lastPrepared: { key: string; run: PreparedRun } | undefined;

function prepared(job: BenchJob): PreparedRun {
  const key = `${job.scenario}/${job.seed}`;
  if (lastPrepared?.key !== key) {
    lastPrepared = { key, run: prepare({ scenario: job.scenario, seed: job.seed }) };
  }
  return lastPrepared.run;
}

/** Runs one job in this thread. */
export async function runJob(job: BenchJob): Promise<BenchJobResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const run = prepared(job);
  if (job.part === "policies" || job.part === "protected") {
    const output = await simulatePrepared(run, {
      scenario: job.scenario,
      seed: job.seed,
      taskProtection: job.part === "protected",
      // The oracle never interrupts, so protection cannot change its schedule: the unprotected run's stands.
      policies: job.part === "protected" ? policyNames.filter((p) => p !== "oracle") : undefined,
    });
    return { part: job.part, output, wallSeconds: seconds() };
  }
  const tuned = await tuneBaseline(job.part, run);
  return { part: job.part, tuned, wallSeconds: seconds() };
}

// As a worker: one job per message, one result (or the error's text) per job.
parentPort?.on("message", async (job: BenchJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: await runJob(job) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: (error as Error).stack ?? String(error) });
  }
});
