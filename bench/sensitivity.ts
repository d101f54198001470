/**
 * `npm run bench:sensitivity`: how ecs-autoscaler's benchmark result moves with the seed, the scale-down
 * window, the target wait, the service time and a faster scale-up policy — the numbers behind the
 * choices in docs/simulator.md ("Robustness", the scale-down window). ecs-autoscaler only, every built-in
 * scenario per variant; about 4 minutes on 2 cores. Writes bench/results/sensitivity.{json,md}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PolicyInput } from "../shared/config/index.ts";
import { defaultQueueWorkerPolicy, ecsAutoscalerPolicy } from "../shared/sim/policies/ecs-autoscaler.ts";
import { scenarios } from "../shared/sim/scenarios.ts";
import { prepare } from "../shared/sim/simulate.ts";
import { runPolicy } from "./tuned-baselines.ts";

interface Variant {
  name: string;
  seed?: number;
  targetWaitSeconds?: number;
  secondsPerMessage?: number;
  behavior?: PolicyInput["behavior"];
}

const variants: Variant[] = [
  { name: "default (seed 1)" },
  { name: "seed 2", seed: 2 },
  { name: "seed 3", seed: 3 },
  { name: "scale-down window 15 s", behavior: { scaleDown: { stabilizationWindowSeconds: 15 } } },
  { name: "scale-down window 60 s", behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
  { name: "scale-down window 120 s", behavior: { scaleDown: { stabilizationWindowSeconds: 120 } } },
  { name: "scale-down window 300 s", behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } },
  { name: "target wait 60 s", targetWaitSeconds: 60 },
  { name: "service time 10 s", secondsPerMessage: 10 },
  {
    name: "service time 10 s, scale-up ×11 per 15 s",
    secondsPerMessage: 10,
    behavior: { scaleUp: { policies: [{ type: "Percent", value: 1000, periodSeconds: 15 }] } },
  },
];

interface Cell {
  scenario: string;
  withinTarget: number;
  timesLowerBound: number;
}

async function runVariant(v: Variant): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const scenario of scenarios) {
    const run = prepare({
      scenario: scenario.name,
      seed: v.seed ?? 1,
      ...(v.targetWaitSeconds !== undefined ? { targetWaitSeconds: v.targetWaitSeconds } : {}),
      ...(v.secondsPerMessage !== undefined ? { secondsPerMessage: v.secondsPerMessage } : {}),
    });
    const base = defaultQueueWorkerPolicy(run.setting);
    const policy: PolicyInput = v.behavior
      ? { ...base, behavior: { ...base.behavior, ...v.behavior } }
      : base;
    const result = await runPolicy(run, ecsAutoscalerPolicy(run.setting, { policy }));
    cells.push({
      scenario: scenario.name,
      withinTarget: result.withinTarget,
      timesLowerBound: result.taskSeconds / run.workload.totalServiceSeconds,
    });
  }
  return cells;
}

function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

const started = performance.now();
const rows: { variant: string; geomeanTimesLowerBound: number; minWithinTarget: number; cells: Cell[] }[] =
  [];
for (const v of variants) {
  const cells = await runVariant(v);
  const row = {
    variant: v.name,
    geomeanTimesLowerBound: Math.round(geomean(cells.map((c) => c.timesLowerBound)) * 1000) / 1000,
    minWithinTarget: Math.min(...cells.map((c) => c.withinTarget)),
    cells,
  };
  rows.push(row);
  process.stderr.write(
    `sensitivity: ${v.name.padEnd(42)} ${row.geomeanTimesLowerBound.toFixed(3)}× LB (geometric mean), lowest within ${(100 * row.minWithinTarget).toFixed(2)}%\n`,
  );
}
const outDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(
  `${outDir}sensitivity.json`,
  `${JSON.stringify({ command: "npm run bench:sensitivity", rows }, null, 2)}\n`,
);
const names = scenarios.map((s) => s.name);
writeFileSync(
  `${outDir}sensitivity.md`,
  [
    "# ecs-autoscaler sensitivity",
    "",
    "Produced by `npm run bench:sensitivity` (bench/sensitivity.ts). Each cell: within target / task-seconds ÷ lower bound.",
    "",
    `| variant | geometric mean × LB | lowest within | ${names.join(" | ")} |`,
    `|---|---:|---:|${names.map(() => "---").join("|")}|`,
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.geomeanTimesLowerBound.toFixed(3)} | ${(100 * r.minWithinTarget).toFixed(2)}% | ${r.cells.map((c) => `${(100 * c.withinTarget).toFixed(2)}% / ${c.timesLowerBound.toFixed(2)}`).join(" | ")} |`,
    ),
    "",
  ].join("\n"),
);
process.stdout.write(
  `sensitivity: wrote bench/results/sensitivity.json and .md in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
