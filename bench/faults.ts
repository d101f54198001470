/**
 * `npm run bench:faults`: the fault-injection suite in full. 2–4 concurrent evaluators (default 4),
 * each with its own SDK clients and adapters as the Lambda functions build them, run
 * `runEvaluationPass` back to back (no interval wait, to pack 500+ passes into a few minutes) on one
 * fleet against the emulated account of test/support/emulated-aws: ECS's documented account
 * throttling, 30–80 ms latency, and faults drawn on every lane (throttling, 5xx, hangs past the
 * request timeout, connection resets, lost responses that land 0.5–5 s late, DescribeServices answers
 * 1–5 s stale, DynamoDB conditional-check failures). Then a few single-fault probes, each a pass with exactly one fault, to show what that one fault does.
 * Prints the invariants' counts against their goal (0) and writes bench/results/faults.md.
 * Exit code 1 when an invariant was violated.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runEvaluationPass } from "../shared/runtime/evaluation-pass.ts";
import {
  DEFAULT_FAULT_RATES,
  type FaultRun,
  OUTAGE_REQUESTS,
  runFaultSuite,
} from "../test/support/emulated-aws/fault-run.ts";
import { type FaultKind, type Lane, startEmulatedAws } from "../test/support/emulated-aws/index.ts";
import { boundsOf, type CheckerName, checkAll } from "../test/support/emulated-aws/invariants.ts";
import { fleetConfig, seedFleet } from "../test/support/emulated-aws/workload.ts";

const OUT = fileURLToPath(new URL("./results/faults.md", import.meta.url));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The figures of the concurrent run, as markdown lines. */
function runReport(run: FaultRun, found: Record<CheckerName, { key: string; detail: string }[]>): string[] {
  const sorted = [...run.passMs].sort((a, b) => a - b);
  const totals: Record<string, number> = {};
  for (const s of run.summaries) for (const [k, v] of Object.entries(s)) totals[k] = (totals[k] ?? 0) + v;
  const injected = run.aws.faults.totals();
  const onFailedRead = run.trace.decisions.filter((d) => d.decision.proposals.some((p) => p.tasks === null));
  const lines = [
    "## Invariants (goal: 0 each)",
    "",
    "| invariant | violations | first examples |",
    "|---|---:|---|",
    ...Object.entries(found).map(
      ([name, v]) =>
        `| ${name} | ${v.length} | ${v
          .slice(0, 3)
          .map((x) => `${x.key}: ${x.detail}`)
          .join("; ")} |`,
    ),
    "",
    "## The run",
    "",
    `- passes: ${run.summaries.length} in ${(run.wallMs / 1000).toFixed(1)} s; pass time p50 ${Math.round(percentile(sorted, 0.5))} ms, p90 ${Math.round(percentile(sorted, 0.9))} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`,
    `- pass outcomes (summed): ${Object.entries(totals)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `- decisions on a failed read: ${onFailedRead.length} (held: ${onFailedRead.filter((d) => d.decision.reason === "ReadFailedHold").length}, fallback: ${onFailedRead.filter((d) => d.decision.reason === "FallbackApplied").length}); outages of ${OUTAGE_REQUESTS} failed GetQueueAttributes and GetMetricData requests every 3 s`,
    `- failures reported to the sink, by stage: ${[...run.failuresByStage].map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`,
    `- decisions ${run.trace.decisions.length}, state writes landed ${run.trace.saves.length}, UpdateService calls applied by ECS ${run.trace.applied.length} (of which the answer was lost: ${run.trace.applied.filter((u) => !u.answered).length})`,
    `- faults injected: ${Object.entries(injected)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}; ECS account throttling: UpdateService ${run.aws.ecs.throttled.UpdateService}, DescribeServices ${run.aws.ecs.throttled.DescribeServices}; DescribeServices answered 1–5 s stale ${run.aws.ecs.lagged.staleDescribes}, lost-response UpdateService landed 0.5–5 s late ${run.aws.ecs.lagged.lateLandings}`,
    `- requests by operation: ${[...run.aws.requests].map(([k, v]) => `${k} ${v}`).join(", ")}`,
  ];
  return lines;
}

/** One pass of one evaluator over a small fleet that all needs scaling up, with exactly `faults` injected. */
async function probe(name: string, faults: [Lane, string, FaultKind][], services = 10): Promise<string> {
  const aws = await startEmulatedAws({ seed: 5 });
  const config = fleetConfig({ services, fallbackEvery: 0 });
  seedFleet(
    config,
    aws,
    () => 1,
    () => 40,
  );
  for (const [lane, operation, kind] of faults) aws.faults.inject(lane, operation, kind);
  const decisions: import("../shared/ports/decision-sink.ts").DecisionRecord[] = [];
  const deps = aws.evaluator({ decision: (d) => decisions.push(d), failure: () => undefined });
  const started = performance.now();
  const first = await runEvaluationPass(deps, config, new Date());
  const firstMs = performance.now() - started;
  const second = await runEvaluationPass(deps, config, new Date());
  await aws.ecs.settled();
  const trace = {
    bounds: boundsOf(config),
    decisions,
    saves: aws.saves,
    applied: aws.ecs.applied,
    finalItems: await aws.storedItems(),
  };
  const found = Object.entries(checkAll(trace)).filter(([, v]) => v.length > 0);
  await aws.close();
  return `| ${name} | ${(firstMs / 1000).toFixed(1)} s | ${first.evaluated}/${services} (failed ${first.failed}) | ${second.evaluated}/${services} | ${trace.applied.length} | ${found.map(([n, v]) => `${n}: ${v.length}`).join("; ") || "none"} |`;
}

async function main(): Promise<void> {
  const program = new Command()
    .option("--evaluators <n>", "concurrent evaluators (2–4)", "4")
    .option("--passes <n>", "passes in all", "500")
    .option("--services <n>", "services in the fleet", "8")
    .option("--seed <n>", "seed of faults, latency and queue drift", "7")
    .parse();
  const o = program.opts<{ evaluators: string; passes: string; services: string; seed: string }>();
  const options = {
    evaluators: Number(o.evaluators),
    passes: Number(o.passes),
    services: Number(o.services),
    seed: Number(o.seed),
  };
  const command = `npm run bench:faults -- --evaluators ${options.evaluators} --passes ${options.passes} --services ${options.services} --seed ${options.seed}`;
  console.log(`${command}\n`);
  const run = await runFaultSuite(options);
  const found = checkAll(run.trace);
  const probes = [
    await probe("a lost UpdateService response", [["ecs", "UpdateService", "lostResponse"]]),
    await probe("a lost PutItem response", [["dynamodb", "PutItem", "lostResponse"]]),
    await probe("a hung GetItem", [["dynamodb", "GetItem", "hang"]]),
    await probe("a hung GetQueueAttributes", [["sqs", "GetQueueAttributes", "hang"]]),
    await probe("a hung DescribeServices", [["ecs", "DescribeServices", "hang"]]),
  ];
  const lines = [
    "# Fault injection",
    "",
    `Produced by \`${command}\` (bench/faults.ts) on ${new Date().toISOString().slice(0, 10)}.`,
    `${options.evaluators} evaluators, each its own SDK clients (createAwsClients: standard retries, the production timeouts) and adapters (awsRuntimeDeps), run runEvaluationPass back to back on ${options.services} services against the emulated account (test/support/emulated-aws): latency 30–80 ms, ECS's account throttling (UpdateService 5/s burst 50, DescribeServices 20/s burst 100), eventually consistent ECS (a staleDescribe answers with the services as they were 1–5 s before; a lostResponse UpdateService lands 0.5–5 s after it arrived), DynamoDB on dynalite.`,
    `Fault rates per request: ${JSON.stringify(DEFAULT_FAULT_RATES)}.`,
    "",
    ...runReport(run, found),
    "",
    "## Single-fault probes (one evaluator, 10 services all needing a scale-up, one fault, two passes)",
    "",
    "| fault | first pass | decided in the first pass | decided in the second | UpdateService applied | invariants violated |",
    "|---|---:|---:|---:|---:|---|",
    ...probes,
    "",
  ];
  const text = lines.join("\n");
  console.log(text);
  mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`\nwrote ${OUT}`);
  const violated = Object.values(found).some((v) => v.length > 0);
  process.exit(violated ? 1 : 0);
}

await main();
