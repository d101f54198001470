/**
 * Axis arithmetic for the charts: value → pixel scales and tick positions a reader can read
 * ("0, 50, 100", "12:00, 12:30"), never "0, 37.3, 74.6".
 */

/** A tick: where it sits in data units and what it says. */
export interface Tick {
  value: number;
  label: string;
}

/** Maps a data value to a pixel position; `ticks` are the axis labels for that range. */
export interface Scale {
  (value: number): number;
  ticks: Tick[];
  domain: [number, number];
}

/** The smallest "nice" step (1, 2 or 5 × 10^k) giving at most `maxTicks` intervals over `span`. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

/** Formats a tick value compactly: 1500 → "1.5k", 2000000 → "2M", 0.25 → "0.25". */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return String(Number.parseFloat(n.toFixed(3)));
}

/**
 * A linear scale from [0, max] (rounded up to a nice step) onto [pixelBottom, pixelTop]. Charts of
 * counts, waits and rates start at zero so heights compare honestly.
 */
export function linearScale(maxValue: number, pixelBottom: number, pixelTop: number, maxTicks = 5): Scale {
  const top = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
  const step = niceStep(top, maxTicks);
  const domainMax = Math.ceil(top / step - 1e-9) * step;
  const ticks: Tick[] = [];
  for (let v = 0; v <= domainMax + step / 2; v += step) {
    const value = Number.parseFloat(v.toPrecision(12));
    ticks.push({ value, label: compactNumber(value) });
  }
  const scale = ((value: number) => pixelBottom + ((pixelTop - pixelBottom) * value) / domainMax) as Scale;
  scale.ticks = ticks;
  scale.domain = [0, domainMax];
  return scale;
}

/**
 * A log10 scale over [floor, max] for values spanning orders of magnitude (a wait of 3 s next to one of
 * 3 hours). Values below `floor` (including zero) are drawn at the floor; the chart says so.
 */
export function logScale(maxValue: number, floor: number, pixelBottom: number, pixelTop: number): Scale {
  const lo = Math.log10(floor);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(maxValue, floor)) - 1e-9));
  const ticks: Tick[] = [];
  for (let e = Math.ceil(lo); e <= hi; e++) ticks.push({ value: 10 ** e, label: compactNumber(10 ** e) });
  const scale = ((value: number) => {
    const v = Math.log10(Math.max(floor, value));
    return pixelBottom + ((pixelTop - pixelBottom) * (v - lo)) / (hi - lo);
  }) as Scale;
  scale.ticks = ticks;
  scale.domain = [floor, 10 ** hi];
  return scale;
}

/** Candidate time-tick intervals, seconds; each divides a day so ticks align to UTC clock times. */
const timeSteps = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

/**
 * A time scale over [0, durationSeconds] (seconds since `startMs`) with ticks on round UTC clock times.
 * Labels are `HH:MM` (`HH:MM:SS` below a minute, `Mar 3` at midnight or for day steps). When the start
 * is unknown (`startMs` NaN) ticks are elapsed time from zero: `+1h30m`.
 */
export function timeScale(
  startMs: number,
  durationSeconds: number,
  pixelLeft: number,
  pixelRight: number,
  maxTicks = 10,
): Scale {
  const duration = Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : 1;
  let step = timeSteps.find((s) => duration / s <= maxTicks);
  if (step === undefined) step = Math.ceil(duration / maxTicks / 86_400) * 86_400;
  const known = Number.isFinite(startMs);
  const startSec = known ? startMs / 1000 : 0;
  const ticks: Tick[] = [];
  const first = Math.ceil(startSec / step - 1e-9) * step;
  for (let abs = first; abs <= startSec + duration + 1e-9; abs += step) {
    const offset = abs - startSec;
    ticks.push({ value: offset, label: known ? clockLabel(abs, step) : elapsedLabel(offset) });
  }
  const scale = ((value: number) => pixelLeft + ((pixelRight - pixelLeft) * value) / duration) as Scale;
  scale.ticks = ticks;
  scale.domain = [0, duration];
  return scale;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function clockLabel(epochSeconds: number, step: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  const atMidnight = iso.slice(11, 19) === "00:00:00";
  if (step >= 86_400 || (atMidnight && step >= 60)) {
    return `${months[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
  }
  return step < 60 ? iso.slice(11, 19) : iso.slice(11, 16);
}

function elapsedLabel(offsetSeconds: number): string {
  const s = Math.round(offsetSeconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", sec ? `${sec}s` : ""].join("");
  return `+${parts || "0"}`;
}
