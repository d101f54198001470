/**
 * Per-minute metrics are read once per new datapoint: the carried datapoint answers every pass until a
 * newer one can have been published, and the answers are those a read every pass would have given.
 */
import { describe, expect, it } from "vitest";
import type { MetricReading, MetricRequest, MetricStatQuery, MetricsPort } from "../../shared/ports/metrics.ts";
import type { CarriedReading } from "../../shared/ports/state-store.ts";
import { carryReading, MISSING_GRACE_SECONDS, queryFingerprint, readingOf, stillCurrent } from "../../shared/runtime/metric-carry.ts";

const query: MetricStatQuery = { kind: "stat", namespace: "AWS/SQS", name: "NumberOfMessagesSent", dimensions: [{ name: "QueueName", value: "jobs" }], stat: "Sum", periodSeconds: 60 };
const minute = 60_000;

/** CloudWatch with a steady publication delay: the datapoint of minute m (stamped m·60 s) is visible from (m + 1)·60 s + delay. */
function cloudwatch(delaySeconds: number): MetricsPort & { requested: number } {
  const port = {
    requested: 0,
    async latest(requests: readonly MetricRequest[], now: Date) {
      port.requested += requests.length;
      const m = Math.floor((now.getTime() - delaySeconds * 1000) / minute) - 1;
      return new Map<string, MetricReading>(requests.map((r) => [r.id, m < 0 ? { error: "no datapoints" } : { value: m * 10, at: new Date(m * minute) }]));
    },
    async series(): Promise<never> {
      throw new Error("not read as a series here");
    },
  };
  return port;
}

/** Passes every `interval` s for `minutes`, carrying as the runtime does; each answer checked against a direct read. */
async function run(interval: number, delaySeconds: number, minutes: number): Promise<number> {
  const carried = cloudwatch(delaySeconds);
  const direct = cloudwatch(delaySeconds);
  const request = { id: "sent", query };
  let kept: CarriedReading | undefined;
  for (let t = 0; t < minutes * minute; t += interval * 1000) {
    const now = new Date(t);
    const truth = (await direct.latest([request], now)).get("sent")!;
    let answer: MetricReading;
    if (stillCurrent(kept, query, now)) answer = readingOf(kept!);
    else {
      answer = (await carried.latest([request], now)).get("sent")!;
      kept = carryReading(kept, query, answer, now);
    }
    if ("error" in truth) expect(answer, `at ${t / 1000} s`).toHaveProperty("error");
    else expect(answer, `at ${t / 1000} s`).toEqual(truth);
  }
  return carried.requested;
}

describe("carrying per-minute metrics across passes", () => {
  it.each([
    { interval: 10, delay: 60 },
    { interval: 10, delay: 45 },
    { interval: 7, delay: 60 },
    { interval: 15, delay: 3 },
    { interval: 60, delay: 60 },
  ])("every $interval s with a $delay s delay: each pass gets what a read would, about one read a minute", async ({ interval, delay }) => {
    const minutes = 120;
    const reads = await run(interval, delay, minutes);
    // The first minutes have no datapoint yet (read every pass), then one read per new minute.
    expect(reads).toBeLessThan(minutes * 1.25);
  });

  it("reads afresh when the query changes (another queue, statistic or period)", () => {
    const kept = carryReading(undefined, query, { value: 1, at: new Date(0) }, new Date(70_000))!;
    expect(stillCurrent(kept, query, new Date(80_000))).toBe(true);
    expect(stillCurrent(kept, { ...query, stat: "Average" }, new Date(80_000))).toBe(false);
    expect(queryFingerprint({ ...query, periodSeconds: 300 })).not.toBe(kept.q);
  });

  it("reads a metric without datapoints every pass for the grace period, then once a period", () => {
    const at = (s: number) => new Date(s * 1000);
    let kept = carryReading(undefined, query, { error: "no datapoints" }, at(0));
    const reads = [0];
    for (let s = 10; s <= 900; s += 10) {
      if (stillCurrent(kept, query, at(s))) {
        expect(readingOf(kept!)).toEqual({ error: "no datapoints since 1970-01-01T00:00:00.000Z (read again once a period)" });
        continue;
      }
      reads.push(s);
      kept = carryReading(kept, query, { error: "no datapoints" }, at(s));
    }
    expect(reads.filter((s) => s < MISSING_GRACE_SECONDS)).toHaveLength(MISSING_GRACE_SECONDS / 10);
    expect(reads.filter((s) => s >= MISSING_GRACE_SECONDS)).toEqual([650, 710, 770, 830, 890]);
    // The first datapoint after the gap replaces the gap.
    expect(carryReading(kept, query, { value: 3, at: at(840) }, at(960))).toEqual({ q: kept!.q, v: 3, t: 840_000, r: 960_000 });
  });
});
