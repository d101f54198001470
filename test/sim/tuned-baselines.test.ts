/** The benchmark's tuned baselines (bench/tuned-baselines.ts): the grid, the pick, and one real sweep. */
import { describe, expect, it } from "vitest";
import { commonSetting, type GridPoint, requiredWithinTarget, type TunedBaseline, tuneBaseline, tuningGrid } from "../../bench/tuned-baselines.ts";
import { prepare } from "../../shared/sim/simulate.ts";

const point = (perTaskTarget: number, withinTarget: number, costUsd: number): GridPoint => ({
  perTaskTarget,
  withinTarget,
  costUsd,
  taskSeconds: costUsd * 1000,
});
const tuned = (grid: GridPoint[]): TunedBaseline => ({ policy: "keda", defaultPerTaskTarget: 60, grid, best: null });

describe("tuned baselines", () => {
  it("sweeps a geometric grid from below KEDA's default 5 to above the AWS guidance: 60 × 1.25^k, k = −12 … 2", () => {
    expect(tuningGrid(60)).toEqual([4.123, 5.154, 6.442, 8.053, 10.066, 12.583, 15.729, 19.661, 24.576, 30.72, 38.4, 48, 60, 75, 93.75]);
  });

  it.each([
    {
      name: "the cheapest of the settings that reach 99% on every scenario",
      scenarios: [
        [point(20, 1, 9), point(40, 0.995, 5), point(60, 0.8, 4)],
        [point(20, 1, 3), point(40, 0.99, 2), point(60, 0.99, 1)],
      ],
      expected: { perTaskTarget: 40, costsUsd: [5, 2] },
    },
    {
      name: "none when every setting misses somewhere",
      scenarios: [
        [point(20, 0.98, 9), point(40, 1, 5)],
        [point(20, 1, 3), point(40, 0.5, 2)],
      ],
      expected: { perTaskTarget: null, costsUsd: null },
    },
  ])("one setting for all scenarios: $name", ({ scenarios, expected }) => {
    expect(commonSetting("keda", scenarios.map(tuned))).toEqual({ policy: "keda", ...expected });
  });

  it("refuses to combine sweeps over different grids", () => {
    expect(() => commonSetting("keda", [tuned([point(20, 1, 1)]), tuned([point(30, 1, 1)])])).toThrow(/different grids/);
  });

  it("keeps the cheapest setting with ≥ 99% within target on a real run, for KEDA and for target tracking", async () => {
    const run = prepare({ scenario: "steady", duration: "30m", seed: 1 });
    const keda = await tuneBaseline("keda", run);
    expect(keda.grid.map((g) => g.perTaskTarget)).toEqual(tuningGrid(60));
    const qualifying = keda.grid.filter((g) => g.withinTarget >= requiredWithinTarget);
    expect(qualifying.length).toBeGreaterThan(0);
    expect(keda.best).toEqual(qualifying.reduce((a, b) => (b.costUsd < a.costUsd ? b : a)));
    // A smaller queue length per task means more tasks: cost falls along the grid.
    expect(keda.grid[0]!.costUsd).toBeGreaterThan(keda.grid.at(-1)!.costUsd);
    // With its gradual scale-in, target tracking keeps enough tasks on steady traffic at some settings.
    const tracking = await tuneBaseline("target-tracking", run);
    const trackingQualifying = tracking.grid.filter((g) => g.withinTarget >= requiredWithinTarget);
    expect(tracking.best).toEqual(trackingQualifying.reduce((a, b) => (b.costUsd < a.costUsd ? b : a)));
  });
});
