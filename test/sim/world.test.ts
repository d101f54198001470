/** The virtual-time world: conservation, billing, startup delay, visibility timeout, stale approximate counts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simMetricNames } from "../../shared/sim/cloudwatch.ts";
import { SimMetrics } from "../../shared/sim/ports.ts";
import { at, workloadOf, worldOf } from "./helpers.ts";

describe("world invariants", () => {
  it("conserves messages: every arrival is processed, waiting, in flight or returning — whatever the scaling", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.double({ min: 0, max: 599.999, noNaN: true }), fc.double({ min: 0.01, max: 40, noNaN: true })), { maxLength: 200 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 8 })), { maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        async (messages, scaling, initialTasks) => {
          messages.sort((a, b) => a[0] - b[0]);
          const world = worldOf(
            workloadOf(
              messages.map((m) => m[0]),
              messages.map((m) => m[1]),
              600,
            ),
            { initialTasks, startup: { minSeconds: 5, maxSeconds: 60 }, attributeStalenessSeconds: 5, attributeError: 0.05 },
          );
          for (const [time, count] of scaling) at(world, time, () => world.setDesiredCount(count));
          // run() throws when the books do not balance; check them here as well.
          const record = await world.run();
          expect(record.arrived).toBe(messages.length);
          expect(record.processed + record.left.visible + record.left.inFlight + record.left.returning).toBe(messages.length);
          expect(record.waits.length + record.pendingAges.length).toBe(messages.length);
          expect(record.workSeconds).toBeLessThanOrEqual(record.taskSeconds + 1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("bills each task per second from launch to stop, with a one-minute minimum", async () => {
    const world = worldOf(workloadOf([], 1, 600));
    at(world, 10, () => world.setDesiredCount(2)); // two tasks launched at 10 s
    at(world, 20, () => world.setDesiredCount(1)); // one stopped 10 s later, still pending: billed 60 s
    at(world, 200.5, () => world.setDesiredCount(0)); // the other stopped after 190.5 s: billed 191 s
    const record = await world.run();
    expect(record.taskSeconds).toBe(60 + 191);
    expect(record.tasksLaunched).toBe(2);
    expect(record.updateServiceCalls).toBe(3);
  });

  it("bills tasks still running at the end up to the end", async () => {
    const world = worldOf(workloadOf([], 1, 300), { initialTasks: 3 });
    expect((await world.run()).taskSeconds).toBe(900);
  });

  it("a launched task works only after its startup delay, drawn within the configured range", async () => {
    const world = worldOf(workloadOf([0], 5, 300), { startup: { minSeconds: 40, maxSeconds: 70 } });
    at(world, 0, () => world.setDesiredCount(1));
    let runningAt: number | undefined;
    world.onTaskRunning((task) => {
      runningAt = task.startedAt;
      expect(task.createdAt).toBe(0);
    });
    const record = await world.run();
    expect(runningAt).toBeGreaterThanOrEqual(40);
    expect(runningAt).toBeLessThanOrEqual(70);
    expect(record.waits[0]).toBeCloseTo(runningAt!, 9); // the message waited exactly until the task started
    expect(record.processed).toBe(1);
  });

  it("describes pending and running tasks the way DescribeServices does", async () => {
    const world = worldOf(workloadOf([], 1, 100));
    const seen: unknown[] = [];
    at(world, 0, () => world.setDesiredCount(3));
    at(world, 10, () => seen.push(world.describe()));
    at(world, 31, () => seen.push(world.describe()));
    await world.run();
    expect(seen).toEqual([
      { desiredCount: 3, runningCount: 0, pendingCount: 3 },
      { desiredCount: 3, runningCount: 3, pendingCount: 0 },
    ]);
  });

  it("a task stopped mid-message returns the message to the queue after the visibility timeout, not before", async () => {
    // One task busy with a 100 s message received at 0; stopped at 10 s; a new task is running from 40 s.
    const world = worldOf(workloadOf([0], 100, 600), { initialTasks: 1, visibilityTimeoutSeconds: 30 });
    const depths: Record<number, unknown> = {};
    at(world, 10, () => {
      world.setDesiredCount(0);
      world.setDesiredCount(1);
    });
    for (const t of [20, 29, 31]) at(world, t, () => (depths[t] = world.approximateDepth()));
    const record = await world.run();
    expect(depths[20]).toEqual({ visible: 0, inFlight: 1, delayed: 0 }); // still invisible
    expect(depths[29]).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(depths[31]).toEqual({ visible: 1, inFlight: 0, delayed: 0 }); // visible again at 0 + 30 s
    // The replacement task starts at 10 + 30 s and processes it: its wait counts from arrival to that start.
    expect(record.processed).toBe(1);
    expect(record.waits[0]).toBeCloseTo(40, 9);
    expect(record.workSeconds).toBe(100);
  });

  it("scale-in stops pending tasks before running ones", async () => {
    const world = worldOf(workloadOf([], 1, 200), { initialTasks: 2 });
    const seen: unknown[] = [];
    at(world, 5, () => world.setDesiredCount(4));
    at(world, 6, () => {
      world.setDesiredCount(2);
      seen.push(world.describe());
    });
    await world.run();
    expect(seen).toEqual([{ desiredCount: 2, runningCount: 2, pendingCount: 0 }]);
  });

  it("GetQueueAttributes answers from a few seconds ago", async () => {
    // 10 messages arrive at 100 s and no task runs: the queue jumps from 0 to 10.
    const world = worldOf(workloadOf(Array(10).fill(100), 1, 300), { attributeStalenessSeconds: 5 });
    const seen: number[] = [];
    for (let t = 100; t <= 106; t++) at(world, t + 0.5, () => seen.push(world.approximateDepth().visible));
    await world.run();
    expect(seen[0]).toBeLessThanOrEqual(10);
    expect(seen[6]).toBe(10); // 6.5 s later the 5 s staleness has passed
    expect(seen.some((v) => v === 0)).toBe(true); // some reads still show the queue before the arrivals
  });

  it("publishes one-minute CloudWatch datapoints only after their delay", async () => {
    const world = worldOf(workloadOf([10, 20, 30, 70], 1, 600), { initialTasks: 1, metricDelaySeconds: 60 });
    const seen: Record<string, unknown> = {};
    at(world, 119, () => (seen.early = world.cloudwatch.latest(simMetricNames.sent, "Sum", 60, world.now)));
    at(world, 120, () => (seen.minute0 = world.cloudwatch.latest(simMetricNames.sent, "Sum", 60, world.now)));
    at(world, 180, () => (seen.minute1 = world.cloudwatch.latest(simMetricNames.sent, "Sum", 60, world.now)));
    at(world, 180, () => (seen.running = world.cloudwatch.latest(simMetricNames.runningTasks, "Average", 60, world.now)));
    await world.run();
    expect(seen.early).toBeUndefined();
    expect(seen.minute0).toEqual({ value: 3, minute: 0 });
    expect(seen.minute1).toEqual({ value: 1, minute: 1 });
    expect(seen.running).toEqual({ value: 1, minute: 1 });
  });

  it("publishes NotVisible as the minute's time average, next to the minute's Deleted count", async () => {
    // One task; messages of 10 s at 0, 10 and 20 s, and one of 25 s at 45 s that spans two minutes.
    const world = worldOf(workloadOf([0, 10, 20, 45], [10, 10, 10, 25], 300), { initialTasks: 1, metricDelaySeconds: 0 });
    const seen: Record<string, number | undefined> = {};
    at(world, 121, () => {
      for (const minute of [0, 1]) {
        seen[`inFlight${minute}`] = world.cloudwatch.datapoint(simMetricNames.notVisible, "Average", 60, minute, world.now);
        seen[`deleted${minute}`] = world.cloudwatch.datapoint(simMetricNames.deleted, "Sum", 60, minute, world.now);
      }
    });
    await world.run();
    // Minute 0: in flight 0–30 s and 45–60 s = 45 s of 60 (a sample at the minute's end would say 1).
    expect(seen).toEqual({ inFlight0: 0.75, deleted0: 3, inFlight1: 10 / 60, deleted1: 1 });
  });

  it("publishes AWS/SQS minutes with the approximate counts' error (±2%), seeded", async () => {
    // 1000 messages a minute for five minutes, no tasks: Sent 1000 a minute and Visible 1000, 2000, …
    // at each minute's end, each published off by up to 2% (and sometimes by less than one message).
    const arrivals = Array.from({ length: 5000 }, (_, i) => i * 0.06);
    const read = async () => {
      const world = worldOf(workloadOf(arrivals, 1, 360), { attributeError: 0.02, metricDelaySeconds: 0 });
      const seen: { sent: number[]; visible: number[] } = { sent: [], visible: [] };
      at(world, 301, () => {
        for (let minute = 0; minute < 5; minute++) {
          seen.sent.push(world.cloudwatch.datapoint(simMetricNames.sent, "Sum", 60, minute, world.now)!);
          seen.visible.push(world.cloudwatch.datapoint(simMetricNames.visible, "Average", 60, minute, world.now)!);
        }
      });
      await world.run();
      return seen;
    };
    const seen = await read();
    const exact = { sent: [1000, 1000, 1000, 1000, 1000], visible: [1000, 2000, 3000, 4000, 5000] };
    for (const key of ["sent", "visible"] as const) {
      expect(seen[key]).not.toEqual(exact[key]);
      seen[key].forEach((v, i) => {
        expect(Number.isInteger(v)).toBe(true);
        expect(Math.abs(v - exact[key][i]!)).toBeLessThanOrEqual(0.02 * exact[key][i]!);
      });
    }
    expect(await read()).toEqual(seen);
  });
});

describe("reaction time", () => {
  it.each([
    // calls (time, count) with the burst at 100 s and 10 tasks before it → reaction
    ["the first rise after the burst", [[120, 14]], 20],
    [
      "a rise back after a mid-burst drop is not a reaction until above the count at the burst",
      [
        [150, 2],
        [200, 6],
        [400, 12],
      ],
      300,
    ],
    [
      "a policy that never rises above the count it had at the burst has none",
      [
        [150, 2],
        [200, 10],
      ],
      null,
    ],
    [
      "a rise before the burst does not count; the count it set is the one in force",
      [
        [50, 20],
        [150, 15],
        [160, 21],
      ],
      60,
    ],
  ] as const)("%s", async (_, calls, reaction) => {
    const world = worldOf(workloadOf([], 1, 600), { initialTasks: 10, burstAt: 100 });
    for (const [time, count] of calls) at(world, time, () => world.setDesiredCount(count));
    const record = await world.run();
    expect(record.reactionSeconds).toBe(reaction);
  });
});

describe("the simulated CloudWatch as the runtime reads it", () => {
  it.each([
    { period: 60, start: 8 },
    { period: 300, start: 4 },
  ])("a $period s datapoint is stamped with the start of its period (minute $start), as CloudWatch stamps it", async ({ period, start }) => {
    const world = worldOf(workloadOf([10, 70, 130], 1, 900));
    const metrics = new SimMetrics(world);
    let reading: unknown;
    at(world, 600, async () => {
      const query = { kind: "stat" as const, namespace: "AWS/SQS", name: "NumberOfMessagesSent", dimensions: [], stat: "Sum", periodSeconds: period };
      reading = (await metrics.latest([{ id: "sent", query }], world.date(600))).get("sent");
    });
    await world.run();
    expect(reading).toMatchObject({ at: world.date(start * 60) });
  });
});
