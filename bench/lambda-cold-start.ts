/**
 * `npm run bench:lambda`: how big each Lambda bundle is and how long a fresh Node 22 process takes to
 * import it, which is what a cold start spends on our code: the handler module builds its SDK clients
 * and reads the packaged config at module scope, so importing it is the whole init.
 *
 * Builds the artifacts (config/example.yaml unless --config is given), then for each function starts
 * `--runs` fresh processes (default 9) that import the bundle from its artifact layout (index.mjs with
 * the packaged config.json beside it) and report the import time; prints min / median / max, checks
 * the budgets and reports against the goals. Exit code 1 when a median or a size is over budget.
 *
 * What it is not: Lambda's own init on arm64 (runtime start-up, code download, the slower CPU share
 * of a 256 MB function). Those add to these numbers; the relative size of our part is what this tracks.
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";
import { buildDeployment } from "../infra/lib/build.ts";
import { ARTIFACT_FILES, type LambdaName } from "../infra/lib/bundle.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Budgets per function: what a change must not exceed without a reason. */
export const BUDGETS = {
  bundleBytes: 1200 * 1024,
  artifactBytes: 1024 * 1024,
  importMedianMs: 400,
} as const;

/**
 * Goals per function: a bundle small enough to parse quickly and an import that costs little of a cold
 * start. Reported against, not enforced: the exit code follows {@link BUDGETS}.
 */
export const GOALS = {
  bundleBytes: 400 * 1024,
  importMedianMs: 60,
} as const;

const options = new Command("bench:lambda")
  .option("--config <file>", "config file to package", "config/example.yaml")
  .option("--runs <n>", "fresh processes per function", "9")
  .option("--json <file>", "also write the results as JSON")
  .parse()
  .opts<{ config: string; runs: string; json?: string }>();
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a whole number >= 1, got ${options.runs}`);

/**
 * The child: import the bundle and print how long the import took, in ms (after the handler's own log
 * lines): wall time, and the CPU time the process spent meanwhile, which a loaded machine inflates less.
 */
const CHILD = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(process.env.BUNDLE_URL); const c = process.cpuUsage(c0); process.stdout.write("\\nimport-cpu-ms: " + (c.user + c.system) / 1000 + "\\nimport-ms: " + (performance.now() - t0));`;

function importOnce(name: LambdaName): { importMs: number; importCpuMs: number; processMs: number } {
  const dir = join(ROOT, "dist", "lambda", name);
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      BUNDLE_URL: pathToFileURL(join(dir, "index.mjs")).href,
      // What Lambda sets (serverless.yml), with a region and no credentials: nothing is called.
      CONFIG_PATH: join(dir, ARTIFACT_FILES.config),
      DRY_RUN: "true",
      STATE_TABLE_NAME: "ecs-autoscaler-bench-state",
      POWERTOOLS_SERVICE_NAME: "ecs-autoscaler",
      POWERTOOLS_METRICS_NAMESPACE: "EcsAutoscaler",
      AWS_REGION: "us-east-1",
      AWS_LAMBDA_FUNCTION_NAME: `ecs-autoscaler-bench-${name}`,
    },
  });
  const processMs = performance.now() - started;
  const importMs = Number(run.stdout.match(/\nimport-ms: ([\d.]+)$/)?.[1]);
  const importCpuMs = Number(run.stdout.match(/\nimport-cpu-ms: ([\d.]+)\n/)?.[1]);
  if (run.status !== 0 || !Number.isFinite(importMs) || !Number.isFinite(importCpuMs))
    throw new Error(`importing the ${name} bundle failed:\n${run.stdout}\n${run.stderr}`);
  return { importMs, importCpuMs, processMs };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const { bundles } = await buildDeployment(ROOT, { config: options.config });
const rows = (Object.keys(bundles) as LambdaName[]).map((name) => {
  const samples = Array.from({ length: runs }, () => importOnce(name));
  const imports = samples.map((s) => s.importMs);
  return {
    name,
    bundleBytes: bundles[name].bundleBytes,
    artifactBytes: bundles[name].artifactBytes,
    importMs: { min: Math.min(...imports), median: median(imports), max: Math.max(...imports) },
    importCpuMedianMs: median(samples.map((s) => s.importCpuMs)),
    processMedianMs: median(samples.map((s) => s.processMs)),
  };
});

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const table = [
  [
    "function",
    "bundle",
    "zip",
    "import min",
    "import median",
    "import max",
    "import cpu median",
    "process median",
    "budget",
    "goal",
  ],
  ...rows.map((r) => {
    const missed = [
      r.bundleBytes > GOALS.bundleBytes ? "bundle" : "",
      r.importMs.median > GOALS.importMedianMs ? "import" : "",
    ].filter(Boolean);
    const over = [
      r.bundleBytes > BUDGETS.bundleBytes ? "bundle" : "",
      r.artifactBytes > BUDGETS.artifactBytes ? "zip" : "",
      r.importMs.median > BUDGETS.importMedianMs ? "import" : "",
    ].filter(Boolean);
    return [
      r.name,
      kib(r.bundleBytes),
      kib(r.artifactBytes),
      ms(r.importMs.min),
      ms(r.importMs.median),
      ms(r.importMs.max),
      ms(r.importCpuMedianMs),
      ms(r.processMedianMs),
      over.length ? `OVER: ${over.join(", ")}` : "ok",
      missed.length ? `missed: ${missed.join(", ")}` : "met",
    ];
  }),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
const line = (row: string[]) =>
  row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
process.stdout.write(
  [
    `Lambda bundles: ${runs} fresh Node ${process.versions.node} processes each (${process.arch}), config ${options.config}`,
    line(table[0]!),
    ...table.slice(1).map(line),
    `budgets: bundle <= ${kib(BUDGETS.bundleBytes)}, zip <= ${kib(BUDGETS.artifactBytes)}, median import <= ${BUDGETS.importMedianMs} ms (exit code 1 when over)`,
    `goals: bundle <= ${kib(GOALS.bundleBytes)}, median import <= ${GOALS.importMedianMs} ms (wall time; the machine's load inflates it, the CPU time less)`,
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")} on ${availableParallelism()} cores`,
    "",
  ].join("\n"),
);

if (options.json) {
  await mkdir(dirname(options.json), { recursive: true });
  await writeFile(
    options.json,
    `${JSON.stringify({ node: process.versions.node, arch: process.arch, runs, budgets: BUDGETS, goals: GOALS, rows }, null, 2)}\n`,
  );
}
if (table.slice(1).some((row) => row.at(-2) !== "ok")) process.exitCode = 1;
