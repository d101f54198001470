/** Small hand-made workloads and worlds for the simulator tests. */
import type { Workload } from "../../shared/sim/arrivals.ts";
import { World, type WorldOptions } from "../../shared/sim/world.ts";

/** A workload from explicit arrival and service times (seconds). */
export function workloadOf(arrivals: number[], services: number[] | number, durationSeconds: number): Workload {
  const serviceTimes = Float64Array.from(arrivals, (_, i) => (typeof services === "number" ? services : services[i]!));
  return {
    name: "test",
    startMs: Date.parse("2026-03-02T00:00:00Z"),
    durationSeconds,
    arrivalTimes: Float64Array.from(arrivals),
    serviceTimes,
    totalServiceSeconds: serviceTimes.reduce((a, b) => a + b, 0),
  };
}

/** A world with exact, deterministic knobs: fixed startup, no staleness or error unless asked. */
export function worldOf(workload: Workload, overrides: Partial<WorldOptions> = {}): World {
  return new World({
    workload,
    seed: 1,
    startup: { minSeconds: 30, maxSeconds: 30 },
    concurrency: 1,
    visibilityTimeoutSeconds: 30,
    attributeStalenessSeconds: 0,
    attributeError: 0,
    metricDelaySeconds: 60,
    initialTasks: 0,
    minimumBilledSeconds: 60,
    sampleStepSeconds: 10,
    burstAt: null,
    ...overrides,
  });
}

/** Runs `fn` once at `at` seconds (a one-shot on the world's repeating timer). */
export function at(world: World, time: number, fn: () => void): void {
  let done = false;
  world.every(1e9, time, () => {
    if (!done) fn();
    done = true;
  });
}
