/** What the runtime learns: task startup time from events, queue rates from CloudWatch. */
import { describe, expect, it } from "vitest";
import { estimateRates, queueNameOf, sqsRateQuery } from "../../shared/runtime/rates.ts";
import { learnStartup, STARTUP_WARMUP_SAMPLES, startupSample } from "../../shared/runtime/startup.ts";
import { exampleEvent } from "./fixtures.ts";

describe("startup time", () => {
  it("reads createdAt → startedAt of the AWS example (≈ 24 s)", () => {
    const { detail } = exampleEvent("ecs-task-state-change-running");
    expect(startupSample(detail.createdAt, detail.startedAt, new Date(detail.startedAt))).toBeCloseTo(23.701, 3);
  });

  it.each([
    ["no startedAt", "2026-01-01T00:00:00Z", undefined],
    ["started before created", "2026-01-01T00:00:10Z", "2026-01-01T00:00:00Z"],
    ["over 15 minutes (waiting for capacity, not starting)", "2026-01-01T00:00:00Z", "2026-01-01T00:15:01Z"],
    ["started over an hour before now (a replayed event)", "2025-12-31T22:00:00Z", "2025-12-31T22:01:00Z"],
    ["started in 2019", "2019-11-06T19:09:33Z", "2019-11-06T19:26:56Z"],
  ])("ignores an implausible pair: %s", (_name, createdAt, startedAt) => {
    expect(startupSample(createdAt, startedAt, new Date("2026-01-01T00:20:00Z"))).toBeUndefined();
  });

  it("takes a 15-minute start of a task that started just now", () => {
    expect(startupSample("2026-01-01T00:00:00Z", "2026-01-01T00:15:00Z", new Date("2026-01-01T00:20:00Z"))).toBe(900);
  });

  it("folds a sample into a learned value above the bound (learned before samples were bounded) as if it were 900 s", () => {
    expect(learnStartup({ startupSeconds: 1043, startupSamples: 10 }, 65).startupSeconds).toBeCloseTo(900 + 0.2 * (65 - 900), 3);
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
  const nextMinute = new Date(minute.getTime() + 60_000);
  const reading = (value: number, at = minute) => ({ value, at });
  const none = { sent: undefined, deleted: undefined, inFlight: undefined, messagesPerTask: 1, learned: {} };

  it("names the queue from its URL and asks AWS/SQS for Sent and Deleted (Sum) and NotVisible (Average) per minute", () => {
    const url = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
    expect(queueNameOf(url)).toBe("jobs");
    const asked = (["NumberOfMessagesSent", "NumberOfMessagesDeleted", "ApproximateNumberOfMessagesNotVisible"] as const).map((name) => sqsRateQuery(url, name));
    expect(asked).toEqual([
      { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesSent", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Sum", periodSeconds: 60 },
      { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesDeleted", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Sum", periodSeconds: 60 },
      { kind: "stat", namespace: "AWS/SQS", name: "ApproximateNumberOfMessagesNotVisible", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Average", periodSeconds: 60 },
    ]);
  });

  it("measures arrival as Sent per second", () => {
    expect(estimateRates({ ...none, sent: reading(600) }).arrivalRate).toBe(10);
  });

  // Little's law: Deleted per second ÷ average in flight = what one message in processing completes per second.
  it.each([
    ["tasks busy all minute: 480 deleted over 4 in flight → 2/s", reading(480), reading(4), 1, 2],
    ["tasks half idle: the rate per message is the same, saturation is not needed", reading(240), reading(2), 1, 2],
    ["a task working on 10 messages at once does 10 × the rate per message", reading(600), reading(50), 10, 2],
    ["a receive batch of 10 held while processed one by one: NotVisible counts the batch", reading(120), reading(20), 10, 1],
  ])("learns the processing rate per task by Little's law — %s", (_name, deleted, inFlight, messagesPerTask, expected) => {
    const rates = estimateRates({ ...none, deleted, inFlight, messagesPerTask });
    expect(rates.processingRatePerTask).toBeCloseTo(expected, 6);
    expect(rates.learned).toEqual({
      deletedPerMinute: (deleted as { value: number }).value,
      inFlightAverage: (inFlight as { value: number }).value,
      processingRatePerTask: expected,
      processingRateSampleAt: minute.toISOString(),
    });
  });

  it.each([
    ["nothing deleted", reading(0), reading(3)],
    ["less than one message in flight on average", reading(20), reading(0.4)],
    ["the in-flight average missing", reading(480), undefined],
    ["the in-flight read failed", reading(480), { error: "no datapoints" }],
    ["Deleted and NotVisible from different minutes", reading(480), reading(4, nextMinute)],
  ])("learns nothing from a minute that cannot tell: %s", (_name, deleted, inFlight) => {
    const rates = estimateRates({ ...none, deleted, inFlight });
    expect(rates.processingRatePerTask).toBeUndefined();
    expect(rates.learned).toEqual({});
  });

  it("counts each CloudWatch minute once, and smooths across minutes", () => {
    const first = estimateRates({ ...none, deleted: reading(480), inFlight: reading(4) }).learned;
    const same = estimateRates({ ...none, deleted: reading(480 * 3), inFlight: reading(4), learned: first }).learned;
    expect(same).toEqual(first);
    const next = estimateRates({ ...none, deleted: reading(960, nextMinute), inFlight: reading(4, nextMinute), learned: first });
    expect(next.processingRatePerTask).toBeCloseTo(2 + 0.3 * (4 - 2), 6);
  });

  it("smooths Deleted and in flight separately: a quiet minute weighs as little as its traffic", () => {
    // A busy minute (600 deleted over 10 in flight: 1/s), then a quiet one with a long message (10 over 1).
    const busy = estimateRates({ ...none, deleted: reading(600), inFlight: reading(10) }).learned;
    const quiet = estimateRates({ ...none, deleted: reading(10, nextMinute), inFlight: reading(1, nextMinute), learned: busy });
    // (600 + 0.3·(10 − 600)) / 60 / (10 + 0.3·(1 − 10)) = 423 / 60 / 7.3 = 0.966; averaging the two
    // minutes' rates instead would give 1 + 0.3·(0.167 − 1) = 0.75.
    expect(quiet.learned).toMatchObject({ deletedPerMinute: 423, inFlightAverage: 7.3 });
    expect(quiet.processingRatePerTask).toBeCloseTo(423 / 60 / 7.3, 5);
  });

  it("applies the configured messagesPerTask to the learned per-message rate, so a config change takes effect at once", () => {
    const learned = { deletedPerMinute: 120, inFlightAverage: 4 };
    expect(estimateRates({ ...none, learned, messagesPerTask: 1 }).processingRatePerTask).toBe(0.5);
    expect(estimateRates({ ...none, learned, messagesPerTask: 8 }).processingRatePerTask).toBe(4);
  });

  it.each([
    ["one message at a time", 1, 0.5, 2],
    ["ten messages at once", 10, 2, 5],
  ])("before any sample, reports messagesPerTask / secondsPerMessage (%s) without storing it", (_name, messagesPerTask, secondsPerMessage, expected) => {
    const rates = estimateRates({ ...none, messagesPerTask, secondsPerMessage });
    expect(rates).toEqual({ processingRatePerTask: expected, learned: {} });
  });

  it("prefers a measured rate to the configured one, and uses a record's rate from before the smoothed counts were kept", () => {
    const rates = estimateRates({ ...none, secondsPerMessage: 0.5, learned: { deletedPerMinute: 90, inFlightAverage: 1 } });
    expect(rates.processingRatePerTask).toBe(1.5);
    const legacy = estimateRates({ ...none, secondsPerMessage: 0.5, learned: { processingRatePerTask: 1.5 } });
    expect(legacy.processingRatePerTask).toBe(1.5);
    const fresh = estimateRates({ ...none, secondsPerMessage: 0.5, deleted: reading(60), inFlight: reading(2) });
    expect(fresh.processingRatePerTask).toBe(0.5);
  });

  it("keeps the learned rate when this minute's metrics failed, and never reports a zero or missing rate as zero", () => {
    const failed = { error: "no datapoints" };
    const learned = { deletedPerMinute: 90, inFlightAverage: 1, processingRatePerTask: 1.5 };
    const kept = estimateRates({ ...none, sent: failed, deleted: failed, inFlight: failed, learned });
    expect(kept).toEqual({ processingRatePerTask: 1.5, learned });
    expect(estimateRates({ ...none, sent: failed, deleted: failed, inFlight: failed })).toEqual({ learned: {} });
  });
});
