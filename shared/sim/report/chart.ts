/**
 * A hand-written SVG time-series chart: axes with readable ticks, a grid, one path per line, optional
 * reference lines (the target wait). Drawn on the server so the page shows its charts with scripts off;
 * the inline script only adds hover read-outs and legend toggles.
 */
import { escapeHtml } from "./escape.ts";
import { linearScale, logScale, type Scale, timeScale } from "./scale.ts";

/** One point of a line: seconds since the run's start and the value there (NaN = no data, a gap). */
export interface ChartPoint {
  t: number;
  v: number;
}

/** One drawn line. `key` groups lines of one policy so its legend entry toggles them all. */
export interface ChartLine {
  key: string;
  label: string;
  colour: string;
  points: ChartPoint[];
  /** `step` holds each value until the next point (task counts); `line` joins points directly. */
  shape: "line" | "step";
  dashed?: boolean;
  /** Shade the area under the line (arrivals). */
  fill?: boolean;
  /** A light band up to these values behind the line (the maximum within each downsampled bucket). */
  band?: ChartPoint[];
}

/** A horizontal line at a fixed value, labelled on the plot (the target wait). */
export interface ReferenceLine {
  value: number;
  label: string;
  colour: string;
}

/** Everything one chart needs; `id` must be unique in the page (it names the clip path). */
export interface ChartSpec {
  id: string;
  title: string;
  /** Y axis title with its unit, e.g. "messages waiting". */
  yLabel: string;
  /** Unit appended to values in the hover read-out, e.g. "messages". */
  unit: string;
  startMs: number;
  durationSeconds: number;
  lines: ChartLine[];
  references?: ReferenceLine[];
  yScale?: { kind: "linear" } | { kind: "log"; floor: number };
}

/** The chart's drawing area inside a fixed viewBox; the SVG scales to the page width. */
export const chartGeometry = {
  width: 1160,
  height: 300,
  left: 68,
  right: 18,
  top: 14,
  bottom: 46,
} as const;

const plotLeft = chartGeometry.left;
const plotRight = chartGeometry.width - chartGeometry.right;
const plotTop = chartGeometry.top;
const plotBottom = chartGeometry.height - chartGeometry.bottom;

/** Rounds a pixel coordinate to 0.1 px: invisible on screen, a third of the bytes of full precision. */
function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The y scale the spec asks for, covering every line, band and reference value. */
export function yScaleOf(spec: ChartSpec): Scale {
  let max = 0;
  for (const line of spec.lines) {
    for (const p of line.points) if (Number.isFinite(p.v) && p.v > max) max = p.v;
    for (const p of line.band ?? []) if (Number.isFinite(p.v) && p.v > max) max = p.v;
  }
  for (const r of spec.references ?? []) if (Number.isFinite(r.value) && r.value > max) max = r.value;
  if (spec.yScale?.kind === "log") return logScale(max, spec.yScale.floor, plotBottom, plotTop);
  // A little headroom so the highest line does not run along the frame.
  return linearScale(max * 1.04, plotBottom, plotTop);
}

/** SVG path data for a line; a non-finite value breaks the path (a gap, not a drop to zero). */
export function pathData(
  points: readonly ChartPoint[],
  x: (t: number) => number,
  y: (v: number) => number,
  shape: "line" | "step",
  endT: number,
): string {
  let d = "";
  let open = false;
  for (const p of points) {
    if (!Number.isFinite(p.v)) {
      if (open && shape === "step") d += `H${px(x(p.t))}`;
      open = false;
      continue;
    }
    const px_ = px(x(p.t));
    const py = px(y(p.v));
    if (!open) d += `M${px_} ${py}`;
    else if (shape === "step") d += `H${px_}V${py}`;
    else d += `L${px_} ${py}`;
    open = true;
  }
  // A step line holds its last value to the end of the run.
  if (open && shape === "step") d += `H${px(x(endT))}`;
  return d;
}

function areaData(
  points: readonly ChartPoint[],
  x: (t: number) => number,
  y: (v: number) => number,
  endT: number,
) {
  const finite = points.filter((p) => Number.isFinite(p.v));
  if (finite.length === 0) return "";
  const top = pathData(finite, x, y, "step", endT);
  return `${top}V${px(plotBottom)}H${px(x(finite[0]!.t))}Z`;
}

