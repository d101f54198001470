/**
 * The numbers the page's client draws and exports, built once at render time from a SimulationOutput and
 * embedded as JSON. Pure (no DOM): the client only reads this shape.
 */
import type { PolicySeries, SimulationOutput, WaitDistribution } from "../result.ts";
import { downsample, maxPointsPerLine, niceBucketSize } from "./downsample.ts";
import { colourOf } from "./palette.ts";
import { judge, type VerdictStatus } from "./verdict.ts";

/** One policy's row and lines. Times line up with {@link ReportData.time}. */
export interface PolicyData {
  policy: string;
  colour: string;
  status: VerdictStatus;
  best: boolean;
  withinTarget: number;
  waitP50Seconds: number;
  waitP99Seconds: number;
  waitMaxSeconds: number;
  taskHours: number;
  /** Billed task time divided by the lower bound; null when the lower bound is 0. */
  timesLowerBound: number | null;
  costUsd: number;
  utilization: number;
  updateServiceCalls: number;
  reactionSeconds: number | null;
  interruptedMessages: number;
  wastedTaskHours: number;
  interruptedExtraWaitSeconds: number;
  drainingTaskHours: number;
  /** ecs-autoscaler's own AWS bill for this service, USD per month; null for the baselines. */
  ownAwsUsdPerMonth: number | null;
  desired: number[];
  running: number[];
  backlog: number[];
  oldestWaitSeconds: number[];
  /** Task-hours of running tasks from the start to the end of each point's bucket. */
  runningTaskHours: number[];
  /** Share of messages within each wait of {@link ReportData.cdfSeconds}; null when the output has none. */
  cdf: number[] | null;
}

/** Everything the client needs. */
export interface ReportData {
  scenario: string;
  targetWaitSeconds: number;
  goalShare: number;
  lowerBoundTaskHours: number;
  /** Epoch seconds of the first sample; null when the output's start time is not a date (axes show elapsed time). */
  startEpochSeconds: number | null;
  /** Seconds since the start of each point (the first sample of its bucket). */
  time: number[];
  /** Samples of the output per point (1: not reduced). */
  samplesPerPoint: number;
  /** Arrival rate, messages per second (bucket mean). */
  arrivalsPerSecond: number[];
  /** Tasks needed to keep up if busy every second: arrival rate × mean service time ÷ concurrency. */
  tasksNeeded: number[] | null;
  /** Wait values (seconds, ascending) at which {@link PolicyData.cdf} is given. */
  cdfSeconds: number[];
  policies: PolicyData[];
}

/** Seconds in an hour, for task-seconds → task-hours. */
const hour = 3600;

/** Builds the page's data: verdicts, lines reduced to at most `maxPoints` points, the CDFs. */
export function buildReportData(output: SimulationOutput, maxPoints: number = maxPointsPerLine): ReportData {
  const { stepSeconds, arrivals } = output.series;
  const size = niceBucketSize(arrivals.length, stepSeconds, maxPoints);
  const reduce = (values: readonly number[], how: "max" | "mean") =>
    downsample(values, how, size).map((p) => p.value);
  const startMs = Date.parse(output.series.startIso);
  const judgement = judge(output.results);
  const seriesOf = new Map(output.series.policies.map((s) => [s.policy as string, s]));
  const grid = cdfGrid(output.series.policies.map((s) => s.waitDistribution));
  const arrivalsPerSecond = reduce(arrivals, "mean").map((v) => v / stepSeconds);
  const settings = output.settings;
  const lower = output.lowerBound.taskSeconds;
  return {
    scenario: output.scenario,
    targetWaitSeconds: output.targetWaitSeconds,
    goalShare: judgement.goalShare,
    lowerBoundTaskHours: lower / hour,
    startEpochSeconds: Number.isFinite(startMs) ? startMs / 1000 : null,
    time: downsample(arrivals, "max", size).map((p) => p.index * stepSeconds),
    samplesPerPoint: size,
    arrivalsPerSecond,
    tasksNeeded: settings
      ? arrivalsPerSecond.map((r) => (r * settings.secondsPerMessage) / settings.concurrency)
      : null,
    cdfSeconds: grid,
    policies: output.results.map((r, i) => {
      const s = seriesOf.get(r.policy);
      const verdict = judgement.verdicts[i]!;
      return {
        policy: r.policy,
        colour: colourOf(r.policy, i),
        status: verdict.status,
        best: verdict.best,
        withinTarget: r.withinTarget,
        waitP50Seconds: r.waitP50Seconds,
        waitP99Seconds: r.waitP99Seconds,
        waitMaxSeconds: r.waitMaxSeconds,
        taskHours: r.taskSeconds / hour,
        timesLowerBound: lower > 0 ? r.taskSeconds / lower : null,
        costUsd: r.costUsd,
        utilization: r.utilization,
        updateServiceCalls: r.updateServiceCalls,
        reactionSeconds: r.reactionSeconds,
        interruptedMessages: r.interruptedMessages,
        wastedTaskHours: r.wastedTaskSeconds / hour,
        interruptedExtraWaitSeconds: r.interruptedExtraWaitSeconds,
        drainingTaskHours: r.drainingTaskSeconds / hour,
        ownAwsUsdPerMonth: r.ownCost?.usdPerMonth ?? null,
        desired: s ? reduce(s.desired, "max") : [],
        running: s ? reduce(s.running, "max") : [],
        backlog: s ? reduce(s.backlog, "max") : [],
        oldestWaitSeconds: s ? reduce(s.oldestWaitSeconds, "max") : [],
        runningTaskHours: s ? cumulativeTaskHours(s, stepSeconds, size) : [],
        cdf: s?.waitDistribution ? cdfOn(grid, s.waitDistribution) : null,
      };
    }),
  };
}

/** Running task-hours accumulated up to the end of each bucket of `size` samples. */
export function cumulativeTaskHours(series: PolicySeries, stepSeconds: number, size: number): number[] {
  const out: number[] = [];
  let total = 0;
  series.running.forEach((n, i) => {
    if (Number.isFinite(n)) total += (n * stepSeconds) / hour;
    if ((i + 1) % size === 0 || i === series.running.length - 1) out.push(total);
  });
  return out;
}

/** The waits at which every distribution is read: all their wait values, ascending, without repeats. */
export function cdfGrid(distributions: readonly (WaitDistribution | undefined)[]): number[] {
  const all = new Set<number>();
  for (const d of distributions) for (const s of d?.seconds ?? []) all.add(s);
  return [...all].sort((a, b) => a - b);
}

/**
 * The share of messages known to have waited at most each wait of `grid`: the largest quantile level
 * whose wait is within it (0 below the smallest wait). A lower bound of the true share, exact at the
 * distribution's own points.
 */
export function cdfOn(grid: readonly number[], d: WaitDistribution): number[] {
  const out: number[] = [];
  let k = -1;
  for (const x of grid) {
    while (k + 1 < d.seconds.length && d.seconds[k + 1]! <= x) k++;
    out.push(k < 0 ? 0 : d.share[k]!);
  }
  return out;
}
