/**
 * Trace file formats. Each parser turns text into a {@link Trace}: message counts per interval, or
 * individual arrival times. Malformed input throws {@link TraceError} naming the file and line.
 *
 * CSV files are read with csv-parse: fields may be quoted (`"2026-03-02 10:00","5"`), spaces around a
 * field are dropped, a byte-order mark and blank lines are skipped.
 *
 * Formats (see data/traces/README.md for the files that use them):
 *  - `time-count-csv`: a header, then `time,count` rows (World Cup 98, NASA). A header of three or more
 *    columns is this format only when its second column is named as a count (`count`, `requests`,
 *    `messages`, `invocations`, `calls`, `arrivals`, `events`, `hits`, `n`, `total`, `value`, also inside
 *    a longer name such as `request_count`): the further columns are ignored, with a warning.
 *  - `per-request-csv`: a header of three or more columns whose first is named as a time (`TIMESTAMP`) and
 *    whose second is not named as a count; one row per request, further numeric columns (the last is kept
 *    as the request's work size) — the Azure LLM inference trace. Any other header of three or more
 *    columns is refused rather than guessed at.
 *  - `function-matrix-csv`: `HashFunction,Trigger,1,…,N` — per-minute invocations of many functions
 *    (Azure Functions 2019); the rows are summed, optionally only those of one trigger type.
 *  - `rate-per-minute`: a first line naming the series (a hash), then one rate per line in calls per
 *    second averaged over a minute (Alibaba microservices 2021): count = rate × 60.
 *  - `per-second-counts`: whitespace-separated integers, one per second, no header (the Twitter and NASA
 *    per-second workload.txt files).
 */
import { forEachCsvRow, quote } from "./csv.ts";
import { TraceError } from "./errors.ts";
import { parseTimestamp, timestampHint } from "./time.ts";

export { TraceError };

export const traceFormats = [
  "time-count-csv",
  "per-request-csv",
  "function-matrix-csv",
  "rate-per-minute",
  "per-second-counts",
] as const;
export type TraceFormat = (typeof traceFormats)[number];

/** Arrivals read from a file, before slicing and scaling. Offsets are seconds after `startMs`. */
export interface Trace {
  source: string;
  format: TraceFormat;
  /** Epoch ms of the first row; 0 when the file records no absolute time (`hasAbsoluteTime` false). */
  startMs: number;
  hasAbsoluteTime: boolean;
  /** Seconds from `startMs` to the end of the last interval (or just after the last request). */
  durationSeconds: number;
  /** Interval starts (s), lengths (s) and message counts; empty for per-request traces. */
  intervals: { start: Float64Array; length: Float64Array; count: Float64Array };
  /** Per-request traces: each request's arrival offset (s), sorted. */
  arrivals?: Float64Array;
  /** Per-request traces: each request's work size (the last numeric column), when there is one. */
  work?: Float64Array;
  /** Things in the file a reader should know about, each naming the line (e.g. unusually long gaps). */
  warnings: string[];
}

export interface ParseOptions {
  /** function-matrix-csv: keep only rows whose Trigger column equals this (e.g. "queue"). */
  trigger?: string;
}

/** Recognises the format from the content (header and first data line). */
export function detectFormat(text: string, source: string): TraceFormat {
  const lines = firstLines(text, 2);
  const first = lines[0];
  if (first === undefined) throw new TraceError(source, undefined, "the file is empty");
  if (/^\s*"?HashFunction"?\s*,\s*"?Trigger"?\s*,/i.test(first)) return "function-matrix-csv";
  if (/^[0-9a-f]{16,}$/i.test(first.trim()) && lines[1] !== undefined && isNumber(lines[1].trim()))
    return "rate-per-minute";
  // Per-second files can be one multi-megabyte line: look at a prefix cut at a space.
  const prefix = first.length > 2000 ? first.slice(0, first.lastIndexOf(" ", 2000)) : first;
  if (/^\s*\d+(\s+\d+)*\s*$/.test(prefix)) return "per-second-counts";
  const columns = headerColumns(first, source);
  if (columns.length === 2) return "time-count-csv";
  if (columns.length >= 3) {
    if (isCountName(columns[1]!)) return "time-count-csv";
    if (/time/i.test(columns[0]!)) return "per-request-csv";
    throw new TraceError(
      source,
      1,
      `the header ${quote(columns.join(","))} has ${columns.length} columns: expected time,count (further columns are ignored when the second is named as a count, e.g. "count" or "requests") or one row per request (a first column named like "timestamp", then numbers); rename the header to say which`,
    );
  }
  throw new TraceError(
    source,
    1,
    `unrecognised trace format: expected a CSV header such as "time,count", "HashFunction,Trigger,1,…", a series name then one rate per line, or whitespace-separated per-second counts; got ${quote(first)}`,
  );
}

