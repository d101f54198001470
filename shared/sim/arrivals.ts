/**
 * From a trace or scenario to the arrivals every policy sees: slice (`--start`, `--duration`), rescale
 * (`--scale`), then draw each message's arrival time and service time from seeded streams. Done once per
 * run, before any policy: the number and times of arrivals cannot depend on the policy.
 */
import { drawServiceTime, type ServiceTimeModel } from "./distributions.ts";
import { formatCount, formatNumber, LimitError, maxDurationSeconds, maxMessages } from "./limits.ts";
import { Rng } from "./rng.ts";
import type { Trace } from "./trace/formats.ts";
import { formatDuration, parseDuration, parseTimestamp, timestampHint } from "./trace/time.ts";

/** What arrives when, before randomness: counts per interval and/or exact request times (offsets in s). */
export interface ArrivalPlan {
  name: string;
  startMs: number;
  durationSeconds: number;
  intervals: { start: Float64Array; length: Float64Array; count: Float64Array };
  /** Counts are expectations of a Poisson process (scenarios) rather than observed counts (traces). */
  poisson: boolean;
  arrivals?: Float64Array;
  work?: Float64Array;
  /** What the trace parser warned about (e.g. unusually long gaps between rows); none for scenarios. */
  warnings?: string[];
}

/** The arrivals of one run: identical for every policy. */
export interface Workload {
  name: string;
  startMs: number;
  durationSeconds: number;
  /** Arrival offsets (s), sorted. */
  arrivalTimes: Float64Array;
  /** Service time (s) of each message, same order. */
  serviceTimes: Float64Array;
  /** Σ service times: no policy can use fewer task-seconds (per message slot). */
  totalServiceSeconds: number;
}

export interface SliceOptions {
  /** Absolute time (trace formats, see time.ts) or an offset from the trace start such as `2h`. */
  start?: string;
  /** `6h`, `90m`, `3600`… Default: to the end of the trace. */
  duration?: string;
  /** Multiplies the number of arrivals. Default 1. */
  scale?: number;
  /** The `--scale` the user gave, when `scale` also folds in a scenario's own factor (for messages only). */
  userScale?: number;
}

/** A bad slice option; the message says which option and why. */
export class SliceError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = "SliceError";
  }
}

/**
 * Cuts `[start, start + duration)` out of a trace and scales it. Refuses ({@link LimitError}) a slice
 * longer than {@link maxDurationSeconds} or holding more than {@link maxMessages} messages, before any
 * per-message array exists; warns when `--duration` runs past the end of the trace.
 */
export function sliceTrace(trace: Trace, name: string, options: SliceOptions = {}): ArrivalPlan {
  const scale = options.scale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale))
    throw new SliceError("--scale", `expected a number ≥ 0, got ${scale}`);
  const from = options.start === undefined ? 0 : resolveStart(trace, options.start);
  const warnings = [...trace.warnings];
  let duration = trace.durationSeconds - from;
  if (options.duration !== undefined) {
    const d = parseDuration(options.duration);
    if (d === undefined || d <= 0)
      throw new SliceError(
        "--duration",
        `expected a duration such as 6h, 90m, 1h30m or 3600, got "${options.duration}"`,
      );
    if (from + d > trace.durationSeconds + 1e-9) warnings.push(pastTheEnd(trace, options, from));
    duration = d;
  }
  if (from + duration > trace.durationSeconds + 1e-9) {
    duration = trace.durationSeconds - from;
  }
  checkDuration(name, options, duration);
  const to = from + duration;
  const start: number[] = [];
  const length: number[] = [];
  const count: number[] = [];
  const { intervals } = trace;
  for (let i = 0; i < intervals.start.length; i++) {
    const s = intervals.start[i]!;
    const e = s + intervals.length[i]!;
    if (e <= from || s >= to) continue;
    const cs = Math.max(s, from);
    const ce = Math.min(e, to);
    // A partly covered interval keeps its share of the count.
    start.push(cs - from);
    length.push(ce - cs);
    count.push((intervals.count[i]! * scale * (ce - cs)) / (e - s));
  }
  checkMessages(name, options, messagesIn(trace, count, from, to, scale));
  const plan: ArrivalPlan = {
    name,
    startMs: trace.startMs + from * 1000,
    durationSeconds: duration,
    intervals: {
      start: Float64Array.from(start),
      length: Float64Array.from(length),
      count: Float64Array.from(count),
    },
    poisson: false,
    warnings,
  };
  if (trace.arrivals) {
    const scaled = scaleRequests(trace.arrivals, trace.work, from, to, scale);
    plan.arrivals = scaled.arrivals;
    if (scaled.work) plan.work = scaled.work;
  }
  return plan;
}

function pastTheEnd(trace: Trace, options: SliceOptions, from: number): string {
  const left = formatDuration(trace.durationSeconds - from);
  const after = options.start === undefined ? "from its start" : `after --start "${options.start}"`;
  return `--duration ${options.duration}: the trace holds only ${left} ${after}; simulating those ${left}`;
}

/** The messages the slice will produce (expected, before rounding): per-interval counts or kept requests. */
function messagesIn(trace: Trace, counts: number[], from: number, to: number, scale: number): number {
  if (trace.arrivals) {
    let kept = 0;
    for (const t of trace.arrivals) if (t >= from && t < to) kept++;
    return kept * scale;
  }
  let total = 0;
  for (const c of counts) total += c;
  return total;
}

