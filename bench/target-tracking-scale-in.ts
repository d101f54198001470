/**
 * `node --import tsx bench/target-tracking-scale-in.ts`: the target-tracking baseline under each assumption
 * about its gradual scale-in (how much of the gap to the proportional count one scale-in closes — AWS does
 * not document it; shared/sim/policies/target-tracking.ts), at the AWS backlog-per-task guidance, on every
 * built-in scenario. Each cell: within target / cost ÷ the oracle's. Writes
 * bench/results/target-tracking-scale-in.{json,md}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultScaleInGapFraction, targetTrackingPolicy } from "../shared/sim/policies/target-tracking.ts";
import { scenarios } from "../shared/sim/scenarios.ts";
import { prepare, simulate } from "../shared/sim/simulate.ts";
import { runPolicy } from "./tuned-baselines.ts";

const fractions = [0.1, 0.25, 0.5, 1];

interface Cell {
  scenario: string;
  withinTarget: number;
  costOverOracle: number;
}

const started = performance.now();
const oracleCost = new Map<string, number>();
for (const scenario of scenarios) {
  const output = await simulate({ scenario: scenario.name, seed: 1, policies: ["oracle"] });
  oracleCost.set(scenario.name, output.results[0]!.costUsd);
}
const rows: { fraction: number; geomeanCostOverOracle: number; minWithinTarget: number; cells: Cell[] }[] =
  [];
for (const fraction of fractions) {
  const cells: Cell[] = [];
  for (const scenario of scenarios) {
    const run = prepare({ scenario: scenario.name, seed: 1 });
    const result = await runPolicy(run, targetTrackingPolicy(run.setting, { scaleInGapFraction: fraction }));
    cells.push({
      scenario: scenario.name,
      withinTarget: result.withinTarget,
      costOverOracle: result.costUsd / oracleCost.get(scenario.name)!,
    });
  }
  const geomean = Math.exp(cells.reduce((s, c) => s + Math.log(c.costOverOracle), 0) / cells.length);
  rows.push({
    fraction,
    geomeanCostOverOracle: Math.round(geomean * 1000) / 1000,
    minWithinTarget: Math.min(...cells.map((c) => c.withinTarget)),
    cells,
  });
  process.stderr.write(
    `target-tracking scale-in ${fraction}: ${geomean.toFixed(3)}× oracle (geometric mean)\n`,
  );
}
const outDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(
  `${outDir}target-tracking-scale-in.json`,
  `${JSON.stringify({ command: "node --import tsx bench/target-tracking-scale-in.ts", rows }, null, 2)}\n`,
);
const names = scenarios.map((s) => s.name);
const label = (f: number) =>
  `${f === 1 ? "whole gap (one step)" : `${f} of the gap`}${f === defaultScaleInGapFraction ? " (default)" : ""}`;
writeFileSync(
  `${outDir}target-tracking-scale-in.md`,
  [
    "# Target tracking: sensitivity to the assumed gradual scale-in",
    "",
    "Produced by `node --import tsx bench/target-tracking-scale-in.ts`. Target tracking at the AWS backlog-per-task guidance; each row assumes one scale-in closes that share of the gap between the desired count and the proportional count (at least one task), then waits the 300 s cooldown. Each cell: within target / cost ÷ oracle.",
    "",
    `| scale-in step | geometric mean ÷ oracle | lowest within | ${names.join(" | ")} |`,
    `|---|---:|---:|${names.map(() => "---").join("|")}|`,
    ...rows.map(
      (r) =>
        `| ${label(r.fraction)} | ${r.geomeanCostOverOracle.toFixed(3)} | ${(100 * r.minWithinTarget).toFixed(2)}% | ${r.cells.map((c) => `${(100 * c.withinTarget).toFixed(2)}% / ${c.costOverOracle.toFixed(2)}`).join(" | ")} |`,
    ),
    "",
  ].join("\n"),
);
process.stdout.write(
  `wrote bench/results/target-tracking-scale-in.json and .md in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
