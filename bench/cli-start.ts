/**
 * `npm run bench:cli`: how long `ecs-autoscaler` takes from process start to exit, the wait a user
 * feels on every call. Spawns `node bin/ecs-autoscaler.js --help`, `--version` and `decide` (the
 * README's example request on stdin) `--runs` times each (default 15) and prints the median and p90
 * against the budget. The CLI is built into a fresh temporary cache first, so the first call's time
 * (build included) is reported separately and every measured call finds a warm cache.
 * Exit code 1 when a median is over budget.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "ecs-autoscaler.js");

/** Start-up budget per call, in ms: well under it feels instant. */
export const BUDGET_MS = 300;

/** The README's `decide` example. */
const DECIDE_REQUEST = JSON.stringify({
  now: "2026-03-02T12:00:00Z",
  policy: {
    maxTasks: 20,
    triggers: [
      {
        type: "sqs",
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
        targetBacklogPerTask: 25,
      },
    ],
  },
  service: { desiredCount: 10, runningCount: 10, pendingCount: 0 },
  observations: [{ visible: 200, inFlight: 100 }],
});

const CASES: { name: string; args: string[]; input?: string }[] = [
  { name: "--help", args: ["--help"] },
  { name: "--version", args: ["--version"] },
  { name: "decide (README request)", args: ["decide", "-"], input: DECIDE_REQUEST },
];

const options = new Command("bench:cli")
  .option("--runs <n>", "calls per command", "15")
  .parse()
  .opts<{ runs: string }>();
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a whole number >= 1, got ${options.runs}`);

/** One call's wall time in ms; throws when the call fails, so a broken CLI is not timed as fast. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv, input?: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: "utf8" });
  const ms = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`ecs-autoscaler ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const cacheDir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-bench-cache-"));
const env = { ...process.env, ECS_AUTOSCALER_CACHE_DIR: cacheDir };
let overBudget = false;
try {
  const firstMs = timeOnce(["--help"], env);
  console.log(`node ${process.version}, ${runs} calls per command, budget ${BUDGET_MS} ms`);
  console.log(`first call (empty cache, builds the CLI): ${firstMs.toFixed(0)} ms`);
  console.log(`${"command".padEnd(26)} ${"median".padStart(8)} ${"p90".padStart(8)}  budget`);
  for (const c of CASES) {
    const times = Array.from({ length: runs }, () => timeOnce(c.args, env, c.input)).sort((a, b) => a - b);
    const median = quantile(times, 0.5);
    const verdict = median <= BUDGET_MS ? "ok" : "OVER";
    if (median > BUDGET_MS) overBudget = true;
    console.log(
      `${c.name.padEnd(26)} ${`${median.toFixed(0)} ms`.padStart(8)} ${`${quantile(times, 0.9).toFixed(0)} ms`.padStart(8)}  ${verdict}`,
    );
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
process.exitCode = overBudget ? 1 : 0;
