/**
 * Trace forms users have (quoted CSV, gzip, tar.gz, extra columns), how a three-column header is read,
 * compound durations and date-only times, and the run limits checked while slicing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createTar } from "nanotar";
import { describe, expect, it } from "vitest";
import { SliceError, sliceTrace } from "../../shared/sim/arrivals.ts";
import { LimitError } from "../../shared/sim/limits.ts";
import { detectFormat, parseTraceText, TraceError } from "../../shared/sim/trace/formats.ts";
import { readTrace } from "../../shared/sim/trace/read.ts";
import { parseDuration, parseTimestamp } from "../../shared/sim/trace/time.ts";

const total = (counts: Float64Array) => counts.reduce((a, b) => a + b, 0);

describe("which format a header names", () => {
  it.each([
    ["time,count", "time-count-csv"],
    ["period,count", "time-count-csv"],
    ["time,count,extra", "time-count-csv"],
    ["minute,request_count,host,status", "time-count-csv"],
    ['"time","requests","note"', "time-count-csv"],
    ["TIMESTAMP,ContextTokens,GeneratedTokens", "per-request-csv"],
    ["HashFunction,Trigger,1,2", "function-matrix-csv"],
    ['"HashFunction","Trigger","1","2"', "function-matrix-csv"],
  ])("%s: %s", (header, format) => {
    expect(detectFormat(`${header}\n2026-03-02 10:00:00,1,2,3\n`, "t.csv")).toBe(format);
  });

  it("a header of three or more columns that names neither is refused with its line", () => {
    expect(() => detectFormat("when,size,extra\n0,1,2\n", "t.csv")).toThrow('t.csv:1: the header "when,size,extra" has 3 columns: expected time,count');
  });
});

describe("CSV as spreadsheets and databases write it", () => {
  it.each([
    ["quoted fields", '"time","count"\n"2026-03-02 10:00:00","10"\n"2026-03-02 10:01:00","12"\n'],
    ["spaces around fields", "time , count\n 2026-03-02 10:00:00 , 10 \n2026-03-02 10:01:00,12\n"],
    ["a byte-order mark and CRLF", "\ufefftime,count\r\n2026-03-02 10:00:00,10\r\n2026-03-02 10:01:00,12\r\n"],
    ["blank and whitespace-only lines", "time,count\n\n2026-03-02 10:00:00,10\n   \n2026-03-02 10:01:00,12\n\n"],
  ])("time,count with %s", (_, text) => {
    const trace = parseTraceText(text, "t.csv");
    expect([...trace.intervals.count]).toEqual([10, 12]);
    expect(trace.warnings).toEqual([]);
  });

  it("extra columns: read as time,count, and the ignored columns named in a warning", () => {
    const trace = parseTraceText("time,count,extra,more\n0,10,a,b\n60,12,c,d\n", "t.csv");
    expect(total(trace.intervals.count)).toBe(22);
    expect(trace.warnings).toEqual(['t.csv:1: read as time,count (columns "time" and "count"); the other columns "extra", "more" are ignored']);
  });

  it("per-request rows with a quoted timestamp keep their work column", () => {
    const trace = parseTraceText('TIMESTAMP,ContextTokens,GeneratedTokens\n"2023-11-16 18:17:03.5",7,"10"\n', "r.csv");
    expect([...(trace.work ?? [])]).toEqual([10]);
  });

  it("a per-function trace with a quoted trigger keeps only that trigger's rows", () => {
    const trace = parseTraceText('HashFunction,Trigger,1,2\n0,"queue",1,2\n1,"timer",5,5\n', "f.csv", undefined, { trigger: "queue" });
    expect([...trace.intervals.count]).toEqual([1, 2]);
  });

  it("a quote that is never closed is refused with the line", () => {
    expect(() => parseTraceText('time,count\n2026-03-02 10:00:00,10\n"2026-03-02 10:01:00,12\n', "t.csv")).toThrow(TraceError);
    expect(() => parseTraceText('time,count\n2026-03-02 10:00:00,10\n"2026-03-02 10:01:00,12\n', "t.csv")).toThrow(/^t\.csv:3: malformed CSV: Quote Not Closed/);
  });
});

describe("compressed traces", () => {
  const dir = mkdtempSync(join(tmpdir(), "trace-input-"));
  const csv = "time,count\n2026-03-02 10:00:00,10\n2026-03-02 10:01:00,12\n";

  it("gzip, recognised by its bytes whatever the name", () => {
    writeFileSync(join(dir, "t.csv.gz"), gzipSync(csv));
    writeFileSync(join(dir, "t.data"), gzipSync(csv));
    expect(total(readTrace(join(dir, "t.csv.gz")).intervals.count)).toBe(22);
    expect(total(readTrace(join(dir, "t.data")).intervals.count)).toBe(22);
  });

  it("a gzipped tar of one file, errors named under the archive and the member", () => {
    writeFileSync(join(dir, "t.tar.gz"), gzipSync(createTar([{ name: "workload.txt", data: "1 2 3\n4 x 6\n" }])));
    expect(() => readTrace(join(dir, "t.tar.gz"))).toThrow(/t\.tar\.gz!workload\.txt:2: "x" at column 3 is not a per-second count/);
  });

  it("a gzip file that unpacks to more than 64 MiB is refused without unpacking it all", () => {
    writeFileSync(join(dir, "bomb.gz"), gzipSync(Buffer.alloc(65 * 1024 * 1024, "0 ")));
    expect(() => readTrace(join(dir, "bomb.gz"))).toThrow(/bomb\.gz: more than 64 MiB of trace data; the limit is 64 MiB/);
  });

  it("a corrupt gzip file is refused", () => {
    writeFileSync(join(dir, "bad.gz"), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]));
    expect(() => readTrace(join(dir, "bad.gz"))).toThrow(/bad\.gz: not a valid gzip file/);
  });
});

describe("durations and times", () => {
  it.each([
    ["1h30m", 5400],
    ["1h30m15s", 5415],
    ["2d12h", 216_000],
    ["1h 30m", 5400],
    ["90s", 90],
    ["2d", 172_800],
    ["1500ms", 1.5],
  ])("%s is %d s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["1m30", "30m1h", "1h1h", "h", "", "1x", "-5m"])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it("a date alone is its midnight (UTC, the trace's own wall clock)", () => {
    expect(parseTimestamp("2026-03-02")).toBe(Date.parse("2026-03-02T00:00:00Z"));
    expect(parseTimestamp("2026-02-30")).toBeUndefined();
  });
});

describe("slicing: warnings and limits", () => {
  const day = parseTraceText("t,n\n2026-03-02 00:00:00,60\n2026-03-02 00:01:00,120\n2026-03-02 00:02:00,60\n", "t.csv");
  const offsets = parseTraceText("1 2 3 4 5 6", "p.txt");

  it("--start as a date", () => {
    expect(sliceTrace(day, "t", { start: "2026-03-02" }).startMs).toBe(Date.parse("2026-03-02T00:00:00Z"));
  });

  it("--start as a date on a trace of offsets only is refused, saying why", () => {
    expect(() => sliceTrace(offsets, "p", { start: "2026-03-02" })).toThrow('--start: "2026-03-02" is a time, but the trace records only offsets from its start: give an offset such as 2h or 1h30m');
  });

  it("--duration past the end of the trace: the rest is simulated, with a warning naming both", () => {
    const plan = sliceTrace(day, "t", { start: "1m", duration: "1h30m" });
    expect(plan.durationSeconds).toBe(120);
    expect(plan.warnings).toContain('--duration 1h30m: the trace holds only 2 min after --start "1m"; simulating those 2 min');
  });

  it("a --duration within the trace: no warning", () => {
    expect(sliceTrace(day, "t", { duration: "2m" }).warnings).toEqual([]);
  });

  it.each([
    [{ scale: 1e6 }, "--scale 1e6: the run would simulate 240,000,000 messages; the limit is 10,000,000: use --scale 41000 or less, or a shorter --duration"],
    [{ scale: 1e6, userScale: 100 }, "--scale 100: the run would simulate 240,000,000 messages; the limit is 10,000,000: use --scale 4.1 or less, or a shorter --duration"],
  ])("messages over the limit are refused before any arrival is drawn: %o", (options, message) => {
    expect(() => sliceTrace(day, "t", options)).toThrow(LimitError);
    expect(() => sliceTrace(day, "t", options)).toThrow(message);
  });

  it("a slice longer than 31 days is refused", () => {
    const long = parseTraceText("t,n\n0,1\n2678400,1\n", "long.csv");
    expect(() => sliceTrace(long, "long.csv")).toThrow("long.csv spans 62 d: longer than the 31 d one run may simulate");
    expect(() => sliceTrace(long, "long.csv", { duration: "31d" })).not.toThrow();
  });

  it("per-request traces are counted before they are copied", () => {
    const requests = parseTraceText("TIMESTAMP,a,b\n2023-11-16 18:17:03,1,2\n2023-11-16 18:17:04,1,2\n", "r.csv");
    expect(() => sliceTrace(requests, "r", { scale: 1e7 })).toThrow(/^--scale 1e7: the run would simulate 20,000,000 messages; the limit is 10,000,000/);
  });

  it("a bad slice option is still a SliceError", () => {
    expect(() => sliceTrace(day, "t", { duration: "1m30" })).toThrow(SliceError);
  });
});
