/**
 * Hand-built SimulationOutputs for the report tests. The numbers come from a toy fluid queue (not the
 * simulator) so the report's tests do not depend on the simulator and the charts have plausible shapes:
 * steady traffic, a ×10 step burst, then quiet.
 */
import { type PolicyName, type PolicyResult, type PolicySeries, policyNames, type SimulationOutput, type SimulationSettings, type WaitDistribution } from "../../shared/sim/result.ts";
import { percentile, waitQuantileLevels } from "../../shared/sim/score.ts";

/** Per-policy toy behaviour: how fast it reacts (samples of lag) and how much headroom it keeps. */
const behaviour: Record<PolicyName, { lag: number; headroom: number; fixed?: number }> = {
  "ecs-autoscaler": { lag: 2, headroom: 1.15 },
  "target-tracking": { lag: 24, headroom: 1.3 },
  "step-scaling": { lag: 12, headroom: 1.5 },
  keda: { lag: 6, headroom: 1.25 },
  static: { lag: 0, headroom: 1, fixed: 24 },
  "aws-predictive": { lag: 20, headroom: 1.3 },
  oracle: { lag: 0, headroom: 1 },
};

/** Settings as the simulator writes them, for tests of what the page derives from them. */
export const fixtureSettings: SimulationSettings = {
  secondsPerMessage: 1,
  serviceDistribution: "exponential",
  startupSeconds: [30, 90],
  concurrency: 1,
  maxTasks: 217,
  intervalSeconds: 10,
  burstAtSeconds: 1800,
  kedaQueueLength: 5,
  visibilityTimeoutSeconds: 30,
  attributeStalenessSeconds: 5,
  attributeError: 0.02,
  metricDelaySeconds: 60,
  minimumBilledSeconds: 60,
};

export interface FixtureOptions {
  steps?: number;
  stepSeconds?: number;
  scenario?: string;
  policies?: readonly PolicyName[];
  targetWaitSeconds?: number;
}

/** Arrivals per step: 2/s, ×10 for a sixth of the run starting at a quarter, a one-step spike later. */
export function fixtureArrivals(steps: number, stepSeconds: number): number[] {
  return Array.from({ length: steps }, (_, i) => {
    const base = 2 * stepSeconds;
    if (i >= steps / 4 && i < steps / 4 + steps / 6) return base * 10;
    if (i === Math.floor((steps * 2) / 3)) return base * 30;
    return base + ((i * 7) % 5);
  });
}

function policySeries(policy: PolicyName, arrivals: readonly number[], stepSeconds: number): PolicySeries {
  const { lag, headroom, fixed } = behaviour[policy];
  const perTaskPerStep = stepSeconds; // one message per second per task
  const startupSteps = Math.ceil(60 / stepSeconds);
  const desired: number[] = [];
  const running: number[] = [];
  const backlog: number[] = [];
  const oldestWaitSeconds: number[] = [];
  let queue = 0;
  let oldest = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const seen = arrivals[Math.max(0, i - lag)]!;
    const want = fixed ?? Math.max(1, Math.ceil((seen / stepSeconds) * headroom + queue / 60));
    desired.push(want);
    // Tasks take `startupSteps` to start; scale-in is immediate.
    const previous = running[i - 1] ?? want;
    running.push(want <= previous ? want : Math.max(previous, desired[Math.max(0, i - startupSteps)]!));
    queue = Math.max(0, queue + arrivals[i]! - running[i]! * perTaskPerStep);
    oldest = queue > 0 ? oldest + stepSeconds : 0;
    backlog.push(queue);
    oldestWaitSeconds.push(oldest);
  }
  return { policy, desired, running, backlog, oldestWaitSeconds, waitDistribution: toyWaits(oldestWaitSeconds) };
}

/** A wait distribution from the oldest-wait samples standing in for messages' waits (a toy, like the rest). */
function toyWaits(samples: readonly number[]): WaitDistribution {
  const sorted = Float64Array.from(samples).sort();
  return { share: [...waitQuantileLevels], seconds: waitQuantileLevels.map((q) => percentile(sorted, q)) };
}

function resultOf(series: PolicySeries, arrived: number, stepSeconds: number, index: number): PolicyResult {
  const taskSeconds = series.running.reduce((a, b) => a + b, 0) * stepSeconds;
  const maxWait = Math.max(...series.oldestWaitSeconds);
  return {
    policy: series.policy,
    arrived,
    processed: arrived - series.backlog.at(-1)!,
    withinTarget: Math.max(0, 1 - maxWait / 20_000 - index * 0.004),
    waitP50Seconds: 0.4 + index,
    waitP99Seconds: Math.min(maxWait, 12 + index * 40),
    waitMaxSeconds: maxWait,
    taskSeconds,
    costUsd: (taskSeconds / 3600) * 0.04937,
    utilization: arrived / taskSeconds,
    updateServiceCalls: series.policy === "static" ? 0 : 40 - index * 5,
    reactionSeconds: series.policy === "static" ? null : behaviour[series.policy].lag * stepSeconds + 3,
    // Policies that scale in stop busy tasks; static never scales in.
    interruptedMessages: series.policy === "static" ? 0 : 120 - index * 20,
    wastedTaskSeconds: series.policy === "static" ? 0 : 95.5 - index * 10,
    interruptedExtraWaitSeconds: series.policy === "static" ? 0 : 3600 - index * 300,
    drainingTaskSeconds: 0,
  };
}

/** A complete output for `policies` (default: all five) over `steps` samples. */
export function buildFixture(options: FixtureOptions = {}): SimulationOutput {
  const steps = options.steps ?? 720;
  const stepSeconds = options.stepSeconds ?? 10;
  const policies = options.policies ?? policyNames;
  const arrivals = fixtureArrivals(steps, stepSeconds);
  const arrived = arrivals.reduce((a, b) => a + b, 0);
  const series = policies.map((p) => policySeries(p, arrivals, stepSeconds));
  return {
    scenario: options.scenario ?? "step-burst",
    seed: 42,
    targetWaitSeconds: options.targetWaitSeconds ?? 60,
    durationSeconds: steps * stepSeconds,
    results: series.map((s, i) => resultOf(s, arrived, stepSeconds, i)),
    lowerBound: { taskSeconds: arrived * 1 },
    series: { startIso: "2026-03-02T12:00:00Z", stepSeconds, arrivals, policies: series },
  };
}
