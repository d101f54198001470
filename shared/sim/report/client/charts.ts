/**
 * The page's charts, one builder each. A builder returns the uPlot instance and, for each of its series,
 * the policy it belongs to, so that hiding a policy hides it everywhere.
 */
import uPlot from "uplot";
import type { PolicyData, ReportData } from "../data.ts";
import {
  axis,
  baseOptions,
  labelFont,
  num,
  type Reference,
  referenceLines,
  timeX,
  zeroBased,
} from "./options.ts";

/** A built chart: series index → policy (null for x and for series that belong to no policy). */
export interface BuiltChart {
  id: string;
  plot: uPlot;
  policyOf: (string | null)[];
}

const targetColour = "#B00020";
const goalColour = "#1b7f4b";
const inkColour = "#333333";
const mainHeight = 280;
/** Time charts share a cursor: hovering one shows the same moment in all of them. */
const timeSync = { key: "report-time" };

function policyLine(p: PolicyData, format: (v: number) => string, dash?: number[]): uPlot.Series {
  return {
    label: p.policy,
    stroke: p.colour,
    width: 2,
    ...(dash ? { dash } : {}),
    value: (_u, v) => (v === null ? "—" : format(v)),
    points: { show: false },
  };
}

/** One line per policy over time, with the hovered line in focus and the rest dimmed. */
function perPolicyTimeChart(
  el: HTMLElement,
  data: ReportData,
  id: string,
  yLabel: string,
  pick: (p: PolicyData) => number[],
  format: (v: number) => string,
  references: Reference[] = [],
): BuiltChart {
  const time = timeX(data);
  const opts: uPlot.Options = {
    ...baseOptions(el.clientWidth, mainHeight),
    scales: {
      x: time.scale,
      y: { range: zeroBased(...references.filter((r) => r.axis === "y").map((r) => r.value)) },
    },
    axes: [time.axis, axis(yLabel, { size: 64 })],
    series: [time.series, ...data.policies.map((p) => policyLine(p, format))],
    cursor: { sync: timeSync, focus: { prox: 24 } },
    focus: { alpha: 0.25 },
    plugins: [referenceLines(references)],
  };
  const plot = new uPlot(opts, [time.x, ...data.policies.map(pick)], el);
  return { id, plot, policyOf: [null, ...data.policies.map((p) => p.policy)] };
}

/** Arrival rate over time (the same for every policy). */
export function arrivalsChart(el: HTMLElement, data: ReportData): BuiltChart {
  const time = timeX(data);
  const opts: uPlot.Options = {
    ...baseOptions(el.clientWidth, 220),
    scales: { x: time.scale, y: { range: zeroBased() } },
    axes: [time.axis, axis("messages / s", { size: 64 })],
    series: [
      time.series,
      {
        label: "arrivals",
        stroke: inkColour,
        width: 1.5,
        fill: "rgba(51,51,51,0.08)",
        value: (_u, v) => (v === null ? "—" : `${num(v, 2)} /s`),
        points: { show: false },
      },
    ],
    cursor: { sync: timeSync },
  };
  return {
    id: "arrivals",
    plot: new uPlot(opts, [time.x, data.arrivalsPerSecond], el),
    policyOf: [null, null],
  };
}

/** Messages waiting (visible + in flight) per policy. */
export function backlogChart(el: HTMLElement, data: ReportData): BuiltChart {
  return perPolicyTimeChart(
    el,
    data,
    "backlog",
    "messages waiting",
    (p) => p.backlog,
    (v) => num(v, 0),
  );
}

/** The oldest message's age per policy against the target wait. */
export function waitChart(el: HTMLElement, data: ReportData): BuiltChart {
  const target: Reference = {
    axis: "y",
    value: data.targetWaitSeconds,
    label: `target wait ${num(data.targetWaitSeconds, 1)} s`,
    colour: targetColour,
  };
  return perPolicyTimeChart(
    el,
    data,
    "wait",
    "oldest wait (s)",
    (p) => p.oldestWaitSeconds,
    (v) => `${num(v, 1)} s`,
    [target],
  );
}