/** A column name that says the column counts messages (see the format list above). */
function isCountName(name: string): boolean {
  return /(^|[^a-z])(counts?|requests?|messages?|msgs?|invocations?|calls?|arrivals?|events?|hits?|n|total|value)([^a-z]|$)/i.test(
    name,
  );
}

function headerColumns(line: string, source: string): string[] {
  let columns: string[] = [];
  forEachCsvRow(line, source, (cells, _, first) => {
    if (first) columns = cells;
  });
  return columns.filter((c, i, all) => c !== "" || i < all.length - 1);
}

/** Parses trace text in the given (or detected) format. */
export function parseTraceText(
  text: string,
  source: string,
  format?: TraceFormat,
  options: ParseOptions = {},
): Trace {
  const f = format ?? detectFormat(text, source);
  switch (f) {
    case "time-count-csv":
      return parseTimeCount(text, source);
    case "per-request-csv":
      return parsePerRequest(text, source);
    case "function-matrix-csv":
      return parseFunctionMatrix(text, source, options.trigger);
    case "rate-per-minute":
      return parseRatePerMinute(text, source);
    case "per-second-counts":
      return parsePerSecond(text, source);
  }
}

function parseTimeCount(text: string, source: string): Trace {
  const times: number[] = [];
  const counts: number[] = [];
  const lines: number[] = [];
  let header: string[] = [];
  forEachCsvRow(text, source, (cells, lineNo, first) => {
    if (first) {
      header = cells;
      return;
    }
    if (cells.length < 2)
      throw new TraceError(source, lineNo, `expected "time,count", got ${quote(cells.join(","))}`);
    const at = parseTimestamp(cells[0]!);
    if (at === undefined) {
      throw new TraceError(
        source,
        lineNo,
        `column 1 ${quote(cells[0]!)} is not a time (ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds)${timestampHint(cells[0]!)}`,
      );
    }
    const count = Number(cells[1]!);
    if (cells[1] === "" || !Number.isFinite(count) || count < 0) {
      throw new TraceError(
        source,
        lineNo,
        `column 2 ${quote(cells[1]!)} is not a message count (a number ≥ 0)`,
      );
    }
    const previous = times[times.length - 1];
    if (previous !== undefined && at <= previous) {
      throw new TraceError(
        source,
        lineNo,
        `time ${quote(cells[0]!, false)} is not after the previous row's; rows must be in increasing time order`,
      );
    }
    times.push(at);
    counts.push(count);
    lines.push(lineNo);
  });
  if (times.length === 0) throw new TraceError(source, undefined, "no data rows after the header");
  // The interval is the gap between consecutive rows, so a row's messages are spread over the
  // whole gap to the next one. A gap much longer than the file's usual one may be rows left out (World
  // Cup 98 omits its zero minutes; NASA's logs have a three-day hole): warn, naming the line, rather than
  // guess. The last row has no next one: it gets the usual gap.
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const usual = gaps.length > 0 ? median(gaps) : 60_000;
  const startMs = times[0]!;
  const n = times.length;
  const start = new Float64Array(n);
  const length = new Float64Array(n);
  const count = new Float64Array(counts);
  const long: string[] = [];
  for (let i = 0; i < n; i++) {
    start[i] = (times[i]! - startMs) / 1000;
    length[i] = (i + 1 < n ? times[i + 1]! - times[i]! : usual) / 1000;
    if (i + 1 < n && length[i]! * 1000 >= longGapFactor * usual) {
      long.push(
        `${source}:${lines[i]}: the gap to the next row is ${length[i]} s, ${trimRatio((length[i]! * 1000) / usual)}× the file's usual ${usual / 1000} s; this row's ${counts[i]} messages are spread over all of it (the interval is the gap between rows). If the file leaves out rows of zero traffic, add them.`,
      );
    }
  }
  const warnings = [...extraColumnsWarning(header, source), ...long.slice(0, maxGapWarnings)];
  if (long.length > maxGapWarnings) {
    warnings.push(
      `${source}: ${long.length - maxGapWarnings} more gaps at least ${longGapFactor}× the usual one`,
    );
  }
  return {
    source,
    format: "time-count-csv",
    startMs,
    hasAbsoluteTime: true,
    durationSeconds: start[n - 1]! + length[n - 1]!,
    intervals: { start, length, count },
    warnings,
  };
}