function checkMessages(name: string, options: SliceOptions, messages: number): void {
  if (messages <= maxMessages) return;
  const shown = options.userScale ?? options.scale;
  const fit = ((shown ?? 1) * maxMessages) / messages;
  const cause = shown === undefined ? name : `--scale ${formatNumber(shown)}`;
  throw new LimitError(
    `${cause}: the run would simulate ${formatCount(messages)} messages; the limit is ${formatCount(maxMessages)}: use --scale ${formatNumber(significant(fit))} or less, or a shorter --duration`,
  );
}

function checkDuration(name: string, options: SliceOptions, duration: number): void {
  if (duration <= maxDurationSeconds) return;
  const cause =
    options.duration === undefined
      ? `${name} spans ${formatDuration(duration)}`
      : `--duration ${options.duration}`;
  throw new LimitError(
    `${cause}: longer than the ${formatDuration(maxDurationSeconds)} one run may simulate: choose a slice with --start and --duration`,
  );
}

/** Two significant digits, rounded down so the suggestion really fits. */
function significant(x: number): number {
  const digits = Math.floor(Math.log10(x)) - 1;
  const step = 10 ** digits;
  return Number((Math.floor(x / step) * step).toPrecision(2));
}

function resolveStart(trace: Trace, text: string): number {
  const at = parseTimestamp(text);
  const plainNumber = /^\d+(\.\d+)?$/.test(text.trim());
  if (at !== undefined && !plainNumber && !trace.hasAbsoluteTime) {
    throw new SliceError(
      "--start",
      `"${text}" is a time, but the trace records only offsets from its start: give an offset such as 2h or 1h30m`,
    );
  }
  // A plain number is epoch seconds in a trace with absolute times, an offset in seconds otherwise.
  const offset =
    at !== undefined && (trace.hasAbsoluteTime || !plainNumber)
      ? (at - trace.startMs) / 1000
      : parseDuration(text);
  if (offset === undefined) {
    throw new SliceError(
      "--start",
      `expected a time (e.g. 1998-06-30 00:00:00 or 1998-06-30) or an offset from the trace start (e.g. 2h or 1h30m), got "${text}"${timestampHint(text)}`,
    );
  }
  if (offset < 0 || offset >= trace.durationSeconds) {
    const first = trace.hasAbsoluteTime ? new Date(trace.startMs).toISOString() : "offset 0";
    const last = trace.hasAbsoluteTime
      ? new Date(trace.startMs + trace.durationSeconds * 1000).toISOString()
      : `offset ${trace.durationSeconds} s`;
    throw new SliceError("--start", `"${text}" is outside the trace (${first} to ${last})`);
  }
  return offset;
}

/** Keeps requests in [from, to) as offsets from `from`; scale F keeps floor(F) copies plus one with probability frac(F). */
function scaleRequests(
  arrivals: Float64Array,
  work: Float64Array | undefined,
  from: number,
  to: number,
  scale: number,
) {
  const rng = new Rng(0x5ca1e, "request-scale");
  const times: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < arrivals.length; i++) {
    const t = arrivals[i]!;
    if (t < from || t >= to) continue;
    const copies = rng.stochasticRound(scale);
    for (let c = 0; c < copies; c++) {
      times.push(t - from);
      if (work) sizes.push(work[i]!);
    }
  }
  return { arrivals: Float64Array.from(times), work: work ? Float64Array.from(sizes) : undefined };
}

export interface WorkloadOptions {
  service: ServiceTimeModel;
  seed: number;
  /** Per-request traces with a work column: service time proportional to work, scaled to the mean. */
  serviceFromWork?: boolean;
}

/** Draws the arrivals and service times of a plan (seeded; independent of any policy). */
export function generateWorkload(plan: ArrivalPlan, options: WorkloadOptions): Workload {
  const arrivalRng = new Rng(options.seed, "arrivals");
  const serviceRng = new Rng(options.seed, "service-times");
  const arrivalTimes = plan.arrivals ? plan.arrivals.slice() : spreadCounts(plan, arrivalRng);
  const n = arrivalTimes.length;
  const serviceTimes = new Float64Array(n);
  if (options.serviceFromWork && plan.work && plan.work.length === n && n > 0) {
    let totalWork = 0;
    for (let i = 0; i < n; i++) totalWork += plan.work[i]!;
    const perUnit = totalWork > 0 ? (options.service.meanSeconds * n) / totalWork : 0;
    for (let i = 0; i < n; i++) serviceTimes[i] = Math.max(0.001, plan.work[i]! * perUnit);
  } else {
    for (let i = 0; i < n; i++) serviceTimes[i] = drawServiceTime(options.service, serviceRng);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += serviceTimes[i]!;
  return {
    name: plan.name,
    startMs: plan.startMs,
    durationSeconds: plan.durationSeconds,
    arrivalTimes,
    serviceTimes,
    totalServiceSeconds: total,
  };
}

/** Spreads each interval's count uniformly at random within it (a Poisson process given the count). */
function spreadCounts(plan: ArrivalPlan, rng: Rng): Float64Array {
  const { start, length, count } = plan.intervals;
  const m = start.length;
  const n = new Int32Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    n[i] = plan.poisson ? rng.poisson(count[i]!) : rng.stochasticRound(count[i]!);
    total += n[i]!;
  }
  const times = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const from = k;
    for (let j = 0; j < n[i]!; j++) times[k++] = start[i]! + rng.float() * length[i]!;
    times.subarray(from, k).sort();
  }
  return times;
}

/** Per-minute arrival counts of a workload (for sizing the static baseline and finding the first burst). */
export function arrivalsPerMinute(workload: Workload): Float64Array {
  const minutes = Math.max(1, Math.ceil(workload.durationSeconds / 60));
  const out = new Float64Array(minutes);
  for (const t of workload.arrivalTimes) out[Math.min(minutes - 1, Math.floor(t / 60))]!++;
  return out;
}
