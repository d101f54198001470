/** What the runtime learns: task startup time from events, queue rates from CloudWatch. */
import { describe, expect, it } from "vitest";
import { estimateRates, queueNameOf, sqsCounter } from "../../shared/runtime/rates.ts";
import { learnStartup, STARTUP_WARMUP_SAMPLES, startupSample } from "../../shared/runtime/startup.ts";
import { exampleEvent } from "./fixtures.ts";

describe("startup time", () => {
  it("reads createdAt → startedAt of the AWS example (≈ 24 s)", () => {
    const { detail } = exampleEvent("ecs-task-state-change-running");
    expect(startupSample(detail.createdAt, detail.startedAt)).toBeCloseTo(23.701, 3);
  });

  it.each([
    ["no startedAt", "2026-01-01T00:00:00Z", undefined],
    ["started before created", "2026-01-01T00:00:10Z", "2026-01-01T00:00:00Z"],
    ["over an hour", "2026-01-01T00:00:00Z", "2026-01-01T02:00:00Z"],
  ])("ignores an implausible pair: %s", (_name, createdAt, startedAt) => {
    expect(startupSample(createdAt, startedAt)).toBeUndefined();
  });

  it("averages the first samples, then smooths", () => {
    let learned = {};
    for (const s of [60, 40, 50, 70, 30]) learned = learnStartup(learned, s);
    expect(learned).toEqual({ startupSeconds: 50, startupSamples: STARTUP_WARMUP_SAMPLES });
    learned = learnStartup(learned, 100);
    expect(learned).toEqual({ startupSeconds: 60, startupSamples: 6 });
  });
});

describe("queue rates", () => {
  const minute = new Date("2026-03-02T12:00:00Z");
  const reading = (value: number, at = minute) => ({ value, at });

  it("names the queue from its URL and asks AWS/SQS for the Sum per minute", () => {
    expect(queueNameOf("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs")).toBe("jobs");
    expect(sqsCounter("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", "NumberOfMessagesSent").metric).toEqual({
      namespace: "AWS/SQS",
      name: "NumberOfMessagesSent",
      dimensions: [{ name: "QueueName", value: "jobs" }],
      stat: "Sum",
      periodSeconds: 60,
    });
  });

  it("measures arrival as Sent per second", () => {
    expect(estimateRates({ sent: reading(600), deleted: undefined, running: 2, backlog: 0, learned: {} }).arrivalRate).toBe(10);
  });

  it("learns the per-task rate only while the tasks are saturated", () => {
    const idle = estimateRates({ sent: reading(60), deleted: reading(60), running: 4, backlog: 2, learned: {} });
    expect(idle.processingRatePerTask).toBeUndefined();
    const busy = estimateRates({ sent: reading(600), deleted: reading(480), running: 4, backlog: 50, learned: {} });
    expect(busy.processingRatePerTask).toBe(2);
    expect(busy.learned.processingRateSampleAt).toBe(minute.toISOString());
  });

  it("counts each CloudWatch minute once, and smooths across minutes", () => {
    const first = estimateRates({ sent: undefined, deleted: reading(480), running: 4, backlog: 50, learned: {} }).learned;
    const same = estimateRates({ sent: undefined, deleted: reading(480 * 3), running: 4, backlog: 50, learned: first }).learned;
    expect(same).toEqual(first);
    const next = estimateRates({ sent: undefined, deleted: reading(960, new Date(minute.getTime() + 60_000)), running: 4, backlog: 50, learned: first });
    expect(next.processingRatePerTask).toBeCloseTo(2 + 0.3 * (4 - 2), 6);
  });

  it("keeps the learned rate when this minute's metrics failed, and never reports a zero rate", () => {
    const kept = estimateRates({ sent: { error: "no datapoints" }, deleted: { error: "no datapoints" }, running: 4, backlog: 50, learned: { processingRatePerTask: 1.5 } });
    expect(kept).toEqual({ processingRatePerTask: 1.5, learned: { processingRatePerTask: 1.5 } });
  });
});
