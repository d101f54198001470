/**
 * `ecs-autoscaler decide` never stops work in progress: the three ways today's engine shed a warm
 * service, as requests to the real command.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
const now = "2026-03-02T12:00:00Z";
/**
 * A service seen before, so first sight does not apply: 13 recommended 15 minutes ago, then 0 (runs:
 * each holds until the next), both before the 300 s window opens.
 */
const seenBefore = {
  recommendations: [
    { at: "2026-03-02T11:45:00Z", tasks: 13 },
    { at: "2026-03-02T11:50:00Z", tasks: 0 },
  ],
  scaleEvents: [],
  failures: 0,
};

function decide(request: object): { desiredCount: number; reason: string; explanation: string } {
  const { status, stdout, stderr } = runCli(["decide", "-"], JSON.stringify(request));
  expect(stderr).toBe("");
  expect(status).toBe(0);
  return JSON.parse(stdout);
}

const service = { desiredCount: 13, runningCount: 13, pendingCount: 0 };
const latencyTrigger = { type: "sqs", queueUrl, targetWaitSeconds: 120, secondsPerMessage: 2 };
const backlogTrigger = { type: "sqs", queueUrl, targetBacklogPerTask: 100 };

describe("decide never stops work in progress", () => {
  it.each([
    {
      name: "first sight: no history, 13 running, a trigger asking for 1 keeps 13",
      request: { now, policy: { maxTasks: 50, triggers: [{ type: "sqs", queueUrl, targetBacklogPerTask: 1 }] }, service, observations: [{ visible: 1, inFlight: 0 }] },
      expected: 13,
      reason: "ScaleDownStabilized",
      says: "first sight: the current 13 counts as a recommendation now",
    },
    {
      name: "missing rates: target 120 s, 2 s per message, 13 running, 10 in flight keeps the 10 busy tasks",
      request: { now, policy: { maxTasks: 50, triggers: [latencyTrigger] }, service, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore },
      expected: 10,
      reason: "ScaleDown",
      says: "rates not measured: arrivals ≥ 5 msg/s from 10 in flight (Little's law)",
    },
    {
      name: "missing rates without history: first sight keeps 13",
      request: { now, policy: { maxTasks: 50, triggers: [latencyTrigger] }, service, observations: [{ visible: 0, inFlight: 10 }] },
      expected: 13,
      reason: "ScaleDownStabilized",
      says: "the larger → 10",
    },
    {
      name: "backlog per task: 10 in flight at 100 per task keeps the 10 busy tasks",
      request: { now, policy: { maxTasks: 50, triggers: [backlogTrigger] }, service, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore },
      expected: 10,
      reason: "BusyTasksFloor",
      says: "busy floor: sqs[0] 10 in flight / 1 per task = 10 busy tasks → 10",
    },
    {
      name: "backlog per task without history: first sight keeps 13",
      request: { now, policy: { maxTasks: 50, triggers: [backlogTrigger] }, service, observations: [{ visible: 0, inFlight: 10 }] },
      expected: 13,
      reason: "ScaleDownStabilized",
      says: "at 100 per task → 1",
    },
    {
      name: "keepBusyTasks: false gives KEDA's 1",
      request: { now, policy: { maxTasks: 50, triggers: [{ ...backlogTrigger, keepBusyTasks: false }] }, service, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore },
      expected: 1,
      reason: "ScaleDown",
      says: "at 100 per task → 1",
    },
    {
      name: "the maximum still wins over the busy floor",
      request: { now, policy: { maxTasks: 8, triggers: [backlogTrigger] }, service, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore },
      expected: 8,
      reason: "TooManyTasks",
      says: "maximum 8 wins over the busy floor",
    },
  ])("$name", ({ request, expected, reason, says }) => {
    const d = decide(request);
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
    expect(d.explanation).toContain(says);
  });

  it("a keepBusyTasks that is not a boolean: exit 2 naming the field", () => {
    const bad = { now, policy: { maxTasks: 5, triggers: [{ ...backlogTrigger, keepBusyTasks: "no" }] }, service, observations: [{ visible: 0, inFlight: 0 }] };
    const { status, stdout, stderr } = runCli(["decide", "-"], JSON.stringify(bad));
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("policy.triggers[0].keepBusyTasks");
  });
});
