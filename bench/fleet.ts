/**
 * `npm run bench:fleet`: how a pass scales with the fleet, on the real adapters and SDK clients
 * against the emulated account of test/support/emulated-aws (latency 30–80 ms per request, ECS's
 * account throttling, DynamoDB on dynalite), no injected faults.
 * - Steady: the wall time of `runEvaluationPass` at 100, 500 and 2,000 services whose counts already
 *   match their queues (nothing to change), after one unmeasured pass that creates the records (run
 *   without latency, to keep the bench short). Repetitions: 3 at 100, 2 at 500, 1 at 2,000.
 * - Burst: 500 steady services, then 300 of them need more tasks at once; one evaluator runs the
 *   evaluator loop (`runEvaluatorLoop`, intervalSeconds 10) in a worker thread until each of the 300
 *   got its first UpdateService or `--cap` seconds passed (then the thread is ended, mid-pass if need be). Prints p50/p90 of the time to the first update and to
 *   the first decision, over the 300 (a service not reached by the cap counts as "> cap").
 * Writes bench/results/fleet.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { Command } from "commander";
import type { Config } from "../shared/config/config-file.ts";
import { runEvaluationPass } from "../shared/runtime/evaluation-pass.ts";
import type {
  EvaluatorWorkerData,
  EvaluatorWorkerMessage,
} from "../test/support/emulated-aws/evaluator-worker.ts";
import { startEmulatedAws } from "../test/support/emulated-aws/index.ts";
import {
  BACKLOG_PER_TASK,
  fleetConfig,
  queueUrlOf,
  seedFleet,
} from "../test/support/emulated-aws/workload.ts";

const OUT = fileURLToPath(new URL("./results/fleet.md", import.meta.url));
/** Steady fleet sizes and how many passes each is measured over. */
const REPETITIONS: Record<number, number> = { 100: 3, 500: 2, 2000: 1 };

/** Each service steady at 2 + i % 4 tasks, its queue holding exactly that many tasks' backlog. */
const steadyCount = (i: number) => 2 + (i % 4);

