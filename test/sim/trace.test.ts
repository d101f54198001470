/** Trace files: every shipped format, slicing and scaling, and malformed files (errors name the line). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateWorkload, SliceError, sliceTrace } from "../../shared/sim/arrivals.ts";
import { detectFormat, parseTraceText, TraceError } from "../../shared/sim/trace/formats.ts";
import { readTrace } from "../../shared/sim/trace/read.ts";
import { parseDuration, parseTimestamp } from "../../shared/sim/trace/time.ts";

const data = (file: string) => fileURLToPath(new URL(`../../data/traces/${file}`, import.meta.url));
const total = (counts: Float64Array) => counts.reduce((a, b) => a + b, 0);

describe("shipped traces, one per format", () => {
  it.each([
    // file, format, first row's time, rows/requests, total messages (sums checked against data/traces/README.md)
    ["wc98_1998-06-30_requests_per_minute.csv", "time-count-csv", "1998-06-30T00:00:00.000Z", 1440, 75_207_657],
    ["nasa_http_1995-08-01_48h_requests_per_minute.csv", "time-count-csv", "1995-08-01T00:00:00.000Z", 2880, 33_995],
    ["azure_llm_inference_2023_code.csv", "per-request-csv", "2023-11-16T18:17:03.000Z", 8819, 8819],
    ["azure_functions_2019_freyr_sample_1000fn_60min.csv", "function-matrix-csv", "1970-01-01T00:00:00.000Z", 60, 85_470],
  ] as const)("%s: %s", (file, format, start, rows, messages) => {
    const trace = readTrace(data(file));
    expect(trace.format).toBe(format);
    expect(new Date(trace.startMs).toISOString()).toBe(start);
    const n = trace.arrivals ? trace.arrivals.length : trace.intervals.count.length;
    expect(n).toBe(rows);
    if (messages !== undefined) expect(trace.arrivals ? trace.arrivals.length : total(trace.intervals.count)).toBe(messages);
  });

  it("rates per minute (the Alibaba microservices layout) are calls per second averaged over a minute: count = rate × 60", () => {
    const trace = parseTraceText("6d9c26b935a837f3658138bf8b5c50d4\n115.56666666666663\n22.5\n", "ms.txt");
    expect(trace.format).toBe("rate-per-minute");
    expect(trace.intervals.count[0]).toBeCloseTo(115.56666666666663 * 60, 6);
    expect(trace.durationSeconds).toBe(2 * 60);
  });

  it("per-second counts in a bzip2 tar of one file (the NASA and Twitter per-second layout)", () => {
    const trace = readTrace(fileURLToPath(new URL("./fixtures/per-second-10min.tbz2", import.meta.url)));
    expect(trace.format).toBe("per-second-counts");
    expect(trace.intervals.count.length).toBe(600);
    expect(total(trace.intervals.count)).toBe(2395);
  });

  it("Azure Functions: only the rows of one trigger type when asked", () => {
    const all = readTrace(data("azure_functions_2019_freyr_sample_1000fn_60min.csv"));
    const queue = readTrace(data("azure_functions_2019_freyr_sample_1000fn_60min.csv"), { trigger: "queue" });
    expect(total(queue.intervals.count)).toBeGreaterThan(0);
    expect(total(queue.intervals.count)).toBeLessThan(total(all.intervals.count));
  });

  it("the Azure LLM trace keeps each request's work size (its last column, generated tokens)", () => {
    const trace = readTrace(data("azure_llm_inference_2023_code.csv"));
    expect(trace.work?.[0]).toBe(10);
    expect(trace.arrivals?.[0]).toBeCloseTo(0.97996, 5); // 18:17:03.9799600 after 18:17:03
  });
});

describe("time,count CSV", () => {
  it.each([
    ["ISO 8601", "time,count\n2026-03-02T12:00:00Z,5\n2026-03-02T12:01:00Z,7\n", Date.parse("2026-03-02T12:00:00Z")],
    ["YYYY-MM-DD HH:MM:SS", "t,n\n2026-03-02 12:00:00,5\n2026-03-02 12:01:00,7\n", Date.parse("2026-03-02T12:00:00Z")],
    ["epoch seconds", "t,n\n1772452800,5\n1772452860,7\n", 1772452800 * 1000],
    ["an offset zone", "t,n\n2026-03-02T14:00:00+02:00,5\n2026-03-02T14:01:00+02:00,7\n", Date.parse("2026-03-02T12:00:00Z")],
  ])("reads %s times; the interval is the gap between rows", (_, text, startMs) => {
    const trace = parseTraceText(text, "t.csv");
    expect(trace.startMs).toBe(startMs);
    expect([...trace.intervals.length]).toEqual([60, 60]);
    expect([...trace.intervals.count]).toEqual([5, 7]);
  });

  it("a gap longer than the usual one is still the row's interval: its messages spread over the whole gap", () => {
    const trace = parseTraceText("t,n\n0,10\n60,10\n120,10\n600,10\n660,10\n", "t.csv");
    expect([...trace.intervals.length]).toEqual([60, 60, 480, 60, 60]);
    expect(trace.durationSeconds).toBe(720);
  });

  it("warns about a gap at least twice the usual one, naming the row's line", () => {
    const trace = parseTraceText("t,n\n0,10\n60,10\n120,10\n600,10\n660,10\n", "t.csv");
    expect(trace.warnings).toHaveLength(1);
    expect(trace.warnings[0]).toMatch(/^t\.csv:4: the gap to the next row is 480 s, 8× the file's usual 60 s; this row's 10 messages are spread/);
    expect(parseTraceText("t,n\n0,1\n60,1\n110,1\n", "t.csv").warnings).toEqual([]);
  });

  it("lists the first five long gaps and counts the rest", () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i * 60 + Math.floor(i / 2) * 120},1`);
    const trace = parseTraceText(`t,n\n${rows.join("\n")}\n`, "t.csv");
    expect(trace.warnings).toHaveLength(6);
    expect(trace.warnings[5]).toBe("t.csv: 9 more gaps at least 2× the usual one");
  });

  it.each([
    ["a bad time", "time,count\n2026-03-02 12:00:00,5\nnoon,7\n", 't.csv:3: column 1 "noon" is not a time'],
    ["a bad count", "time,count\n2026-03-02 12:00:00,5\n2026-03-02 12:01:00,abc\n", 't.csv:3: column 2 "abc" is not a message count'],
    ["a negative count", "time,count\n2026-03-02 12:00:00,-5\n", 't.csv:2: column 2 "-5" is not a message count'],
    ["a missing column", "time,count\n2026-03-02 12:00:00,5\n2026-03-02 12:01:00\n", 't.csv:3: expected "time,count"'],
    ["time going backwards", "time,count\n2026-03-02 12:01:00,5\n2026-03-02 12:00:00,5\n", "t.csv:3: time 2026-03-02 12:00:00 is not after the previous row's"],
    ["an impossible date", "time,count\n2026-13-02 12:00:00,5\n", 't.csv:2: column 1 "2026-13-02 12:00:00" is not a time'],
    [
      "a day the month does not have",
      "time,count\n2026-02-28 12:00:00,5\n2026-02-31 12:00:00,5\n",
      't.csv:3: column 1 "2026-02-31 12:00:00" is not a time (ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds): 2026-02 has 28 days',
    ],
    [
      "epoch milliseconds",
      "time,count\n1700000000000,600\n",
      't.csv:2: column 1 "1700000000000" is not a time (ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds): as epoch seconds that is after the year 2100 — epoch milliseconds? divide by 1000',
    ],
    ["no data rows", "time,count\n\n", "t.csv: no data rows after the header"],
  ])("rejects %s with the line number", (_, text, message) => {
    expect(() => parseTraceText(text, "t.csv")).toThrow(TraceError);
    expect(() => parseTraceText(text, "t.csv")).toThrow(message);
  });
});

describe("malformed files of the other formats", () => {
  it.each([
    ["per-request: a bad time", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.97,1,2\nlater,1,2\n", 'r.csv:3: column 1 "later" is not a time'],
    [
      "per-request: epoch milliseconds",
      "TIMESTAMP,A,B\n1700000000123,1,2\n",
      'r.csv:2: column 1 "1700000000123" is not a time: as epoch seconds that is after the year 2100 — epoch milliseconds? divide by 1000',
    ],
    ["per-request: unsorted", "TIMESTAMP,A,B\n2023-11-16 18:17:05,1,2\n2023-11-16 18:17:03,1,2\n", "r.csv:3: time 2023-11-16 18:17:03 is before the previous row's"],
    ["per-request: a bad work size", "TIMESTAMP,A,B\n2023-11-16 18:17:05,1,x\n", 'r.csv:2: column 3 "x" is not a work size'],
    ["function matrix: a short row", "HashFunction,Trigger,1,2\n0,timer,1,0\n1,queue,1\n", "r.csv:3: expected 4 columns like the header, got 3"],
    ["function matrix: a bad count", "HashFunction,Trigger,1,2\n0,queue,1,z\n", 'r.csv:2: column 4 (minute 2) "z" is not an invocation count'],
    ["function matrix: an unknown trigger", "HashFunction,Trigger,1,2\n0,timer,1,0\n", 'r.csv: no rows with Trigger "queue"'],
    ["rates: a bad rate", "6d9c26b935a837f3658138bf8b5c50d4\n1.5\n2.5\nnan?\n", 'r.csv:4: "nan?" is not a rate'],
    ["per-second: a bad count", "1 2 3\n4 x 6\n", 'r.csv:2: "x" at column 3 is not a per-second count'],
    ["an unknown layout", "just one column\n", "r.csv:1: unrecognised trace format"],
  ])("%s", (_, text, message) => {
    expect(() => parseTraceText(text, "r.csv", undefined, { trigger: "queue" })).toThrow(message);
  });

  it("names the file when it cannot be read, or is not text", () => {
    expect(() => readTrace("/nonexistent/trace.csv")).toThrow("/nonexistent/trace.csv: no such file");
    const dir = mkdtempSync(join(tmpdir(), "trace-"));
    writeFileSync(join(dir, "bad.tbz2"), Buffer.from("BZh9 this is not bzip2 data at all"));
    expect(() => readTrace(join(dir, "bad.tbz2"))).toThrow(/bad\.tbz2: not a valid bzip2 file/);
    writeFileSync(join(dir, "bin.dat"), Buffer.from([1, 2, 0, 3]));
    expect(() => readTrace(join(dir, "bin.dat"))).toThrow(/bin\.dat:1: binary data \(control character 0x01/);
  });

  it("reports errors inside a bzip2 tar archive under the archive and member name, with the line", () => {
    const file = fileURLToPath(new URL("./fixtures/malformed-per-second.tbz2", import.meta.url));
    expect(() => readTrace(file)).toThrow(/malformed-per-second\.tbz2!workload\.txt:2: "oops" at column 5 is not a per-second count/);
  });

  it("recognises whitespace-separated counts without a header as per-second counts", () => {
    expect(detectFormat("10 11 12", "x")).toBe("per-second-counts");
  });
});

describe("slicing and scaling", () => {
  const trace = parseTraceText("t,n\n2026-03-02 00:00:00,60\n2026-03-02 00:01:00,120\n2026-03-02 00:02:00,60\n", "t.csv");

  it("--start and --duration cut whole and partial intervals (a partial one keeps its share)", () => {
    const plan = sliceTrace(trace, "t", { start: "2026-03-02 00:00:30", duration: "90s" });
    expect(plan.startMs).toBe(Date.parse("2026-03-02T00:00:30Z"));
    expect(plan.durationSeconds).toBe(90);
    expect([...plan.intervals.count]).toEqual([30, 120]);
  });

  it("--start may be an offset from the trace start", () => {
    expect(sliceTrace(trace, "t", { start: "1m" }).intervals.count[0]).toBe(120);
  });

  it("--scale multiplies the counts", () => {
    expect([...sliceTrace(trace, "t", { scale: 0.5 }).intervals.count]).toEqual([30, 60, 30]);
  });

  it.each([
    [{ start: "1999-01-01 00:00:00" }, '--start: "1999-01-01 00:00:00" is outside the trace'],
    [{ start: "soon" }, "--start: expected a time"],
    [{ duration: "six hours" }, "--duration: expected a duration"],
    [{ scale: -1 }, "--scale: expected a number ≥ 0"],
  ])("rejects %o", (options, message) => {
    expect(() => sliceTrace(trace, "t", options)).toThrow(SliceError);
    expect(() => sliceTrace(trace, "t", options)).toThrow(message);
  });

  it("observed counts become exactly that many arrivals, spread within their interval", () => {
    const workload = generateWorkload(sliceTrace(trace, "t"), { seed: 3, service: { distribution: "constant", meanSeconds: 1 } });
    expect(workload.arrivalTimes.length).toBe(240);
    const inFirst = workload.arrivalTimes.filter((t) => t < 60).length;
    expect(inFirst).toBe(60);
    expect([...workload.arrivalTimes]).toEqual([...workload.arrivalTimes].sort((a, b) => a - b));
    expect(workload.totalServiceSeconds).toBe(240);
  });

  it("per-request traces keep their exact times; a scale of 2 doubles every request", () => {
    const requests = parseTraceText("TIMESTAMP,context,tokens\n2023-11-16 18:17:03.5,7,10\n2023-11-16 18:17:04.25,7,30\n", "r.csv");
    const plan = sliceTrace(requests, "r", { scale: 2 });
    expect([...(plan.arrivals ?? [])]).toEqual([0.5, 0.5, 1.25, 1.25]);
    const workload = generateWorkload(plan, { seed: 1, service: { distribution: "exponential", meanSeconds: 2 }, serviceFromWork: true });
    expect([...workload.serviceTimes]).toEqual([1, 1, 3, 3]); // ∝ tokens, mean 2 s
  });
});

describe("times and durations", () => {
  it.each([
    ["2023-11-16 18:17:03.9799600", Date.parse("2023-11-16T18:17:03.979Z") + 0.96],
    ["1995-07-01 00:00", Date.parse("1995-07-01T00:00:00Z")],
    ["2024-02-29 00:00", Date.parse("2024-02-29T00:00:00Z")],
    ["2026-03-02T12:00:00.5Z", Date.parse("2026-03-02T12:00:00.500Z")],
    ["42", 42_000],
  ])("%s", (text, ms) => {
    expect(parseTimestamp(text)).toBeCloseTo(ms, 6);
  });

  it.each([
    ["6h", 21_600],
    ["90m", 5400],
    ["3600", 3600],
    ["2d", 172_800],
    ["1.5h", 5400],
  ])("duration %s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});
