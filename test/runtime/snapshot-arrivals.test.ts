/**
 * Arrivals from the GetQueueAttributes snapshots: Δ(visible + in flight + delayed) plus what the
 * in-flight messages completed, over a window from the record's anchor, which is replaced about once
 * a minute; and when the AWS/SQS rate metrics are read (every few minutes, every minute since the
 * last sample).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ArrivalAnchor } from "../../shared/ports/state-store.ts";
import { afterRateRead, RATE_LOOKBACK_SECONDS, RATE_READ_INTERVAL_SECONDS, RATE_RETRY_SECONDS, rateReadDue, rateReadSince } from "../../shared/runtime/rate-reads.ts";
import { ARRIVAL_WINDOW_SECONDS, MAX_WINDOW_SECONDS, snapshotArrivals, windowArrivalRate } from "../../shared/runtime/snapshot-arrivals.ts";

const T0 = Date.parse("2026-03-02T12:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const depth = (visible: number, inFlight: number, delayed = 0) => ({ visible, inFlight, delayed });

describe("the arrival rate over one window", () => {
  it.each([
    // name, from {n, f}, to {n, f}, seconds, μ per message, expected msg/s
    ["steady: nothing changes, arrivals = completions = 10 in flight × 0.5/s", [110, 10], [110, 10], 60, 0.5, 5],
    ["a growing backlog adds its growth: (+120 + 10 × 0.5 × 60) / 60", [110, 10], [230, 10], 60, 0.5, 7],
    ["a draining backlog: (−240 + 10 × 0.5 × 60) / 60", [400, 10], [160, 10], 60, 0.5, 1],
    ["in flight ramping 4 → 12 counts its mean 8: (+8 + 8 × 1 × 30) / 30", [4, 4], [12, 12], 30, 1, 248 / 30],
    ["more left than in-flight completions explain (a purge, messages expiring): 0, never negative", [500, 2], [0, 0], 60, 1, 0],
  ])("%s", (_name, [n0, f0], [n1, f1], seconds, mu, expected) => {
    expect(windowArrivalRate({ n: n0!, f: f0! }, { n: n1!, f: f1! }, seconds, mu)).toBeCloseTo(expected, 9);
  });

  it("is exactly the arrivals of a fluid queue, whatever the numbers (Little's law with a constant in-flight count)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        (waiting, inFlight, mu, arrivals, seconds) => {
          // In flight constant: completions mu·inFlight per second; the visible count moves by the rest.
          const grown = (arrivals - mu * inFlight) * seconds;
          fc.pre(waiting + grown >= 0);
          const from = { n: waiting + inFlight, f: inFlight };
          const to = { n: waiting + inFlight + grown, f: inFlight };
          expect(windowArrivalRate(from, to, seconds, mu)).toBeCloseTo(arrivals, 6);
        },
      ),
    );
  });
});

describe("snapshot arrivals across passes", () => {
  const W = ARRIVAL_WINDOW_SECONDS;
  const anchor: ArrivalAnchor = { t: T0, n: 110, f: 10, r: 4 };
  const mu = 0.5;

  it.each([
    // name, anchor, snapshot, seconds since the anchor, expected rate, expected anchor kept
    ["no anchor yet: this snapshot becomes one, no rate", undefined, depth(100, 10), 0, undefined, { t: T0, n: 110, f: 10 }],
    ["10 s into the window: the anchor's rate weighs (W − 10) / W, the 10 s since 10 / W, at (12 + 5 × 10) / 10 = 6.2/s", anchor, depth(112, 10), 10, 4 * (1 - 10 / W) + 6.2 * (10 / W), anchor],
    ["the window ended: the rate over it, (W + 5 × W) / W = 6, and this snapshot is the anchor", anchor, depth(100 + W, 10), W, 6, { t: T0 + W * 1000, n: 110 + W, f: 10, r: 6 }],
    ["delayed messages count as in the queue", anchor, depth(100, 10, W), W, 6, { t: T0 + W * 1000, n: 110 + W, f: 10, r: 6 }],
    [
      "a window longer than the longest (passes missed): a fresh anchor, no rate",
      anchor,
      depth(160, 10),
      MAX_WINDOW_SECONDS + 1,
      undefined,
      { t: T0 + (MAX_WINDOW_SECONDS + 1) * 1000, n: 170, f: 10 },
    ],
  ])("%s", (_name, kept, snapshot, seconds, rate, nextAnchor) => {
    const result = snapshotArrivals({ anchor: kept, depth: snapshot, now: at(seconds), completionRatePerMessage: mu });
    if (rate === undefined) expect(result.arrivalRate).toBeUndefined();
    else expect(result.arrivalRate).toBeCloseTo(rate, 9);
    expect(result.anchor).toEqual(nextAnchor);
  });

  it.each([
    ["the queue not read this pass: no rate, the anchor kept", { anchor, depth: undefined, now: at(W), completionRatePerMessage: mu }, anchor],
    [
      "no processing rate to count completions with: no rate, the anchor replaced on time",
      { anchor, depth: depth(160, 10), now: at(W), completionRatePerMessage: undefined },
      { t: T0 + W * 1000, n: 170, f: 10 },
    ],
    [
      "an anchor without a rate and a partial window under 30 s: no rate yet",
      { anchor: { t: T0, n: 110, f: 10 }, depth: depth(160, 10), now: at(20), completionRatePerMessage: mu },
      { t: T0, n: 110, f: 10 },
    ],
    ["an anchor dated ahead of now (another evaluator's clock): a fresh anchor", { anchor, depth: depth(160, 10), now: at(-5), completionRatePerMessage: mu }, { t: T0 - 5000, n: 170, f: 10 }],
  ])("no rate, never zero: %s", (_name, input, nextAnchor) => {
    const result = snapshotArrivals(input);
    expect(result.arrivalRate).toBeUndefined();
    expect(result.anchor).toEqual(nextAnchor);
  });

  it("gives a rate on a partial window of 30 s or more when the anchor has none: (+20 + 10 × 0.5 × 40) / 40", () => {
    const result = snapshotArrivals({ anchor: { t: T0, n: 110, f: 10 }, depth: depth(120, 10), now: at(40), completionRatePerMessage: mu });
    expect(result.arrivalRate).toBeCloseTo(5.5, 9);
  });

  it("changes the record once a window at a 10 s cadence, not every pass, and measures a steady queue exactly", () => {
    let kept: ArrivalAnchor | undefined;
    const changes: number[] = [];
    for (let s = 0; s <= 10 * W; s += 10) {
      const result = snapshotArrivals({ anchor: kept, depth: depth(100, 10), now: at(s), completionRatePerMessage: mu });
      if (JSON.stringify(result.anchor) !== JSON.stringify(kept)) changes.push(s);
      if (s >= ARRIVAL_WINDOW_SECONDS) expect(result.arrivalRate).toBeCloseTo(5, 9);
      kept = result.anchor;
    }
    expect(changes).toEqual(Array.from({ length: 11 }, (_, i) => i * W));
  });
});

describe("when the rate metrics are read", () => {
  const now = at(0);
  const ago = (seconds: number) => new Date(T0 - seconds * 1000).toISOString();

  it.each([
    ["never read", {}, true],
    ["read just now", { ratesReadAt: ago(0) }, false],
    ["read an interval less a second ago", { ratesReadAt: ago(RATE_READ_INTERVAL_SECONDS - 1) }, false],
    ["read an interval ago", { ratesReadAt: ago(RATE_READ_INTERVAL_SECONDS) }, true],
    ["stamped ahead of now (another evaluator's clock)", { ratesReadAt: new Date(T0 + 5000).toISOString() }, false],
  ])("due: %s → %s", (_name, learned, due) => {
    expect(rateReadDue(learned, now)).toBe(due);
  });

  it.each([
    ["never sampled: 30 minutes back, on a minute", {}, new Date(T0 - RATE_LOOKBACK_SECONDS * 1000)],
    ["last sample the minute of 11:52: from 11:53", { processingRateSampleAt: "2026-03-02T11:52:00.000Z" }, new Date("2026-03-02T11:53:00.000Z")],
    ["last sample two hours ago: no further back than 30 minutes", { processingRateSampleAt: "2026-03-02T10:00:00.000Z" }, new Date(T0 - RATE_LOOKBACK_SECONDS * 1000)],
  ])("since: %s", (_name, learned, since) => {
    expect(rateReadSince(learned, now)).toEqual(since);
  });

  it.each([
    ["not read this pass: unchanged", undefined, undefined, {}],
    ["read (even with no datapoints): now", { points: [] }, { points: [] }, { ratesReadAt: now.toISOString() }],
    ["a series failed: due again a minute from now", { points: [] }, { error: "throttled" }, { ratesReadAt: ago(RATE_READ_INTERVAL_SECONDS - RATE_RETRY_SECONDS) }],
  ])("after the pass: %s", (_name, deleted, inFlight, learned) => {
    const next = afterRateRead({}, deleted, inFlight, now);
    expect(next).toEqual(learned);
    if (deleted?.points && inFlight && "error" in inFlight) expect(rateReadDue(next, new Date(T0 + RATE_RETRY_SECONDS * 1000))).toBe(true);
  });
});