/** Running task-hours accumulated since the start, per policy. */
export function costChart(el: HTMLElement, data: ReportData): BuiltChart {
  return perPolicyTimeChart(
    el,
    data,
    "cost",
    "task-hours so far",
    (p) => p.runningTaskHours,
    (v) => `${num(v, 2)} task-h`,
  );
}

/** One small panel per policy: running (solid) and desired (dashed) tasks, and the tasks the work needs. */
export function taskPanel(el: HTMLElement, data: ReportData, p: PolicyData, yMax: () => number): BuiltChart {
  const time = timeX(data);
  const needed = data.tasksNeeded;
  const series: uPlot.Series[] = [
    time.series,
    policyLine(p, (v) => num(v, 0)),
    { ...policyLine(p, (v) => num(v, 0), [6, 4]), label: "desired" },
  ];
  series[1]!.label = "running";
  const values: number[][] = [p.running, p.desired];
  if (needed) {
    series.push({
      label: "needed",
      stroke: "#8a919e",
      width: 1,
      value: (_u, v) => (v === null ? "—" : num(v, 1)),
      points: { show: false },
    });
    values.push(needed);
  }
  const opts: uPlot.Options = {
    ...baseOptions(el.clientWidth, 200),
    scales: { x: time.scale, y: { range: () => [0, yMax()] } },
    axes: [time.axis, axis("tasks", { size: 52 })],
    series,
    cursor: { sync: timeSync },
  };
  const plot = new uPlot(opts, [time.x, ...values], el);
  return { id: `tasks-${p.policy}`, plot, policyOf: series.map(() => null) };
}

/** The CDF's y range: all messages, or the tail (90–100 %) where the goal is met or missed. */
export function cdfRange(el: HTMLElement): [number, number] {
  return el.dataset.tail === "true" ? [90, 100] : [0, 100];
}

/** Share of messages within each wait, per policy, with the target wait and the goal marked. */
export function cdfChart(el: HTMLElement, data: ReportData): BuiltChart {
  const withCdf = data.policies.filter((p) => p.cdf !== null);
  const opts: uPlot.Options = {
    ...baseOptions(el.clientWidth, mainHeight),
    scales: {
      x: { time: false, distr: 4, asinh: 1, range: (_u, _min, max) => [0, max] },
      y: { range: () => cdfRange(el) },
    },
    axes: [
      axis("wait (s), stretched near 0", {
        values: (_u, splits) => splits.map((s) => (s === null || s === undefined ? "" : num(s, 1))),
      }),
      axis("% of messages within", { size: 56 }),
    ],
    series: [
      { label: "wait", value: (_u, v) => (v === null ? "—" : `≤ ${num(v, 1)} s`) },
      ...withCdf.map((p) => ({
        ...policyLine(p, (v) => `${num(v, 2)} %`),
        paths: uPlot.paths.stepped!({ align: 1 }),
      })),
    ],
    cursor: { focus: { prox: 24 } },
    focus: { alpha: 0.25 },
    plugins: [
      referenceLines([
        {
          axis: "x",
          value: data.targetWaitSeconds,
          label: `target ${num(data.targetWaitSeconds, 1)} s`,
          colour: targetColour,
        },
        {
          axis: "y",
          value: data.goalShare * 100,
          label: `goal ${num(data.goalShare * 100, 2)} %`,
          colour: goalColour,
        },
      ]),
    ],
  };
  const series = withCdf.map((p) => p.cdf!.map((s) => s * 100));
  const plot = new uPlot(opts, [data.cdfSeconds, ...series], el);
  return { id: "cdf", plot, policyOf: [null, ...withCdf.map((p) => p.policy)] };
}

