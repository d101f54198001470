/**
 * The uPlot settings every chart of the page shares: legible fonts (canvas text does not follow the
 * page's CSS, so its size is set here), the time axis in UTC, and the value formats.
 */
import uPlot from "uplot";
import type { ReportData } from "../data.ts";

import { axisFontPx, labelFontPx } from "./fonts.ts";

export { axisFontPx, labelFontPx };

const family = `system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif`;
export const axisFont = `${axisFontPx}px ${family}`;
export const labelFont = `600 ${labelFontPx}px ${family}`;

const ink = "#4a5262";
const grid = { stroke: "#eceef2", width: 1 };
const ticks = { stroke: "#c9ced6", width: 1 };

/** A number with at most `digits` decimals, thousands grouped. */
export function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(v);
}

/** A duration in seconds as `45 s`, `12.5 min`, `3.2 h`. */
export function duration(seconds: number): string {
  const a = Math.abs(seconds);
  if (a < 120) return `${num(seconds, 1)} s`;
  if (a < 7200) return `${num(seconds / 60, 1)} min`;
  return `${num(seconds / 3600, 1)} h`;
}

/** The x axis and scale for time charts: UTC clock times, or elapsed time when the run has no start date. */
export function timeX(data: ReportData): {
  x: number[];
  scale: uPlot.Scale;
  axis: uPlot.Axis;
  series: uPlot.Series;
} {
  const start = data.startEpochSeconds;
  if (start === null) {
    return {
      x: data.time,
      scale: { time: false },
      axis: axis("elapsed time", { values: (_u, splits) => splits.map(duration) }),
      series: { label: "elapsed", value: (_u, v) => (v === null ? "—" : duration(v)) },
    };
  }
  const clock = uPlot.fmtDate("{HH}:{mm}");
  const day = uPlot.fmtDate("{YYYY}-{MM}-{DD}");
  const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
  return {
    x: data.time.map((t) => start + t),
    scale: { time: true },
    // 24-hour UTC clock times; the date under the first tick and under each midnight.
    axis: axis("time (UTC)", {
      space: 70,
      values: (_u, splits) =>
        splits.map((ts, i) => {
          const d = utc(ts);
          const newDay = i === 0 || day(utc(splits[i - 1]!)) !== day(d);
          return newDay ? `${clock(d)}\n${day(d)}` : clock(d);
        }),
    }),
    series: { label: "UTC", value: "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" },
  };
}

/** An axis with the page's fonts and colours; `extra` overrides (side, values, size, …). */
export function axis(label: string, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    label,
    font: axisFont,
    labelFont,
    labelSize: labelFontPx + 8,
    stroke: ink,
    grid,
    ticks,
    ...extra,
  };
}

/** Options common to every chart: size, UTC dates, no y padding below zero. */
export function baseOptions(
  width: number,
  height: number,
): Pick<uPlot.Options, "width" | "height" | "tzDate"> {
  return { width, height, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") };
}

/** A y range from 0 to a little above the largest visible value and every `include` value. */
export function zeroBased(...include: number[]): uPlot.Range.Function {
  return (_u, _min, max) => {
    const top = Math.max(Number.isFinite(max) ? max : 0, ...include, 1);
    return uPlot.rangeNum(0, top, 0.1, true);
  };
}

/** A horizontal or vertical reference line with a label, drawn over the plot. */
export interface Reference {
  axis: "x" | "y";
  value: number;
  label: string;
  colour: string;
}

/** A plugin drawing dashed reference lines (the target wait, the goal share, the lower bound). */
export function referenceLines(lines: readonly Reference[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          const px = uPlot.pxRatio;
          ctx.save();
          ctx.font = `600 ${Math.round(labelFontPx * px)}px ${family}`;
          ctx.setLineDash([5 * px, 4 * px]);
          ctx.lineWidth = 1.8 * px;
          for (const line of lines) {
            const pos = u.valToPos(line.value, line.axis === "x" ? "x" : "y", true);
            if (!Number.isFinite(pos)) continue;
            ctx.strokeStyle = line.colour;
            ctx.fillStyle = line.colour;
            ctx.beginPath();
            if (line.axis === "y") {
              if (pos < top || pos > top + height) continue;
              ctx.moveTo(left, pos);
              ctx.lineTo(left + width, pos);
              ctx.stroke();
              ctx.textAlign = "right";
              ctx.fillText(line.label, left + width - 4 * px, pos - 5 * px);
            } else {
              if (pos < left || pos > left + width) continue;
              ctx.moveTo(pos, top);
              ctx.lineTo(pos, top + height);
              ctx.stroke();
              ctx.textAlign = pos > left + width / 2 ? "right" : "left";
              // At the bottom: the top of a plot is where points and the other lines crowd.
              ctx.fillText(line.label, pos + (pos > left + width / 2 ? -5 : 5) * px, top + height - 8 * px);
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}
