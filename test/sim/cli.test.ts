/** `ecs-autoscaler simulate` through the real command (npx), checking the JSON contract (docs/simulator.md). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliEnv } from "../cli/run-cli.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

function simulate(args: string[]) {
  const result = spawnSync("npx", ["ecs-autoscaler", "simulate", "--no-progress", ...args], { cwd: root, env: cliEnv(), encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const contractFields = [
  "policy",
  "arrived",
  "processed",
  "withinTarget",
  "waitP50Seconds",
  "waitP99Seconds",
  "waitMaxSeconds",
  "taskSeconds",
  "costUsd",
  "utilization",
  "updateServiceCalls",
  "reactionSeconds",
  "interruptedMessages",
  "wastedTaskSeconds",
  "interruptedExtraWaitSeconds",
  "drainingTaskSeconds",
];

const shortRunPredictiveWarning =
  "simulate: warning: aws-predictive: the run is shorter than the 24 h of history AWS predictive scaling needs before it forecasts, so here it is target tracking alone (the same results)\n";

describe("ecs-autoscaler simulate", () => {
  it("runs a short scenario, prints the table, writes the JSON contract and the report", () => {
    const dir = mkdtempSync(join(tmpdir(), "simulate-"));
    const json = join(dir, "out", "run.json");
    const report = join(dir, "out", "run.html");
    const { status, stdout, stderr } = simulate(["--scenario", "spike", "--start", "35m", "--duration", "15m", "--seed", "4", "--json", json, "--report", report]);
    // A 2 h run is too short for AWS predictive scaling's 24 h of history: the output says why it equals target tracking.
    expect(stderr).toBe(shortRunPredictiveWarning);
    expect(status).toBe(0);
    expect(stdout).toContain("Scenario spike");
    for (const policy of ["ecs-autoscaler", "target-tracking", "step-scaling", "keda", "static", "aws-predictive", "oracle"]) expect(stdout).toContain(policy);
    expect(stdout).toContain(`JSON written to ${json}`);
    expect(stdout).toContain(`Report written to ${report}`);
    const output = JSON.parse(readFileSync(json, "utf8"));
    expect(output.results.map((r: { policy: string }) => r.policy)).toEqual(["ecs-autoscaler", "target-tracking", "step-scaling", "keda", "static", "aws-predictive", "oracle"]);
    for (const result of output.results) {
      // ecs-autoscaler adds its own AWS bill; the oracle the messages no policy could have started in time.
      const extra = result.policy === "ecs-autoscaler" ? ["ownCost"] : result.policy === "oracle" ? ["unavoidableLate"] : [];
      expect(Object.keys(result)).toEqual([...contractFields, ...extra]);
    }
    expect(Object.keys(output.results[0].ownCost)).toEqual(["usdPerMonth", "fixedUsdPerMonth", "stateItemBytesMax", "counts", "lines"]);
    expect(output.lowerBound.taskSeconds).toBeGreaterThan(0);
    expect(output).toMatchObject({ scenario: "spike", seed: 4, targetWaitSeconds: 120, durationSeconds: 900 });
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, "utf8")).toContain("<html");
  });

  it("--protection runs the workers under task scale-in protection: nothing interrupted, the draining shown", () => {
    const dir = mkdtempSync(join(tmpdir(), "simulate-"));
    const json = join(dir, "run.json");
    const { status, stdout, stderr } = simulate(["--scenario", "spike", "--duration", "40m", "--protection", "--json", json]);
    // A 2 h run is too short for AWS predictive scaling's 24 h of history: the output says why it equals target tracking.
    expect(stderr).toBe(shortRunPredictiveWarning);
    expect(status).toBe(0);
    expect(stdout).toContain("task scale-in protection on");
    const output = JSON.parse(readFileSync(json, "utf8"));
    expect(output.settings.taskProtection).toBe(true);
    for (const result of output.results) expect(result.interruptedMessages).toBe(0);
  });

  it("replays a time,count trace file with the model options", () => {
    const dir = mkdtempSync(join(tmpdir(), "simulate-"));
    const trace = join(dir, "trace.csv");
    const rows = Array.from({ length: 20 }, (_, i) => `2026-03-02 10:${String(i).padStart(2, "0")}:00,${i < 10 ? 120 : 1200}`);
    writeFileSync(trace, `time,count\n${rows.join("\n")}\n`);
    const json = join(dir, "run.json");
    const { status, stderr } = simulate([
      "--trace",
      trace,
      "--target-wait",
      "90",
      "--service-time",
      "1",
      "--startup",
      "45",
      "--policies",
      "ecs-autoscaler,keda",
      "--keda-queue-length",
      "30",
      "--json",
      json,
    ]);
    // Without aws-predictive among the policies there is nothing to warn about.
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const output = JSON.parse(readFileSync(json, "utf8"));
    expect(output.targetWaitSeconds).toBe(90);
    expect(output.settings.startupSeconds).toEqual([45, 45]);
    expect(output.settings.kedaQueueLength).toBe(30);
    expect(output.results.map((r: { policy: string }) => r.policy)).toEqual(["ecs-autoscaler", "keda"]);
    expect(output.results[0].arrived).toBe(10 * 120 + 10 * 1200);
  });

  it.each([
    [["--seed", "abc"], 'simulate: --seed: expected an integer ≥ 0, got "abc"'],
    [["--scenario", "nope"], 'simulate: --scenario: unknown scenario "nope"'],
    [["--scenario", "steady", "--trace", "x.csv"], "simulate: --scenario and --trace: choose one"],
    [["--startup", "90-30"], "simulate: --startup: expected seconds (45) or a range (30-90)"],
    [["--policies", "keda,hpa"], 'simulate: --policies: unknown "hpa"'],
    [["--trace", "/nonexistent.csv"], "simulate: /nonexistent.csv: no such file"],
    [["--duration", "forever"], "simulate: --duration: expected a duration"],
    [["--keda-queue-length", "0"], 'simulate: --keda-queue-length: expected messages per replica > 0 and at most 1000000, got "0"'],
  ])("bad options %j: exit 2 and a clear message", (args, message) => {
    const { status, stdout, stderr } = simulate(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe("");
  });

  it("reports every bad option at once", () => {
    const { status, stderr } = simulate(["--target-wait", "0", "--service-time", "-1"]);
    expect(status).toBe(2);
    expect(stderr.trim().split("\n")).toEqual([
      'simulate: --target-wait: expected seconds > 0 and at most 86400 (a day), got "0"',
      'simulate: --service-time: expected seconds > 0 and at most 86400 (a day), got "-1"',
    ]);
  });

  it("a malformed trace: exit 2 with the file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "simulate-"));
    const trace = join(dir, "bad.csv");
    writeFileSync(trace, "time,count\n2026-03-02 10:00:00,5\n2026-03-02 10:01:00,many\n");
    const { status, stderr } = simulate(["--trace", trace]);
    expect(status).toBe(2);
    expect(stderr).toContain(`${trace}:3: column 2 "many" is not a message count`);
  });
});