/** Billed task-hours against the share within the target: one point per policy, the goal as a line. */
export function scatterChart(el: HTMLElement, data: ReportData): BuiltChart {
  const xs = [...new Set(data.policies.map((p) => p.taskHours))].sort((a, b) => a - b);
  const columns = data.policies.map((p) => xs.map((x) => (x === p.taskHours ? p.withinTarget * 100 : null)));
  const lowest = Math.min(data.goalShare * 100, ...data.policies.map((p) => p.withinTarget * 100));
  const opts: uPlot.Options = {
    ...baseOptions(el.clientWidth, mainHeight),
    scales: {
      x: { time: false, range: (_u, _min, max) => [0, Math.max(max, data.lowerBoundTaskHours) * 1.15 || 1] },
      y: { range: () => uPlot.rangeNum(Math.max(0, lowest - 1), 100, 0.1, false) as [number, number] },
    },
    axes: [axis("billed task-hours (cheaper ←)"), axis("% within target", { size: 56 })],
    series: [
      { label: "task-hours", value: (_u, v) => (v === null ? "—" : `${num(v, 2)} task-h`) },
      ...data.policies.map((p) => ({
        label: p.policy,
        stroke: p.colour,
        fill: p.colour,
        paths: () => null,
        points: { show: true, size: 14, width: 2, fill: p.colour, stroke: "#fff" },
        value: (_u: uPlot, v: number | null) => (v === null ? "" : `${num(v, 2)} %`),
      })),
    ],
    cursor: { points: { show: false } },
    legend: { live: false },
    plugins: [
      referenceLines([
        {
          axis: "y",
          value: data.goalShare * 100,
          label: `goal ${num(data.goalShare * 100, 2)} %`,
          colour: goalColour,
        },
        { axis: "x", value: data.lowerBoundTaskHours, label: "lower bound", colour: inkColour },
      ]),
      pointLabels(data),
    ],
  };
  const plot = new uPlot(opts, [xs, ...columns], el);
  return { id: "scatter", plot, policyOf: [null, ...data.policies.map((p) => p.policy)] };
}

/**
 * Writes each visible policy's name beside its point on the scatter chart. Policies whose points fall
 * on top of each other (aws-predictive is target tracking on a short run) share one label; a label
 * that would overlap one already written moves down a line, so every name stays readable.
 */
function pointLabels(data: ReportData): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const px = uPlot.pxRatio;
          ctx.save();
          ctx.font = labelFont.replace(/(\d+)px/, (_m, n: string) => `${Math.round(Number(n) * px)}px`);
          ctx.textBaseline = "middle";
          ctx.fillStyle = "#1d2330";
          const lineHeight = 16 * px;
          const placed: { left: number; right: number; y: number }[] = [];
          for (const group of pointGroups(data, u)) {
            const right = group.x > u.bbox.left + u.bbox.width * 0.7;
            const text = group.names.join(" = ");
            const width = ctx.measureText(text).width;
            const left = right ? group.x - 12 * px - width : group.x + 12 * px;
            let y = group.y;
            while (
              placed.some((b) => Math.abs(b.y - y) < lineHeight && left < b.right && left + width > b.left)
            ) {
              y += lineHeight;
            }
            placed.push({ left, right: left + width, y });
            ctx.textAlign = "left";
            ctx.fillText(text, left, y);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** The visible policies' points in canvas pixels, those at the same spot merged into one. */
function pointGroups(data: ReportData, u: uPlot): { x: number; y: number; names: string[] }[] {
  const groups: { x: number; y: number; names: string[] }[] = [];
  data.policies.forEach((p, i) => {
    if (!u.series[i + 1]?.show) return;
    const x = u.valToPos(p.taskHours, "x", true);
    const y = u.valToPos(p.withinTarget * 100, "y", true);
    const same = groups.find((g) => Math.abs(g.x - x) < 1 && Math.abs(g.y - y) < 1);
    if (same) same.names.push(p.policy);
    else groups.push({ x, y, names: [p.policy] });
  });
  return groups;
}
