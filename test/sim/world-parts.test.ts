/** The world's parts on their own, with hand-worked inputs: queue order, reaction time, stale attributes. */
import { describe, expect, it } from "vitest";
import { MessageRing } from "../../shared/sim/queue.ts";
import { ReactionTimer } from "../../shared/sim/reaction.ts";
import { Rng } from "../../shared/sim/rng.ts";
import { AttributeSnapshots } from "../../shared/sim/sqs-attributes.ts";

describe("MessageRing", () => {
  it("hands out arrivals first in, first out, and a returned message before the others, across the wrap", () => {
    const ring = new MessageRing(3); // the world sizes it for every message of the run
    ring.pushBack(1);
    ring.pushBack(2);
    expect(ring.popFront()).toBe(1);
    ring.pushBack(3);
    expect(ring.popFront()).toBe(2);
    ring.pushFront(2); // visible again: in front of 3
    ring.pushBack(4); // wraps to slot 0
    expect(ring.size).toBe(3);
    expect(ring.peekFront()).toBe(2);
    expect([ring.popFront(), ring.popFront(), ring.popFront()]).toEqual([2, 3, 4]);
    expect(ring.size).toBe(0);
  });
});

describe("ReactionTimer", () => {
  it.each([
    ["no burst: never a reaction", null, [[100, 1, 5]], null],
    ["a rise before the burst does not count", 60, [[30, 1, 5]], null],
    ["a call at the burst instant itself does not count (strictly after)", 60, [[60, 1, 5]], null],
    ["the first rise above the count at the burst, 15 s after it", 60, [[75, 2, 3]], 15],
    [
      "a drop after the burst then a climb back to the count at the burst is no reaction",
      60,
      [
        [70, 4, 2],
        [80, 2, 4],
      ],
      null,
    ],
    [
      "…and the first rise above it is",
      60,
      [
        [70, 4, 2],
        [80, 2, 4],
        [95, 4, 5],
      ],
      35,
    ],
    [
      "the count at the burst is the one before the first call after it",
      60,
      [
        [30, 1, 3],
        [90, 3, 3],
        [100, 3, 4],
      ],
      40,
    ],
    [
      "later rises do not move the reaction",
      60,
      [
        [75, 2, 3],
        [200, 3, 9],
      ],
      15,
    ],
  ] as const)("%s", (_name, burstAt, calls, expected) => {
    const timer = new ReactionTimer(burstAt);
    for (const [now, current, count] of calls) timer.onUpdate(now, current, count);
    expect(timer.seconds).toBe(expected);
  });
});

describe("AttributeSnapshots", () => {
  it("without staleness or error, a read is the count recorded for the current second", () => {
    const snapshots = new AttributeSnapshots(0, 0, new Rng(1, "test"));
    snapshots.recordUpTo(2, 7, 3); // seconds 0, 1, 2
    snapshots.recordUpTo(5, 9, 0); // seconds 3, 4, 5
    expect(snapshots.read(2.5)).toEqual({ visible: 7, inFlight: 3, delayed: 0 });
    expect(snapshots.read(5)).toEqual({ visible: 9, inFlight: 0, delayed: 0 });
    expect(snapshots.read(8)).toEqual({ visible: 9, inFlight: 0, delayed: 0 }); // not yet recorded: the newest second
  });

  it("with an error of 10%, a count of 100 reads within 90–110 and 0 stays 0", () => {
    const snapshots = new AttributeSnapshots(0, 0.1, new Rng(1, "test"));
    snapshots.recordUpTo(0, 100, 0);
    const reads = Array.from({ length: 200 }, () => snapshots.read(0));
    expect(reads.every((r) => r.visible >= 90 && r.visible <= 110 && r.inFlight === 0)).toBe(true);
    expect(new Set(reads.map((r) => r.visible)).size).toBeGreaterThan(5);
  });
});