/** Renders the chart as an inline `<svg>` element. */
export function renderChartSvg(spec: ChartSpec): string {
  const x = timeScale(spec.startMs, spec.durationSeconds, plotLeft, plotRight);
  const y = yScaleOf(spec);
  const end = x.domain[1];
  const clipId = `${spec.id}-clip`;
  const out: string[] = [];
  out.push(
    `<svg class="chart" id="${escapeHtml(spec.id)}" viewBox="0 0 ${chartGeometry.width} ${chartGeometry.height}" ` +
      `role="img" aria-label="${escapeHtml(spec.title)}" preserveAspectRatio="xMidYMid meet">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    `<defs><clipPath id="${escapeHtml(clipId)}"><rect x="${plotLeft}" y="${plotTop - 1}" width="${plotRight - plotLeft}" height="${plotBottom - plotTop + 2}"/></clipPath></defs>`,
  );
  out.push(`<g class="grid">`);
  for (const t of y.ticks)
    out.push(`<line x1="${plotLeft}" x2="${plotRight}" y1="${px(y(t.value))}" y2="${px(y(t.value))}"/>`);
  for (const t of x.ticks)
    out.push(
      `<line class="v" x1="${px(x(t.value))}" x2="${px(x(t.value))}" y1="${plotTop}" y2="${plotBottom}"/>`,
    );
  out.push(`</g>`);
  out.push(`<g class="series" clip-path="url(#${escapeHtml(clipId)})">`);
  // Drawn in reverse so the first line (ecs-autoscaler, the one to look at) ends up on top.
  for (const line of [...spec.lines].reverse()) {
    const attrs = `data-series="${escapeHtml(line.key)}"`;
    if (line.band && line.band.length > 0) {
      // Filled lightly, with its edge stroked: a one-bucket spike is under a pixel wide and a fill alone vanishes.
      out.push(
        `<path class="band" ${attrs} fill="${line.colour}" stroke="${line.colour}" d="${areaData(line.band, x, y, end)}"/>`,
      );
    }
    if (line.fill)
      out.push(`<path class="area" ${attrs} fill="${line.colour}" d="${areaData(line.points, x, y, end)}"/>`);
    const d = pathData(line.points, x, y, line.shape, end);
    const dash = line.dashed ? ` stroke-dasharray="7 4"` : "";
    out.push(
      `<path class="line" ${attrs} stroke="${line.colour}"${dash} d="${d}"><title>${escapeHtml(line.label)}</title></path>`,
    );
  }
  for (const ref of spec.references ?? []) {
    const ry = px(y(ref.value));
    out.push(
      `<line class="reference" x1="${plotLeft}" x2="${plotRight}" y1="${ry}" y2="${ry}" stroke="${ref.colour}"/>`,
      `<text class="reference-label" x="${plotRight - 6}" y="${px(y(ref.value) - 6)}" text-anchor="end" fill="${ref.colour}">${escapeHtml(ref.label)}</text>`,
    );
  }
  out.push(`</g>`);
  out.push(`<g class="axis">`);
  out.push(`<line x1="${plotLeft}" x2="${plotRight}" y1="${plotBottom}" y2="${plotBottom}"/>`);
  out.push(`<line x1="${plotLeft}" x2="${plotLeft}" y1="${plotTop}" y2="${plotBottom}"/>`);
  for (const t of y.ticks) {
    out.push(
      `<text x="${plotLeft - 8}" y="${px(y(t.value) + 4)}" text-anchor="end">${escapeHtml(t.label)}</text>`,
    );
  }
  for (const t of x.ticks) {
    out.push(
      `<text x="${px(x(t.value))}" y="${plotBottom + 18}" text-anchor="middle">${escapeHtml(t.label)}</text>`,
    );
  }
  const midY = (plotTop + plotBottom) / 2;
  out.push(
    `<text class="axis-title" x="16" y="${px(midY)}" text-anchor="middle" transform="rotate(-90 16 ${px(midY)})">${escapeHtml(spec.yLabel)}</text>`,
    `<text class="axis-title" x="${px((plotLeft + plotRight) / 2)}" y="${chartGeometry.height - 6}" text-anchor="middle">${escapeHtml(timeAxisTitle(spec.startMs))}</text>`,
  );
  out.push(`</g>`);
  out.push(`<line class="cursor" x1="0" x2="0" y1="${plotTop}" y2="${plotBottom}" visibility="hidden"/>`);
  out.push(`</svg>`);
  return out.join("");
}

/** The x axis title: clock time in UTC when the run has a start time, elapsed time otherwise. */
export function timeAxisTitle(startMs: number): string {
  return Number.isFinite(startMs) ? "time (UTC)" : "time since start";
}

/** What the hover script needs for one chart: geometry and the drawn points, in plain JSON. */
export interface ChartHoverData {
  unit: string;
  startMs: number | null;
  durationSeconds: number;
  plot: { left: number; right: number; top: number; bottom: number; width: number; height: number };
  lines: { key: string; label: string; colour: string; t: number[]; v: (number | null)[] }[];
}

/** The hover data for `spec` (NaN becomes null, since JSON has no NaN). */
export function chartHoverData(spec: ChartSpec): ChartHoverData {
  return {
    unit: spec.unit,
    startMs: Number.isFinite(spec.startMs) ? spec.startMs : null,
    durationSeconds: timeScale(spec.startMs, spec.durationSeconds, plotLeft, plotRight).domain[1],
    plot: {
      left: plotLeft,
      right: plotRight,
      top: plotTop,
      bottom: plotBottom,
      width: chartGeometry.width,
      height: chartGeometry.height,
    },
    lines: spec.lines.map((l) => ({
      key: l.key,
      label: l.label,
      colour: l.colour,
      t: l.points.map((p) => p.t),
      v: l.points.map((p) => (Number.isFinite(p.v) ? Math.round(p.v * 1000) / 1000 : null)),
    })),
  };
}
