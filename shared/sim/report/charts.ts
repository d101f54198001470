/**
 * The report's four charts, built from a SimulationOutput: arrivals, backlog per policy, desired and
 * running tasks per policy, and the oldest message's wait per policy against the target wait.
 */
import type { SimulationOutput } from "../result.ts";
import type { ChartLine, ChartPoint, ChartSpec } from "./chart.ts";
import { type BucketReducer, downsample, niceBucketSize } from "./downsample.ts";
import { formatDuration, formatNumber } from "./format.ts";
import { colourOf, inkColour, targetColour } from "./palette.ts";

/** A chart plus what its legend says beyond the policy names, and how it was downsampled. */
export interface ReportChart {
  spec: ChartSpec;
  /** Extra legend entries explaining line styles and reference lines. */
  notes: LegendNote[];
  /** A second rendering of the same data on a log scale, when values span orders of magnitude. */
  logVariant?: ChartSpec;
  /** One sentence on how the lines were reduced, or null when every sample is drawn. */
  downsampling: string | null;
}

/** A legend entry that is not a policy: a line style or a reference line. */
export interface LegendNote {
  label: string;
  colour: string;
  style: "solid" | "dashed" | "band" | "reference";
}

/** Above this ratio of the largest wait to the target wait, the wait chart also offers a log scale. */
const logScaleRatio = 20;

/** Seconds offset of sample `index`, and the run's drawn length. */
interface TimeBase {
  startMs: number;
  stepSeconds: number;
  durationSeconds: number;
}

function timeBaseOf(output: SimulationOutput): TimeBase {
  const stepSeconds = output.series.stepSeconds > 0 ? output.series.stepSeconds : 1;
  const longest = Math.max(
    output.series.arrivals.length,
    ...output.series.policies.map((p) => p.backlog.length),
    0,
  );
  const durationSeconds =
    Number.isFinite(output.durationSeconds) && output.durationSeconds > 0
      ? output.durationSeconds
      : longest * stepSeconds;
  return { startMs: Date.parse(output.series.startIso), stepSeconds, durationSeconds };
}

function reduce(values: readonly number[], reducer: BucketReducer, base: TimeBase, scale = 1): ChartPoint[] {
  const size = niceBucketSize(values.length, base.stepSeconds);
  return downsample(values, reducer, size).map((p) => ({
    t: p.index * base.stepSeconds,
    v: p.value * scale,
  }));
}

function downsamplingNote(samples: number, base: TimeBase, how: string): string | null {
  const size = niceBucketSize(samples, base.stepSeconds);
  if (size <= 1) return null;
  return (
    `${formatNumber(samples, 0)} samples per line drawn as ${formatNumber(Math.ceil(samples / size), 0)} points: ` +
    `${how} within each ${formatDuration(size * base.stepSeconds)} bucket.`
  );
}

/** Arrival rate: mean per bucket as the line (totals kept), the bucket maximum as a light band. */
function arrivalsChart(output: SimulationOutput, base: TimeBase): ReportChart {
  const arrivals = output.series.arrivals;
  const total = arrivals.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  // Slow traffic reads better per minute (0.05 messages per second is hard to picture).
  const perMinute = total / Math.max(1, base.durationSeconds) < 1;
  const scale = (perMinute ? 60 : 1) / base.stepSeconds;
  const unit = perMinute ? "messages/min" : "messages/s";
  const downsampled = niceBucketSize(arrivals.length, base.stepSeconds) > 1;
  const line: ChartLine = {
    key: "arrivals",
    label: "arrivals",
    colour: inkColour,
    points: reduce(arrivals, "mean", base, scale),
    shape: "step",
    fill: true,
  };
  if (downsampled) line.band = reduce(arrivals, "max", base, scale);
  const notes: LegendNote[] = [
    {
      // Named policy by policy so this legend, like the others, says which runs the chart covers.
      label: `arrival rate, identical for ${output.series.policies.map((p) => p.policy).join(", ") || "every policy"}`,
      colour: inkColour,
      style: "solid",
    },
  ];
  if (downsampled) notes.push({ label: "highest rate within a bucket", colour: inkColour, style: "band" });
  return {
    spec: {
      id: "chart-arrivals",
      title: "Arrivals",
      yLabel: `arrival rate (${unit})`,
      unit,
      startMs: base.startMs,
      durationSeconds: base.durationSeconds,
      lines: [line],
    },
    notes,
    downsampling: downsamplingNote(arrivals.length, base, "the mean rate (the band shows the highest)"),
  };
}

