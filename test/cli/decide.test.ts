/** `ecs-autoscaler decide`: the contract of docs/design.md, through the real command. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const designExample = {
  now: "2026-03-02T12:00:00Z",
  policy: {
    maxTasks: 20,
    triggers: [{ type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", targetBacklogPerTask: 25 }],
  },
  service: { desiredCount: 10, runningCount: 10, pendingCount: 0 },
  observations: [{ visible: 200, inFlight: 100, delayed: 50 }],
  history: {
    recommendations: [{ at: "2026-03-02T11:59:30Z", tasks: 5 }],
    scaleEvents: [{ at: "2026-03-02T11:59:50Z", from: 4, to: 8 }],
    lastActiveAt: "2026-03-02T11:59:00Z",
    failures: 0,
  },
};

describe("ecs-autoscaler decide", () => {
  it("reads a request on stdin and prints the decision: backlog 300 at 25 per task → 12", () => {
    const { status, stdout, stderr } = runCli(["decide", "-"], JSON.stringify(designExample));
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const decision = JSON.parse(stdout);
    expect(Object.keys(decision)).toEqual(["desiredCount", "reason", "explanation", "proposals", "history"]);
    expect(decision).toMatchObject({ desiredCount: 12, reason: "ScaleUp", proposals: [{ trigger: 0, tasks: 12, active: true }] });
    expect(decision.explanation).toContain("backlog 300");
    expect(decision.explanation).toContain("25 per task → 12");
    expect(decision.history.scaleEvents).toEqual([
      { at: "2026-03-02T11:59:50Z", from: 4, to: 8 },
      { at: "2026-03-02T12:00:00Z", from: 10, to: 12 },
    ]);
  });

  it("reads a request from a file argument", () => {
    const dir = mkdtempSync(join(tmpdir(), "decide-"));
    const file = join(dir, "request.json");
    writeFileSync(file, JSON.stringify(designExample));
    const { status, stdout } = runCli(["decide", file]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).desiredCount).toBe(12);
  });

  it("invalid input: exit 2, every problem with its JSON path on stderr, nothing on stdout", () => {
    const bad = {
      ...designExample,
      now: "yesterday",
      policy: { ...designExample.policy, maxTasks: -1, extra: true },
      observations: [{ visible: "many" }],
    };
    const { status, stdout, stderr } = runCli(["decide", "-"], JSON.stringify(bad));
    expect(status).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^now: /),
        expect.stringMatching(/^policy\.maxTasks: /),
        expect.stringMatching(/^policy: unknown key "extra"/),
        expect.stringMatching(/^observations\[0\]\.visible: /),
      ]),
    );
  });

  it("a missing observation field is named by its path", () => {
    const { status, stderr } = runCli(["decide", "-"], JSON.stringify({ ...designExample, observations: [{ visible: 1 }] }));
    expect(status).toBe(2);
    expect(stderr).toContain("observations[0].inFlight: required when includeInFlight is true");
  });

  it("malformed JSON: exit 2 and a message, nothing on stdout", () => {
    const { status, stdout, stderr } = runCli(["decide", "-"], "{ not json");
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(/^standard input: not valid JSON/);
  });
});