/** Starts an emulated account with `services` steady services, records created (without latency). */
async function steadyFleet(services: number) {
  const aws = await startEmulatedAws({ seed: services });
  const config = fleetConfig({ services, fallbackEvery: 0, maxTasks: 20 });
  seedFleet(config, aws, steadyCount, (i) => steadyCount(i) * BACKLOG_PER_TASK);
  const deps = aws.evaluator({ decision: () => undefined, failure: () => undefined });
  const { min, max } = aws.latencyMs;
  aws.latencyMs.min = 0;
  aws.latencyMs.max = 0;
  await runEvaluationPass(deps, config, new Date());
  aws.latencyMs.min = min;
  aws.latencyMs.max = max;
  return { aws, config, deps };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Wall seconds of each measured steady pass. */
async function steady(services: number, repetitions: number): Promise<string> {
  const { aws, config, deps } = await steadyFleet(services);
  const times: number[] = [];
  let changed = 0;
  for (let r = 0; r < repetitions; r++) {
    const t = performance.now();
    changed += (await runEvaluationPass(deps, config, new Date())).changed;
    times.push(performance.now() - t);
  }
  const calls = [...aws.requests.values()].reduce((a, b) => a + b, 0);
  await aws.close();
  const line = `| ${services} | ${repetitions} | ${times.map(seconds).join(", ")} s | ${changed} | ${Math.round(calls / (repetitions + 1))} |`;
  console.log(line);
  return line;
}

/** The p-th percentile of `values` where `undefined` (not reached) sorts last. */
function percentile(values: (number | undefined)[], p: number, capMs: number): string {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return Number.isFinite(v) ? `${seconds(v)} s` : `> ${seconds(capMs)} s`;
}

/** Runs the evaluator loop in a worker thread until every key in `keys` was updated or the cap; returns decision times. */
async function loopInWorker(
  aws: Awaited<ReturnType<typeof steadyFleet>>["aws"],
  config: Config,
  t0: number,
  capMs: number,
  allUpdated: () => boolean,
): Promise<{ decided: Map<string, number>; passes: number | undefined }> {
  const decided = new Map<string, number>();
  let passes: number | undefined;
  const data: EvaluatorWorkerData = {
    endpoint: aws.endpoint,
    tableName: aws.tableName,
    config,
    untilMs: t0 + capMs,
  };
  const worker = new Worker(new URL("../test/support/emulated-aws/evaluator-worker.ts", import.meta.url), {
    workerData: data,
  });
  worker.on("message", (m: EvaluatorWorkerMessage) => {
    if ("decision" in m) {
      if (!decided.has(m.decision)) decided.set(m.decision, m.at);
    } else passes = m.passes;
  });
  const ended = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // A pass cannot be cut short from outside: at the cap (or once all are updated) the thread is ended.
  while (passes === undefined && !allUpdated() && Date.now() < t0 + capMs) await sleep(250);
  await worker.terminate();
  await ended;
  return { decided, passes };
}

/** 300 of 500 need a change at once: time to each one's first update and first decision. */
async function burst(capSeconds: number): Promise<string[]> {
  const { aws, config } = await steadyFleet(500);
  const needing = config.services.map((_, i) => i).filter((i) => i % 5 < 3);
  const keys = needing.map((i) => `${config.services[i]!.cluster}/${config.services[i]!.service}`);
  for (const i of needing)
    aws.sqs.queues.get(queueUrlOf(i))!.visible = (steadyCount(i) + 3) * BACKLOG_PER_TASK;
  const appliedBefore = aws.ecs.applied.length;
  const firstUpdate = new Map<string, number>();
  const allUpdated = () => {
    for (const u of aws.ecs.applied.slice(appliedBefore))
      if (!firstUpdate.has(u.key)) firstUpdate.set(u.key, u.at);
    return keys.every((k) => firstUpdate.has(k));
  };
  const capMs = capSeconds * 1000;
  const t0 = Date.now();
  const { decided, passes } = await loopInWorker(aws, config, t0, capMs, allUpdated);
  allUpdated();
  const within = (at: number | undefined) => (at === undefined || at - t0 > capMs ? undefined : at - t0);
  const updateMs = keys.map((k) => within(firstUpdate.get(k)));
  const decidedMs = keys.map((k) => within(decided.get(k)));
  const throttled = aws.ecs.throttled.UpdateService;
  await aws.close();
  const reached = (v: (number | undefined)[]) => v.filter((x) => x !== undefined).length;
  const lines = [
    `| time to first UpdateService | ${percentile(updateMs, 0.5, capMs)} | ${percentile(updateMs, 0.9, capMs)} | ${reached(updateMs)} of ${keys.length} within ${capSeconds} s |`,
    `| time to first decision (reported after its UpdateService) | ${percentile(decidedMs, 0.5, capMs)} | ${percentile(decidedMs, 0.9, capMs)} | ${reached(decidedMs)} of ${keys.length} within ${capSeconds} s |`,
    "",
    `Passes completed: ${passes ?? "the first was still running at the end (thread ended)"}; ECS refused ${throttled} UpdateService calls (account throttling).`,
  ];
  for (const l of lines) console.log(l);
  return lines;
}

async function main(): Promise<void> {
  const o = new Command()
    .option("--cap <seconds>", "how long the burst may run", "90")
    .option("--sizes <list>", "steady fleet sizes", "100,500,2000")
    .parse()
    .opts<{ cap: string; sizes: string }>();
  const cap = Number(o.cap);
  const sizes = o.sizes.split(",").map(Number);
  const command = `npm run bench:fleet -- --cap ${cap} --sizes ${sizes.join(",")}`;
  console.log(`${command}\n`);
  const steadyHeader = [
    "| services | passes measured | pass time | changed | requests per pass |",
    "|---:|---:|---:|---:|---:|",
  ];
  console.log(steadyHeader.join("\n"));
  const steadyLines: string[] = [];
  for (const n of sizes) steadyLines.push(await steady(n, REPETITIONS[n] ?? 1));
  const burstHeader = ["| 300 of 500 need a change at once | p50 | p90 | reached |", "|---|---:|---:|---|"];
  console.log(`\n${burstHeader.join("\n")}`);
  const burstLines = await burst(cap);
  const text = [
    "# Fleet: pass time and time to first update",
    "",
    `Produced by \`${command}\` (bench/fleet.ts) on ${new Date().toISOString().slice(0, 10)}: one evaluator on the real adapters and SDK clients (createAwsClients, awsRuntimeDeps) against the emulated account of test/support/emulated-aws, 30–80 ms per request, ECS's account throttling, DynamoDB on dynalite, no injected faults. Services: 50 per cluster, each its own queue, every fifth one also a CloudWatch metric trigger.`,
    "",
    "## Steady passes (nothing to change)",
    "",
    "Measured after one unmeasured pass that creates the records. Fewer repetitions at 2,000 services (one pass) to keep the bench within a few minutes. Requests per pass: all requests to the emulated account over the measured and the creating pass, averaged.",
    "",
    ...steadyHeader,
    ...steadyLines,
    "",
    "## A burst: 300 of 500 services need 3 more tasks at once",
    "",
    `The evaluator loop (runEvaluatorLoop, intervalSeconds 10) from the moment the queues grew, until each of the 300 got its first UpdateService or ${cap} s passed.`,
    "",
    ...burstHeader,
    ...burstLines,
    "",
  ].join("\n");
  mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`\nwrote ${OUT}`);
  process.exit(0);
}

await main();
