/** Whole runs: determinism for a fixed seed, the same arrivals for every policy, the output contract. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyNames } from "../../shared/sim/result.ts";
import { prepare, simulate } from "../../shared/sim/simulate.ts";

const short = { scenario: "step-burst", start: "25m", duration: "15m" } as const;

describe("simulate", () => {
  it("is deterministic: the same seed gives the same output, byte for byte", async () => {
    const a = await simulate({ ...short, seed: 7 });
    const b = await simulate({ ...short, seed: 7 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("a different seed gives different arrivals", async () => {
    const a = prepare({ ...short, seed: 1 }).workload;
    const b = prepare({ ...short, seed: 2 }).workload;
    expect(a.arrivalTimes.length).not.toBe(0);
    expect([...a.arrivalTimes.slice(0, 5)]).not.toEqual([...b.arrivalTimes.slice(0, 5)]);
  });

  it("every policy sees the same arrivals, and the books balance for each", async () => {
    const output = await simulate({ ...short, seed: 3 });
    expect(output.results.map((r) => r.policy)).toEqual([...policyNames]);
    const arrived = new Set(output.results.map((r) => r.arrived));
    expect(arrived.size).toBe(1);
    expect(output.series.arrivals.reduce((a, b) => a + b, 0)).toBe(output.results[0]!.arrived);
    for (const r of output.results) {
      expect(r.processed).toBeLessThanOrEqual(r.arrived);
      expect(r.taskSeconds).toBeGreaterThan(0);
      expect(r.utilization).toBeLessThanOrEqual(1);
    }
  });

  it("the arrivals do not depend on which policies run", async () => {
    const one = await simulate({ ...short, seed: 5, policies: ["static"] });
    const all = await simulate({ ...short, seed: 5 });
    expect(one.series.arrivals).toEqual(all.series.arrivals);
    expect(one.results[0]).toEqual(all.results.find((r) => r.policy === "static"));
  });

  it("the reaction to the step burst is measured from the burst (the scenario's 30-minute mark)", async () => {
    const output = await simulate({ scenario: "step-burst", duration: "40m", policies: ["keda", "static"] });
    expect(output.settings?.burstAtSeconds).toBe(1800);
    const keda = output.results.find((r) => r.policy === "keda")!;
    expect(keda.reactionSeconds).toBeGreaterThanOrEqual(0);
    expect(keda.reactionSeconds).toBeLessThanOrEqual(60); // HPA syncs every 15 s on a fresh SQS read
    expect(output.results.find((r) => r.policy === "static")!.reactionSeconds).toBeNull();
  });

  it("ecs-autoscaler runs the real runtime through the simulated ports without failures", async () => {
    const output = await simulate({ ...short, policies: ["ecs-autoscaler"] });
    expect(output.warnings).toEqual([]);
    expect(output.results[0]!.updateServiceCalls).toBeGreaterThan(0);
  });

  it("lower bound: the sum of service times, below every policy's task-seconds", async () => {
    const output = await simulate({ ...short, serviceDistribution: "constant", secondsPerMessage: 2 });
    expect(output.lowerBound.taskSeconds).toBe(2 * output.results[0]!.arrived);
    for (const r of output.results) expect(r.taskSeconds).toBeGreaterThanOrEqual((output.lowerBound.taskSeconds * r.processed) / r.arrived);
  });

  it("passes the trace parser's warnings (a long gap between rows) to the output's warnings", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sim-")), "gappy.csv");
    writeFileSync(file, "time,count\n2026-03-02 12:00:00,60\n2026-03-02 12:01:00,60\n2026-03-02 12:02:00,60\n2026-03-02 12:10:00,60\n");
    const output = await simulate({ trace: file, policies: ["static"] });
    expect(output.warnings).toEqual([expect.stringMatching(/gappy\.csv:4: the gap to the next row is 480 s/)]);
  });

  it("keda runs at KEDA's default queueLength 5 unless the user sets one, and the output says which", async () => {
    const byDefault = await simulate({ ...short, policies: ["keda"] });
    const set = await simulate({ ...short, policies: ["keda"], kedaQueueLength: 60 });
    expect(byDefault.settings?.kedaQueueLength).toBe(5);
    expect(set.settings?.kedaQueueLength).toBe(60);
    expect(byDefault.results[0]!.taskSeconds).toBeGreaterThan(set.results[0]!.taskSeconds); // 5 per task needs more tasks than 60
  });
});
