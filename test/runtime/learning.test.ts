/** What the runtime learns: task startup time from events, queue rates from CloudWatch. */
import { describe, expect, it } from "vitest";
import { estimateRates, queueNameOf, sqsRateQuery } from "../../shared/runtime/rates.ts";
import { ARRIVAL_WINDOW_SECONDS } from "../../shared/runtime/snapshot-arrivals.ts";
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
  /** A series read this pass: one datapoint per [value, minute]. */
  const series = (...points: [number, Date?][]) => ({ points: points.map(([value, at = minute]) => ({ value, at })) });
  const none = { deleted: undefined, inFlight: undefined, depth: undefined, anchor: undefined, now: new Date("2026-03-02T12:05:00Z"), messagesPerTask: 1, learned: {} };

  it("names the queue from its URL and asks AWS/SQS for Deleted (Sum) and NotVisible (Average) per minute", () => {
    const url = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
    expect(queueNameOf(url)).toBe("jobs");
    const asked = (["NumberOfMessagesDeleted", "ApproximateNumberOfMessagesNotVisible"] as const).map((name) => sqsRateQuery(url, name));
    expect(asked).toEqual([
      { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesDeleted", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Sum", periodSeconds: 60 },
      { kind: "stat", namespace: "AWS/SQS", name: "ApproximateNumberOfMessagesNotVisible", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Average", periodSeconds: 60 },
    ]);
  });

  it("measures arrivals from the queue snapshots, with the in-flight messages' completions at the learned rate", () => {
    // 2/s per in-flight message; a window (W s) since the anchor: 120 → 120 + W/2 in the queue, 4 → 6 in
    // flight: (W/2 + 2 · 5 · W) / W = 10.5/s.
    const W = ARRIVAL_WINDOW_SECONDS;
    const learned = { deletedPerMinute: 480, inFlightAverage: 4 };
    const anchor = { t: none.now.getTime() - W * 1000, n: 120, f: 4 };
    const rates = estimateRates({ ...none, learned, anchor, depth: { visible: 114 + W / 2, inFlight: 6, delayed: 0 } });
    expect(rates.arrivalRate).toBeCloseTo(10.5, 9);
    expect(rates.anchor).toEqual({ t: none.now.getTime(), n: 120 + W / 2, f: 6, r: 10.5 });
  });

  // Little's law: Deleted per second ÷ average in flight = what one message in processing completes per second.
  it.each([
    ["tasks busy all minute: 480 deleted over 4 in flight → 2/s", 480, 4, 1, 2],
    ["tasks half idle: the rate per message is the same, saturation is not needed", 240, 2, 1, 2],
    ["a task working on 10 messages at once does 10 × the rate per message", 600, 50, 10, 2],
    ["a receive batch of 10 held while processed one by one: NotVisible counts the batch", 120, 20, 10, 1],
  ])("learns the processing rate per task by Little's law — %s", (_name, deleted, inFlight, messagesPerTask, expected) => {
    const rates = estimateRates({ ...none, deleted: series([deleted]), inFlight: series([inFlight]), messagesPerTask });
    expect(rates.processingRatePerTask).toBeCloseTo(expected, 6);
    expect(rates.learned).toEqual({
      deletedPerMinute: deleted,
      inFlightAverage: inFlight,
      processingRatePerTask: expected,
      processingRateSampleAt: minute.toISOString(),
    });
  });

  it.each([
    ["nothing deleted", series([0]), series([3])],
    ["less than one message in flight on average", series([20]), series([0.4])],
    ["the in-flight series missing", series([480]), undefined],
    ["the in-flight read failed", series([480]), { error: "throttled" }],
    ["no datapoints in the window", series(), series()],
    ["Deleted and NotVisible from different minutes", series([480]), series([4, nextMinute])],
  ])("learns nothing from a minute that cannot tell: %s", (_name, deleted, inFlight) => {
    const rates = estimateRates({ ...none, deleted, inFlight });
    expect(rates.processingRatePerTask).toBeUndefined();
    expect(rates.learned).toEqual({});
  });

  it("learns from every minute of a batched read, oldest first, as if each had been read on its own", () => {
    const minutes = [480, 960, 240].map((d, i) => [d, new Date(minute.getTime() + i * 60_000)] as [number, Date]);
    const batched = estimateRates({ ...none, deleted: series(...minutes.slice().reverse()), inFlight: series(...minutes.map(([, at]) => [4, at] as [number, Date])) }).learned;
    let oneByOne = {};
    for (const [d, at] of minutes) oneByOne = estimateRates({ ...none, deleted: series([d, at]), inFlight: series([4, at]), learned: oneByOne }).learned;
    expect(batched).toEqual(oneByOne);
    // 480 → 480 + 0.3·(960 − 480) = 624 → 624 + 0.3·(240 − 624) = 508.8 deleted per minute over 4 in flight.
    expect(batched).toMatchObject({ deletedPerMinute: 508.8, inFlightAverage: 4, processingRateSampleAt: minutes[2]![1].toISOString() });
  });

  it("counts each CloudWatch minute once, and smooths across minutes", () => {
    const first = estimateRates({ ...none, deleted: series([480]), inFlight: series([4]) }).learned;
    const same = estimateRates({ ...none, deleted: series([480 * 3]), inFlight: series([4]), learned: first }).learned;
    expect(same).toEqual(first);
    const next = estimateRates({ ...none, deleted: series([480 * 3], [960, nextMinute]), inFlight: series([4], [4, nextMinute]), learned: first });
    expect(next.processingRatePerTask).toBeCloseTo(2 + 0.3 * (4 - 2), 6);
  });

  it("smooths Deleted and in flight separately: a quiet minute weighs as little as its traffic", () => {
    // A busy minute (600 deleted over 10 in flight: 1/s), then a quiet one with a long message (10 over 1).
    const quiet = estimateRates({ ...none, deleted: series([600], [10, nextMinute]), inFlight: series([10], [1, nextMinute]) });
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
    expect(rates).toEqual({ arrivalRate: undefined, processingRatePerTask: expected, learned: {}, anchor: undefined });
  });

  it("prefers a measured rate to the configured one, and uses a record's rate from before the smoothed counts were kept", () => {
    const rates = estimateRates({ ...none, secondsPerMessage: 0.5, learned: { deletedPerMinute: 90, inFlightAverage: 1 } });
    expect(rates.processingRatePerTask).toBe(1.5);
    const legacy = estimateRates({ ...none, secondsPerMessage: 0.5, learned: { processingRatePerTask: 1.5 } });
    expect(legacy.processingRatePerTask).toBe(1.5);
    const fresh = estimateRates({ ...none, secondsPerMessage: 0.5, deleted: series([60]), inFlight: series([2]) });
    expect(fresh.processingRatePerTask).toBe(0.5);
  });

  it("keeps the learned rate when the metrics failed, and never reports a missing rate as zero", () => {
    const failed = { error: "throttled" };
    const learned = { deletedPerMinute: 90, inFlightAverage: 1, processingRatePerTask: 1.5 };
    const kept = estimateRates({ ...none, deleted: failed, inFlight: failed, learned });
    expect(kept).toEqual({ arrivalRate: undefined, processingRatePerTask: 1.5, learned, anchor: undefined });
    expect(estimateRates({ ...none, deleted: failed, inFlight: failed })).toEqual({ learned: {}, anchor: undefined });
  });
});
