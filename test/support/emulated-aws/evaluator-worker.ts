/**
 * An evaluator in its own worker thread (a container of its own), for runs that must be stopped
 * mid-pass: the fleet bench's burst ends at its cap by terminating the thread, which a pass paced by
 * UpdateService's token bucket would otherwise outlast by minutes. Runs `runEvaluatorLoop` on the
 * real adapters against the emulation at `workerData.endpoint` and posts each decision's key and time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { awsRuntimeDeps } from "../../../functions/lib/lambda-setup.ts";
import type { Config } from "../../../shared/config/config-file.ts";
import { runEvaluatorLoop } from "../../../shared/runtime/evaluator-loop.ts";
import { emulatedClients } from "./index.ts";

/** What the parent passes in. */
export interface EvaluatorWorkerData {
  endpoint: string;
  tableName: string;
  config: Config;
  /** Epoch ms after which the loop starts no pass. */
  untilMs: number;
}

/** What the worker posts: a decision, or the end of the loop. */
export type EvaluatorWorkerMessage = { decision: string; at: number } | { passes: number };

const data = workerData as EvaluatorWorkerData;
const post = (m: EvaluatorWorkerMessage) => parentPort?.postMessage(m);
const deps = awsRuntimeDeps(
  emulatedClients(data.endpoint),
  { configPath: "-", tableName: data.tableName, dryRun: false },
  {
    decision: (d) => post({ decision: `${d.ref.cluster}/${d.ref.service}`, at: Date.now() }),
    failure: () => undefined,
  },
);
const passes = await runEvaluatorLoop(deps, data.config, data.untilMs);
post({ passes: passes.length });
