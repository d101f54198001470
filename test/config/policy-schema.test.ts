/** The policy schema: what a user may write, what is rejected, and at which path. */
import { describe, expect, it } from "vitest";
import { problemsOf } from "../../shared/config/issues.ts";
import { policySchema } from "../../shared/config/policy.ts";
import { requestSchema } from "../../shared/config/request.ts";

const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";

function problems(policy: unknown): string[] {
  const result = policySchema.safeParse(policy);
  return result.success ? [] : problemsOf(result.error).map((p) => `${p.path}: ${p.message}`);
}

describe("policy validation", () => {
  it.each([
    { name: "a bare queue name is not a queue URL", trigger: { type: "sqs", queueUrl: "jobs" }, problem: "triggers[0].queueUrl: not a URL" },
    { name: "a URL without the queue name", trigger: { type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012" }, problem: "triggers[0].queueUrl: cannot get the queue name" },
    { name: "a wait target needs a starting estimate", trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30 }, problem: "triggers[0].targetWaitSeconds: needs secondsPerMessage" },
    { name: "secondsPerMessage needs a wait target", trigger: { type: "sqs", queueUrl, secondsPerMessage: 1 }, problem: "triggers[0].secondsPerMessage: needs targetWaitSeconds" },
    { name: "targetWaitShare needs a wait target", trigger: { type: "sqs", queueUrl, targetWaitShare: 0.99 }, problem: "triggers[0].targetWaitShare: needs targetWaitSeconds" },
    {
      name: "targetWaitShare below a half",
      trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1, targetWaitShare: 0.4 },
      problem: "triggers[0].targetWaitShare: Too small: expected number to be >=0.5",
    },
    {
      name: "targetWaitShare above 1 (a share, not a percentage)",
      trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1, targetWaitShare: 99 },
      problem: "triggers[0].targetWaitShare: Too big: expected number to be <=1",
    },
    { name: "targetWaitShare is a number", trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1, targetWaitShare: "99%" }, problem: "triggers[0].targetWaitShare: " },
    {
      name: "messagesPerTask is a whole number of at least 1",
      trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1, messagesPerTask: 0.5 },
      problem: "triggers[0].messagesPerTask: ",
    },
    {
      name: "a derived and a given backlog per task conflict",
      trigger: { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1, targetBacklogPerTask: 5 },
      problem: "triggers[0].targetBacklogPerTask: set targetBacklogPerTask or secondsPerMessage, not both",
    },
    { name: "a metric trigger needs a metric or an expression", trigger: { type: "metric", target: 5 }, problem: "triggers[0].metric: set exactly one of metric or expression" },
    { name: "an unknown trigger type", trigger: { type: "cpu" }, problem: "triggers[0].type: " },
  ])("$name", ({ trigger, problem }) => {
    expect(problems({ maxTasks: 5, triggers: [trigger] }).join("\n")).toContain(problem);
  });

  it.each([
    { name: "an offset is not an IANA zone", timezone: "+01:00", problem: "is an offset" },
    { name: "zone names are case-sensitive", timezone: "europe/berlin", problem: 'should be "Europe/Berlin"' },
    { name: "an unknown zone", timezone: "Mars/Olympus", problem: "unknown IANA time zone" },
  ])("$name", ({ timezone, problem }) => {
    const p = problems({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl }], schedules: [{ name: "n", start: "0 1 * * *", end: "0 6 * * *", timezone, maxTasks: 0 }] });
    expect(p.join("\n")).toContain(`schedules[0].timezone: `);
    expect(p.join("\n")).toContain(problem);
  });

  it("start and end that fire at the same instants are rejected, however they are written", () => {
    const p = problems({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl }], schedules: [{ name: "n", start: "0 6 * * *", end: "0  6 * * 0-6", minTasks: 2 }] });
    expect(p.join("\n")).toContain("schedules[0].end: start and end are the same times");
  });

  it("a schedule must set a bound", () => {
    const p = problems({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl }], schedules: [{ name: "n", start: "0 1 * * *", end: "0 6 * * *" }] });
    expect(p).toContain("schedules[0].minTasks: a schedule sets minTasks, maxTasks or both");
  });

  it("defaults are the HPA's and KEDA's", () => {
    const policy = policySchema.parse({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl }] });
    expect(policy).toMatchObject({
      minTasks: 1,
      tolerance: 0.1,
      scaleToZero: { idleSeconds: 300 },
      triggers: [{ targetBacklogPerTask: 5, activationBacklog: 0, includeInFlight: true, includeDelayed: false, messagesPerTask: 1, keepBusyTasks: true }],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: "Max",
          policies: [
            { type: "Tasks", value: 4, periodSeconds: 15 },
            { type: "Percent", value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
      },
    });
  });

  it.each([
    { name: "messagesPerTask without a wait target sizes the busy floor", trigger: { messagesPerTask: 4 }, expected: { messagesPerTask: 4, keepBusyTasks: true } },
    { name: "keepBusyTasks: false turns the busy floor off (KEDA's behaviour)", trigger: { keepBusyTasks: false }, expected: { messagesPerTask: 1, keepBusyTasks: false } },
  ])("$name", ({ trigger, expected }) => {
    const policy = policySchema.parse({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl, ...trigger }] });
    expect(policy.triggers[0]).toMatchObject(expected);
  });

  it.each([
    { name: "a wait target holds for 99% of messages unless told", trigger: {}, share: 0.99 },
    { name: "targetWaitShare 0.95 is kept", trigger: { targetWaitShare: 0.95 }, share: 0.95 },
    { name: "targetWaitShare 1: every message (the fluid model)", trigger: { targetWaitShare: 1 }, share: 1 },
    { name: "the lowest share, a half", trigger: { targetWaitShare: 0.5 }, share: 0.5 },
  ])("$name", ({ trigger, share }) => {
    const policy = policySchema.parse({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 120, secondsPerMessage: 2, ...trigger }] });
    expect(policy.triggers[0]).toMatchObject({ targetWaitShare: share });
  });

  it.each([
    { name: "off unless set", policy: { triggers: [{ type: "sqs", queueUrl }] }, predictive: "off", problem: undefined },
    {
      name: "forecastAndScale on a latency-aware queue",
      policy: { predictive: "forecastAndScale", triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 60, secondsPerMessage: 1 }] },
      predictive: "forecastAndScale",
      problem: undefined,
    },
    {
      name: "forecastOnly without a wait target",
      policy: { predictive: "forecastOnly", triggers: [{ type: "sqs", queueUrl }] },
      predictive: undefined,
      problem: "predictive: needs an sqs trigger with targetWaitSeconds (the profile learns that queue's arrivals)",
    },
    {
      name: "an unknown mode",
      policy: { predictive: "on", triggers: [{ type: "sqs", queueUrl }] },
      predictive: undefined,
      problem: 'predictive: Invalid option: expected one of "off"|"forecastOnly"|"forecastAndScale"',
    },
  ])("predictive: $name", ({ policy, predictive, problem }) => {
    const result = policySchema.safeParse({ maxTasks: 5, ...policy });
    expect(result.success ? result.data.predictive : undefined).toBe(predictive);
    expect(problems({ maxTasks: 5, ...policy })[0]).toBe(problem);
  });

  it("keepBusyTasks must be a boolean", () => {
    expect(problems({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl, keepBusyTasks: "no" }] }).join("\n")).toContain("triggers[0].keepBusyTasks: ");
  });

  it("a user-set behavior field replaces only that field (copyHPAScalingRules)", () => {
    const policy = policySchema.parse({ maxTasks: 5, triggers: [{ type: "sqs", queueUrl }], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    expect(policy.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] });
  });
});

describe("observations must fit their trigger", () => {
  it("a metric value on an sqs trigger, and queue counts on a metric trigger, are named", () => {
    const result = requestSchema.safeParse({
      now: "2026-03-02T12:00:00Z",
      policy: {
        maxTasks: 5,
        triggers: [
          { type: "sqs", queueUrl },
          { type: "metric", metric: { namespace: "A", name: "B" }, target: 1 },
        ],
      },
      service: { desiredCount: 1, runningCount: 1 },
      observations: [
        { visible: 1, inFlight: 0, value: 3 },
        { value: 1, visible: 2 },
      ],
    });
    expect(result.success).toBe(false);
    const lines = problemsOf(result.error!).map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(["observations[0].value: not used by an sqs trigger", "observations[1].visible: not used by a metric trigger"]);
  });
});
