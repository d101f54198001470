/**
 * `npm run bench:predictive`: ecs-autoscaler's own predictive scaling on the multi-day trace scenarios
 * (shared/sim/scenarios.ts `multiDayScenarios`), against ecs-autoscaler without a forecast, the AWS
 * predictive scaling baseline (shared/sim/policies/aws-predictive.ts) and the clairvoyant oracle. Each
 * scenario runs at its own wait target (120 s) and at a tight one (60 s, inside the 30–90 s task
 * startup range), where a reactive policy cannot start tasks in time for a rise and a forecast can.
 *
 * Per run: within target, the late messages of the morning rise (each day after the first, the three
 * hours whose last hour's arrivals exceed the hour before them most: predictive-worker.ts
 * `riseWindows`), late messages after the first day, cost and cost ÷ the oracle's. The goal: fewer
 * late messages on the rise than without a forecast, and cheaper than aws-predictive. It reports, it
 * never fails the build. Writes bench/results/predictive.md and .json. Runs on two worker threads.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { multiDayScenarios } from "../shared/sim/scenarios.ts";
import { gitCommit } from "./git-commit.ts";
import { type PredictiveJob, type PredictiveJobResult, riseHours, variants } from "./predictive-worker.ts";
import { runOnWorkers } from "./worker-pool.ts";

const seed = 1;
const command = "npm run bench:predictive";
const outDir = fileURLToPath(new URL("./results/", import.meta.url));
/** The tight wait target each scenario also runs at. */
const tightTargetSeconds = 60;

interface Case {
  scenario: string;
  description: string;
  targetWaitSeconds: number | undefined;
}

const cases: Case[] = multiDayScenarios.flatMap((s) => [
  { scenario: s.name, description: s.description, targetWaitSeconds: undefined },
  { scenario: s.name, description: s.description, targetWaitSeconds: tightTargetSeconds },
]);

/** Runs `jobs` on worker threads, printing each result as it comes; results in job order. */
function runCases(jobs: readonly PredictiveJob[], count: number): Promise<PredictiveJobResult[]> {
  return runOnWorkers<PredictiveJob, PredictiveJobResult>(
    new URL("./predictive-worker.ts", import.meta.url),
    jobs,
    count,
    (job) => `bench:predictive: ${job.scenario} (${job.variant})`,
    (index, results) => {
      const job = jobs[index]!;
      const r = results[index]!;
      process.stderr.write(
        `bench:predictive: ${job.scenario} ${job.targetWaitSeconds ?? "default"} ${job.variant}: ${pct(r.result.withinTarget)} within, rise late ${r.riseLate}, $${r.result.costUsd.toFixed(2)}, ${r.wallSeconds.toFixed(1)} s\n`,
      );
    },
  );
}

function pct(n: number): string {
  return `${(100 * n).toFixed(2)}%`;
}

function row(r: PredictiveJobResult, oracleCost: number): string {
  const p = r.result;
  const ratio = oracleCost > 0 ? `${(p.costUsd / oracleCost).toFixed(3)}×` : "–";
  const raises = r.forecastRaises === undefined ? "–" : String(r.forecastRaises);
  return `| ${r.variant} | ${pct(p.withinTarget)} | ${r.riseLate.toLocaleString("en-US")} | ${r.lateAfterFirstDay.toLocaleString("en-US")} | ${p.waitP99Seconds.toFixed(1)} s | $${p.costUsd.toFixed(2)} | ${ratio} | ${raises} |`;
}

function markdown(results: PredictiveJobResult[][], meta: Record<string, string>): string {
  const lines = [
    "# Predictive scaling benchmark",
    "",
    `Produced by \`${command}\` (bench/predictive.ts) on ${meta.date}, commit ${meta.commit}, Node ${meta.node}; seed ${seed}.`,
    "ecs-autoscaler runs its default queue-worker policy, without a forecast (`predictive: off`, the default) and with",
    "`predictive: forecastAndScale` (docs/predictive.md); aws-predictive is AWS predictive scaling (ForecastAndScale) with",
    "target tracking; the oracle knows every arrival. Morning rise: each day after the first, the",
    `${riseHours} hours whose last hour's arrivals exceed the hour before them most; "rise late" counts the messages`,
    "that arrived in those hours and waited longer than the target. Cost is Fargate on-demand (1 vCPU, 2 GB).",
    "",
  ];
  for (const [i, c] of cases.entries()) {
    const runs = results[i]!;
    const oracle = runs.find((r) => r.variant === "oracle")!;
    const ours = runs.find((r) => r.variant === "ecs-autoscaler")!;
    const fc = runs.find((r) => r.variant === "ecs-autoscaler forecastAndScale")!;
    const aws = runs.find((r) => r.variant === "aws-predictive")!;
    const target = c.targetWaitSeconds ?? defaultTarget(c);
    const hours = [...new Set(oracle.windows.map((w) => (w.start / 3600) % 24))].sort((a, b) => a - b);
    lines.push(
      `## ${c.scenario}, target wait ${target} s`,
      "",
      `${c.description}. ${oracle.result.arrived.toLocaleString("en-US")} messages; morning-rise windows start at ${hours.map((h) => `${String(h).padStart(2, "0")}:00`).join(", ")} (${oracle.riseArrived.toLocaleString("en-US")} messages in them).`,
      "",
      "| policy | within target | rise late | late after day 1 | p99 wait | cost | ÷ oracle | ForecastRaise decisions |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...runs.map((r) => row(r, oracle.result.costUsd)),
      "",
      `Forecast against none: rise late ${ours.riseLate} → ${fc.riseLate}, cost $${ours.result.costUsd.toFixed(2)} → $${fc.result.costUsd.toFixed(2)} (${signed((fc.result.costUsd / ours.result.costUsd - 1) * 100)}%); against aws-predictive: ${fc.result.costUsd < aws.result.costUsd ? "cheaper" : "**not cheaper**"} (×${(fc.result.costUsd / aws.result.costUsd).toFixed(2)}), rise late ${fc.riseLate} vs ${aws.riseLate}.`,
      "",
    );
  }
  return lines.join("\n");
}

function defaultTarget(c: Case): number {
  return multiDayScenarios.find((s) => s.name === c.scenario)!.defaults.targetWaitSeconds;
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const jobs: PredictiveJob[] = cases.flatMap((c) =>
    variants.map((variant) => ({
      scenario: c.scenario,
      seed,
      variant,
      ...(c.targetWaitSeconds !== undefined ? { targetWaitSeconds: c.targetWaitSeconds } : {}),
    })),
  );
  const flat = await runCases(jobs, Math.max(1, Math.min(2, availableParallelism())));
  const results = cases.map((_, i) => flat.slice(i * variants.length, (i + 1) * variants.length));
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    commit: gitCommit(),
    node: process.versions.node,
  };
  mkdirSync(outDir, { recursive: true });
  const json = cases.map((c, i) => ({
    ...c,
    runs: results[i]!.map(({ windows: _, ...r }) => r),
  }));
  writeFileSync(
    `${outDir}predictive.json`,
    `${JSON.stringify({ command, seed, ...meta, cases: json }, null, 2)}\n`,
  );
  writeFileSync(`${outDir}predictive.md`, markdown(results, meta));
  process.stdout.write(
    `bench:predictive: wrote bench/results/predictive.md and .json in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
}

await main();
