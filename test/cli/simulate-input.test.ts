/**
 * `ecs-autoscaler simulate` with inputs a user gets wrong, through the real command: each is refused
 * before the run with exit 2 and one line on stderr (no stack trace, nothing on stdout, no file
 * written); contradicting settings run with a warning that names both; the trace forms users have
 * (quoted CSV, gzip, extra columns) are read.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "simulate-input-"));
const at = (name: string) => join(dir, name);
const minutes = (counts: number[]) => counts.map((c, i) => `2026-03-02 10:${String(i).padStart(2, "0")}:00,${c}`).join("\n");

writeFileSync(at("ok.csv"), `time,count\n${minutes([10, 12])}\n`);
writeFileSync(at("huge.csv"), "time,count\n2026-03-02 10:00:00,1e12\n2026-03-02 10:01:00,5\n");
writeFileSync(at("long.csv"), "time,count\n0,1\n3000000000,1\n");
writeFileSync(at("noise.bin"), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)));
writeFileSync(at("image.png"), Buffer.from("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61", "hex"));
writeFileSync(at("escape.csv"), "time,count\n2026-03-02 10:00:00,\u001b[2J\u001b[31mred\n");
writeFileSync(at("c1.csv"), "time,count\n2026-03-02 10:00:00,\u009b31mred\n");
writeFileSync(at("file.txt"), "not a directory\n");
mkdirSync(at("a-directory"));
execFileSync("mkfifo", [at("pipe")]);

function simulate(args: string[]) {
  return runCli(["simulate", "--no-progress", ...args]);
}

/** A refusal: exit 2, nothing on stdout, one line on stderr that is not a stack trace. */
function expectRefused(result: ReturnType<typeof simulate>, message: string | RegExp) {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^simulate: /);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  if (typeof message === "string") expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
}