function backlogChart(output: SimulationOutput, base: TimeBase): ReportChart {
  const lines = output.series.policies.map(
    (p, i): ChartLine => ({
      key: p.policy,
      label: p.policy,
      colour: colourOf(p.policy, i),
      points: reduce(p.backlog, "max", base),
      shape: "line",
    }),
  );
  return {
    spec: {
      id: "chart-backlog",
      title: "Backlog per policy",
      yLabel: "messages waiting (visible + in flight)",
      unit: "messages",
      startMs: base.startMs,
      durationSeconds: base.durationSeconds,
      lines,
    },
    notes: [],
    downsampling: downsamplingNote(longestOf(output, "backlog"), base, "the highest backlog"),
  };
}

function tasksChart(output: SimulationOutput, base: TimeBase): ReportChart {
  const lines: ChartLine[] = [];
  output.series.policies.forEach((p, i) => {
    const colour = colourOf(p.policy, i);
    lines.push(
      {
        key: p.policy,
        label: `${p.policy} running`,
        colour,
        points: reduce(p.running, "max", base),
        shape: "step",
      },
      {
        key: p.policy,
        label: `${p.policy} desired`,
        colour,
        points: reduce(p.desired, "max", base),
        shape: "step",
        dashed: true,
      },
    );
  });
  return {
    spec: {
      id: "chart-tasks",
      title: "Desired and running tasks per policy",
      yLabel: "tasks",
      unit: "tasks",
      startMs: base.startMs,
      durationSeconds: base.durationSeconds,
      lines,
    },
    notes: [
      { label: "running tasks", colour: inkColour, style: "solid" },
      { label: "desired count", colour: inkColour, style: "dashed" },
    ],
    downsampling: downsamplingNote(longestOf(output, "running"), base, "the highest count"),
  };
}

function waitChart(output: SimulationOutput, base: TimeBase): ReportChart {
  const target = output.targetWaitSeconds;
  const lines = output.series.policies.map(
    (p, i): ChartLine => ({
      key: p.policy,
      label: p.policy,
      colour: colourOf(p.policy, i),
      points: reduce(p.oldestWaitSeconds, "max", base),
      shape: "line",
    }),
  );
  const targetLabel = `target wait ${formatNumber(target, 1)} s`;
  const spec: ChartSpec = {
    id: "chart-wait",
    title: "Oldest message's wait per policy",
    yLabel: "oldest message age (s)",
    unit: "s",
    startMs: base.startMs,
    durationSeconds: base.durationSeconds,
    lines,
    references:
      Number.isFinite(target) && target > 0
        ? [{ value: target, label: targetLabel, colour: targetColour }]
        : [],
  };
  const maxWait = Math.max(0, ...lines.flatMap((l) => l.points.map((p) => (Number.isFinite(p.v) ? p.v : 0))));
  const chart: ReportChart = {
    spec,
    notes: [{ label: targetLabel, colour: targetColour, style: "reference" }],
    downsampling: downsamplingNote(longestOf(output, "oldestWaitSeconds"), base, "the longest wait"),
  };
  if (target > 0 && maxWait > logScaleRatio * target) {
    chart.logVariant = { ...spec, id: "chart-wait-log", yScale: { kind: "log", floor: 1 } };
  }
  return chart;
}

function longestOf(output: SimulationOutput, field: "backlog" | "running" | "oldestWaitSeconds"): number {
  return Math.max(0, ...output.series.policies.map((p) => p[field].length));
}

/** The four charts of the report, in reading order. */
export function buildCharts(output: SimulationOutput): ReportChart[] {
  const base = timeBaseOf(output);
  return [
    arrivalsChart(output, base),
    backlogChart(output, base),
    tasksChart(output, base),
    waitChart(output, base),
  ];
}