/** Columns after time,count are not used: say so, rather than let the user think they were. */
function extraColumnsWarning(header: string[], source: string): string[] {
  if (header.length <= 2) return [];
  const extra = header.slice(2).map((c) => quote(c));
  return [
    `${source}:1: read as time,count (columns ${quote(header[0]!)} and ${quote(header[1]!)}); the other ${extra.length === 1 ? "column" : "columns"} ${extra.join(", ")} ${extra.length === 1 ? "is" : "are"} ignored`,
  ];
}

/** A gap at least this many times the file's median is worth a warning. */
const longGapFactor = 2;
/** Gap warnings listed one by one; the rest are counted. */
const maxGapWarnings = 5;

function trimRatio(r: number): string {
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

function parsePerRequest(text: string, source: string): Trace {
  const times: number[] = [];
  const work: number[] = [];
  let hasWork = false;
  forEachCsvRow(text, source, (cells, lineNo, first) => {
    if (first) return;
    const at = parseTimestamp(cells[0]!);
    if (at === undefined)
      throw new TraceError(
        source,
        lineNo,
        `column 1 ${quote(cells[0]!)} is not a time${timestampHint(cells[0]!)}`,
      );
    const previous = times[times.length - 1];
    if (previous !== undefined && at < previous) {
      throw new TraceError(
        source,
        lineNo,
        `time ${quote(cells[0]!, false)} is before the previous row's; rows must be sorted by time`,
      );
    }
    if (cells.length > 1) {
      const last = cells[cells.length - 1]!;
      const size = Number(last);
      if (last === "" || !Number.isFinite(size) || size < 0) {
        throw new TraceError(
          source,
          lineNo,
          `column ${cells.length} ${quote(last)} is not a work size (a number ≥ 0)`,
        );
      }
      work.push(size);
      hasWork = true;
    }
    times.push(at);
  });
  if (times.length === 0) throw new TraceError(source, undefined, "no data rows after the header");
  // Per-request traces start at the first whole second, so slices can be named by time.
  const startMs = Math.floor(times[0]! / 1000) * 1000;
  const arrivals = Float64Array.from(times, (t) => (t - startMs) / 1000);
  const empty = new Float64Array(0);
  return {
    source,
    format: "per-request-csv",
    startMs,
    hasAbsoluteTime: true,
    durationSeconds: Math.floor(arrivals[arrivals.length - 1]!) + 1,
    intervals: { start: empty, length: empty, count: empty },
    arrivals,
    ...(hasWork && work.length === times.length ? { work: Float64Array.from(work) } : {}),
    warnings: [],
  };
}

function parseFunctionMatrix(text: string, source: string, trigger: string | undefined): Trace {
  let header: string[] = [];
  let minutes = 0;
  let sums = new Float64Array(0);
  let kept = 0;
  forEachCsvRow(text, source, (cells, lineNo, first) => {
    if (first) {
      header = cells;
      minutes = header.length - 2;
      if (minutes < 1)
        throw new TraceError(source, lineNo, "expected per-minute columns after HashFunction,Trigger");
      header.slice(2).forEach((name, i) => {
        if (Number(name) !== i + 1)
          throw new TraceError(source, lineNo, `column ${i + 3} is ${quote(name)}, expected minute ${i + 1}`);
      });
      sums = new Float64Array(minutes);
      return;
    }
    if (cells.length !== header.length) {
      throw new TraceError(
        source,
        lineNo,
        `expected ${header.length} columns like the header, got ${cells.length}`,
      );
    }
    if (trigger !== undefined && cells[1] !== trigger) return;
    kept++;
    for (let m = 0; m < minutes; m++) {
      const cell = cells[m + 2]!;
      const v = Number(cell);
      if (cell === "" || !Number.isFinite(v) || v < 0) {
        throw new TraceError(
          source,
          lineNo,
          `column ${m + 3} (minute ${m + 1}) ${quote(cell)} is not an invocation count`,
        );
      }
      sums[m]! += v;
    }
  });
  if (kept === 0) {
    throw new TraceError(
      source,
      undefined,
      trigger ? `no rows with Trigger "${trigger}"` : "no data rows after the header",
    );
  }
  return perMinute(source, "function-matrix-csv", sums);
}

function parseRatePerMinute(text: string, source: string): Trace {
  const counts: number[] = [];
  forEachDataLine(text, (line, lineNo) => {
    const rate = Number(line.trim());
    if (!Number.isFinite(rate) || rate < 0) {
      throw new TraceError(
        source,
        lineNo,
        `${quote(line.trim())} is not a rate (calls per second, a number ≥ 0)`,
      );
    }
    counts.push(rate * 60);
  });
  if (counts.length === 0) throw new TraceError(source, undefined, "no rates after the first line");
  return perMinute(source, "rate-per-minute", Float64Array.from(counts));
}

function perMinute(source: string, format: TraceFormat, counts: Float64Array): Trace {
  const n = counts.length;
  return {
    source,
    format,
    startMs: 0,
    hasAbsoluteTime: false,
    durationSeconds: n * 60,
    intervals: {
      start: Float64Array.from({ length: n }, (_, i) => i * 60),
      length: new Float64Array(n).fill(60),
      count: counts,
    },
    warnings: [],
  };
}

function parsePerSecond(text: string, source: string): Trace {
  const counts: number[] = [];
  let lineNo = 1;
  let lineStart = 0;
  const pattern = /\S+|\n/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0] === "\n") {
      lineNo++;
      lineStart = m.index + 1;
      continue;
    }
    const v = Number(m[0]);
    if (!Number.isInteger(v) || v < 0) {
      throw new TraceError(
        source,
        lineNo,
        `${quote(m[0])} at column ${m.index - lineStart + 1} is not a per-second count (an integer ≥ 0)`,
      );
    }
    counts.push(v);
  }
  if (counts.length === 0) throw new TraceError(source, undefined, "no counts");
  const n = counts.length;
  return {
    source,
    format: "per-second-counts",
    startMs: 0,
    hasAbsoluteTime: false,
    durationSeconds: n,
    intervals: {
      start: Float64Array.from({ length: n }, (_, i) => i),
      length: new Float64Array(n).fill(1),
      count: Float64Array.from(counts),
    },
    warnings: [],
  };
}

/** Calls `visit` for each non-blank line after the first (the header), with its 1-based line number. */
function forEachDataLine(text: string, visit: (line: string, lineNo: number) => void): void {
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).replace(/\r$/, "");
    if (lineNo > 1 && line.trim() !== "") visit(line, lineNo);
    start = end + 1;
  }
}

function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/, 50)) {
    if (line.trim() === "") continue;
    out.push(line);
    if (out.length === n) break;
  }
  return out;
}

function isNumber(s: string): boolean {
  return s !== "" && Number.isFinite(Number(s));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