describe("a trace file that cannot be read is refused with one line", () => {
  it.each([
    ["a directory", ["--trace", at("a-directory")], `${at("a-directory")}: is a directory, expected a trace file`],
    ["a missing file", ["--trace", at("missing.csv")], `${at("missing.csv")}: no such file`],
    ["a missing directory in the path", ["--trace", at("nope/t.csv")], `${at("nope/t.csv")}: no such file`],
    ["a PNG image", ["--trace", at("image.png")], `${at("image.png")}: a PNG image, not a trace`],
    ["an empty path", ["--trace", ""], '--trace: expected a file path, got ""'],
    ["a device that never ends", ["--trace", "/dev/zero"], "/dev/zero: is not a regular file, expected a trace file"],
    ["a named pipe no one writes to", ["--trace", at("pipe")], `${at("pipe")}: is not a regular file, expected a trace file`],
    ["random bytes", ["--trace", at("noise.bin")], /noise\.bin: binary data \(.*starts 07 9e 35 cc 63 fa 91 28 /],
  ])("%s", (_, args, message) => {
    expectRefused(simulate(args), message);
  });

  it("a text file with terminal escapes is binary: refused, the escapes never echoed", () => {
    const result = simulate(["--trace", at("escape.csv")]);
    expectRefused(result, `${at("escape.csv")}:2: binary data (control character 0x1b; the file starts 74 69 6d 65 2c 63 6f 75 "time,cou")`);
    expect(result.stderr).not.toContain("\u001b");
  });

  it("a cell quoted in a message has its control characters escaped", () => {
    const result = simulate(["--trace", at("c1.csv")]);
    expectRefused(result, `${at("c1.csv")}:2: column 2 "\\x9b31mred" is not a message count`);
    expect(result.stderr).not.toContain("\u009b");
  });

  it("a binary file's bytes never reach the terminal", () => {
    const result = simulate(["--trace", at("noise.bin")]);
    // Only printable ASCII and the line's own newline.
    expect(result.stderr).toMatch(/^[\x20-\x7e]*\n$/);
  });
});

describe("runs too large to simulate are refused up front, naming the limit", () => {
  it.each([
    ["a trace row of 1e12 messages", ["--trace", at("huge.csv")], `${at("huge.csv")}: the run would simulate 1e12 messages; the limit is 10,000,000: use --scale 9.9e-6 or less`],
    ["--scale 1e9", ["--scenario", "steady", "--scale", "1e9"], "--scale 1e9: the run would simulate 1.4e14 messages; the limit is 10,000,000: use --scale 69 or less"],
    ["--scale 1e9 on a trace scenario (the user's factor, not the scenario's own)", ["--scenario", "wc98-day", "--scale", "1e9"], "--scale 1e9: the run would simulate 7.5e14 messages"],
    ["--service-time 1e9", ["--service-time", "1e9"], '--service-time: expected seconds > 0 and at most 86400 (a day), got "1e9"'],
    ["a service time of a day at 50 messages/s", ["--service-time", "86400"], "--service-time 86400: a peak of 52 messages/s × 86400 s each would need up to 8,933,770 tasks; the limit is 10,000"],
    ["a trace spanning 190 years", ["--trace", at("long.csv")], `${at("long.csv")} spans 69444.4 d: longer than the 31 d one run may simulate`],
    ["--duration 40d", ["--scenario", "steady", "--duration", "40d"], "--duration 40d: longer than the 31 d one run may simulate"],
    ["--max-tasks 1e6", ["--max-tasks", "1e6"], '--max-tasks: expected an integer from 1 to 10000, got "1e6"'],
    ["--concurrency 1e9", ["--concurrency", "1e9"], '--concurrency: expected an integer from 1 to 1000, got "1e9"'],
    ["--startup 1e7", ["--startup", "1e7"], '--startup: expected seconds (45) or a range (30-90), at most 3600, got "1e7"'],
  ])("%s", (_, args, message) => {
    const started = Date.now();
    expectRefused(simulate(args), message);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it.each([
    ["--scale", "Infinity"],
    ["--scale", "1e400"],
    ["--scale", "-2"],
    ["--target-wait", "1e400"],
    ["--target-wait", "-5"],
    ["--service-time", "Infinity"],
    ["--keda-queue-length", "-1"],
    ["--seed", "1e400"],
    ["--interval", "Infinity"],
  ])("%s %s: an absurd number is refused", (flag, value) => {
    expectRefused(simulate([flag, value]), `${flag}: expected `);
  });
});

describe("output paths are checked before the run", () => {
  it.each([
    ["a directory", "--json", at("a-directory"), `--json ${at("a-directory")}: is a directory, expected a file path`],
    ["a path under a regular file", "--json", at("file.txt/out.json"), `${at("file.txt")} is a file, not a directory`],
    ["a path in /proc", "--report", "/proc/nope/x.html", "--report /proc/nope/x.html: /proc is on the kernel's proc filesystem"],
    ["a path in /sys", "--json", "/sys/x.json", "--json /sys/x.json: /sys is on the kernel's sysfs filesystem"],
  ])("%s: refused at once, nothing written", (_, flag, path, message) => {
    const before = readdirSync(dir).sort();
    const started = Date.now();
    expectRefused(simulate(["--scenario", "steady", flag, path]), message);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("the same file for --json and --report is refused", () => {
    const path = at("same.out");
    expectRefused(simulate(["--json", path, "--report", path]), "--json and --report: both name");
    expect(existsSync(path)).toBe(false);
  });

  it("the trace file as an output is refused, the trace left as it was", () => {
    const before = readFileSync(at("ok.csv"), "utf8");
    expectRefused(simulate(["--trace", at("ok.csv"), "--json", at("ok.csv")]), `--json ${at("ok.csv")}: is the --trace file`);
    expect(readFileSync(at("ok.csv"), "utf8")).toBe(before);
  });

  it("a bad output path is reported with the other bad options, all at once", () => {
    const result = simulate(["--seed", "x", "--json", at("a-directory")]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual(['simulate: --seed: expected an integer ≥ 0, got "x"', `simulate: --json ${at("a-directory")}: is a directory, expected a file path`]);
  });

  it("writes into missing directories, and leaves no temporary file beside the outputs", () => {
    const out = join(mkdtempSync(join(tmpdir(), "simulate-out-")), "deep", "er");
    const result = simulate(["--trace", at("ok.csv"), "--policies", "static", "--json", join(out, "r.json"), "--report", join(out, "r.html")]);
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["r.html", "r.json"]);
    expect(JSON.parse(readFileSync(join(out, "r.json"), "utf8")).results[0].arrived).toBe(22);
  });
});

describe("contradicting settings run, with a warning naming both", () => {
  it("--trace-trigger with a trace that is not per-function", () => {
    const result = simulate(["--trace", at("ok.csv"), "--trace-trigger", "queue", "--policies", "static"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`simulate: warning: --trace-trigger queue: ignored, ${at("ok.csv")} is a time-count-csv trace, not a per-function one`);
  });

  it("--trace-trigger with a scenario", () => {
    const result = simulate(["--scenario", "steady", "--duration", "10m", "--trace-trigger", "queue", "--policies", "static"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("simulate: warning: --trace-trigger queue: ignored with --scenario steady");
  });

  it("--duration longer than the trace holds after --start", () => {
    const result = simulate(["--trace", at("ok.csv"), "--start", "1m", "--duration", "1h30m", "--policies", "static"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('simulate: warning: --duration 1h30m: the trace holds only 60 s after --start "1m"; simulating those 60 s');
  });
});

describe("traces as users have them", () => {
  const json = () => join(mkdtempSync(join(tmpdir(), "simulate-json-")), "r.json");
  const arrived = (path: string) => JSON.parse(readFileSync(path, "utf8")).results[0].arrived as number;

  it.each([
    ["quoted CSV fields", "quoted.csv", `"time","count"\n"2026-03-02 10:00:00","10"\n"2026-03-02 10:01:00", "12"\n`],
    ["a byte-order mark and CRLF line ends", "bom.csv", `\ufefftime,count\r\n${minutes([10, 12]).replace(/\n/g, "\r\n")}\r\n`],
    ["gzip", "trace.csv.gz", gzipSync(`time,count\n${minutes([10, 12])}\n`)],
    ["extra columns after time,count", "extra.csv", `time,count,extra\n${minutes([10, 12]).replace(/\n/g, ",a\n")},b\n`],
  ])("%s: every message is read", (_, name, content) => {
    writeFileSync(at(name), content);
    const out = json();
    const result = simulate(["--trace", at(name), "--policies", "static", "--json", out]);
    expect(result.stderr.replace(/simulate: warning: .*columns? "extra".*\n/, "")).toBe("");
    expect(result.status).toBe(0);
    expect(arrived(out)).toBe(22);
  });

  it("extra columns are named in a warning", () => {
    const result = simulate(["--trace", at("extra.csv"), "--policies", "static"]);
    expect(result.stderr).toContain(`simulate: warning: ${at("extra.csv")}:1: read as time,count (columns "time" and "count"); the other column "extra" is ignored`);
  });

  it("a three-column header that says neither time,count nor per-request is refused, not guessed", () => {
    writeFileSync(at("ambiguous.csv"), `when,size,extra\n${minutes([10, 12])}\n`);
    expectRefused(simulate(["--trace", at("ambiguous.csv")]), `${at("ambiguous.csv")}:1: the header "when,size,extra" has 3 columns`);
  });

  it("--start as a date alone, --duration as hours and minutes", () => {
    const out = json();
    const result = simulate(["--scenario", "wc98-day", "--start", "1998-06-30", "--duration", "1h30m", "--policies", "static", "--json", out]);
    expect(result.status).toBe(0);
    const output = JSON.parse(readFileSync(out, "utf8"));
    expect(output.series.startIso).toBe("1998-06-30T00:00:00.000Z");
    expect(output.durationSeconds).toBe(5400);
  });
});
