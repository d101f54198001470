/**
 * One run of `npm run bench:predictive` on a worker thread (node:worker_threads): one variant on one
 * multi-day scenario. It prepares the scenario's arrivals itself (same seed, so the same arrivals as
 * every other run of that scenario), scores the run, counts the late messages of the morning-rise
 * windows and posts that back, so no per-message array crosses threads.
 */
import { parentPort } from "node:worker_threads";
import { arrivalsPerMinute } from "../shared/sim/arrivals.ts";
import { runOracle } from "../shared/sim/oracle/record.ts";
import { awsPredictivePolicy } from "../shared/sim/policies/aws-predictive.ts";
import { defaultQueueWorkerPolicy, ecsAutoscalerPolicy } from "../shared/sim/policies/ecs-autoscaler.ts";
import type { PolicyResult } from "../shared/sim/result.ts";
import { scoreRun } from "../shared/sim/score.ts";
import {
  oracleOptionsFor,
  type PreparedRun,
  prepare,
  sampleStep,
  worldOptionsFor,
} from "../shared/sim/simulate.ts";
import { World, type WorldRecord } from "../shared/sim/world.ts";

/** What runs: ecs-autoscaler without and with its forecast, the AWS predictive baseline, the oracle. */
export const variants = [
  "ecs-autoscaler",
  "ecs-autoscaler forecastAndScale",
  "aws-predictive",
  "oracle",
] as const;
export type Variant = (typeof variants)[number];

export interface PredictiveJob {
  scenario: string;
  seed: number;
  variant: Variant;
  /** The wait target, when not the scenario's own. */
  targetWaitSeconds?: number;
}

export interface PredictiveJobResult {
  variant: Variant;
  result: PolicyResult;
  /** The morning-rise windows (seconds from the start) and the messages that arrived in them. */
  windows: { start: number; end: number }[];
  riseArrived: number;
  /** Of those, the messages that waited longer than the target. */
  riseLate: number;
  /** Late messages after the first day (the days a forecast can exist). */
  lateAfterFirstDay: number;
  /** ecs-autoscaler with a forecast: decisions whose reason is ForecastRaise. */
  forecastRaises?: number;
  wallSeconds: number;
}

/** Hours of the morning-rise window each day. */
export const riseHours = 3;

/**
 * The morning rise of each day after the first: the {@link riseHours} consecutive hours (within the
 * day) whose last hour's arrivals exceed the hour before the window by the most, from the per-minute
 * arrivals. The first day is left out: no forecast exists yet.
 */
export function riseWindows(perMinute: ArrayLike<number>): { start: number; end: number }[] {
  const hours: number[] = [];
  for (let m = 0; m < perMinute.length; m++)
    hours[Math.floor(m / 60)] = (hours[Math.floor(m / 60)] ?? 0) + perMinute[m]!;
  const windows = [];
  for (let day = 1; day * 24 + 24 <= hours.length; day++) {
    let best = 1;
    let bestRise = Number.NEGATIVE_INFINITY;
    for (let k = 1; k + riseHours <= 24; k++) {
      const h = day * 24 + k;
      const rise = hours[h + riseHours - 1]! - hours[h - 1]!;
      if (rise > bestRise) {
        bestRise = rise;
        best = k;
      }
    }
    const start = (day * 24 + best) * 3600;
    windows.push({ start, end: start + riseHours * 3600 });
  }
  return windows;
}

function lateIn(
  record: WorldRecord,
  run: PreparedRun,
  windows: { start: number; end: number }[],
): { arrived: number; late: number; lateAfterFirstDay: number } {
  const arrivals = run.workload.arrivalTimes;
  const target = run.setting.targetWaitSeconds;
  let arrived = 0;
  let late = 0;
  let lateAfterFirstDay = 0;
  let w = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const t = arrivals[i]!;
    const isLate = record.waitByArrival[i]! > target;
    if (isLate && t >= 86_400) lateAfterFirstDay++;
    while (w < windows.length && t >= windows[w]!.end) w++;
    if (w < windows.length && t >= windows[w]!.start) {
      arrived++;
      if (isLate) late++;
    }
  }
  return { arrived, late, lateAfterFirstDay };
}

/** Runs one job in this thread. */
export async function runJob(job: PredictiveJob): Promise<PredictiveJobResult> {
  const started = performance.now();
  const run = prepare({
    scenario: job.scenario,
    seed: job.seed,
    ...(job.targetWaitSeconds !== undefined ? { targetWaitSeconds: job.targetWaitSeconds } : {}),
  });
  const step = sampleStep(run.workload.durationSeconds);
  const windows = riseWindows(arrivalsPerMinute(run.workload));
  let record: WorldRecord;
  let forecastRaises: number | undefined;
  if (job.variant === "oracle") record = runOracle(oracleOptionsFor(run, step));
  else {
    const forecast = job.variant === "ecs-autoscaler forecastAndScale";
    const ours =
      job.variant === "aws-predictive"
        ? undefined
        : ecsAutoscalerPolicy(run.setting, {
            policy: {
              ...defaultQueueWorkerPolicy(run.setting),
              ...(forecast ? { predictive: "forecastAndScale" as const } : {}),
            },
            keepDecisions: forecast,
          });
    const policy = ours ?? awsPredictivePolicy(run.setting);
    const world = new World(worldOptionsFor(run, policy.initialTasks, step));
    policy.attach(world);
    record = await world.run();
    if (forecast && ours)
      forecastRaises = ours.sink.decisions.filter((d) => d.decision.reason === "ForecastRaise").length;
  }
  const name =
    job.variant === "oracle"
      ? "oracle"
      : job.variant === "aws-predictive"
        ? "aws-predictive"
        : "ecs-autoscaler";
  const result = scoreRun(name, record, run.setting.targetWaitSeconds, run.concurrency);
  const rise = lateIn(record, run, windows);
  return {
    variant: job.variant,
    result,
    windows,
    riseArrived: rise.arrived,
    riseLate: rise.late,
    lateAfterFirstDay: rise.lateAfterFirstDay,
    ...(forecastRaises !== undefined ? { forecastRaises } : {}),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

// As a worker: one job per message, one result (or the error's text) per job.
parentPort?.on("message", async (job: PredictiveJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: await runJob(job) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: (error as Error).stack ?? String(error) });
  }
});
