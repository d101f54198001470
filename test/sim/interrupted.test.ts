/** Interrupted work: what a scale-in costs when it stops busy tasks, and what task scale-in protection changes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policyNames } from "../../shared/sim/result.ts";
import { simulate } from "../../shared/sim/simulate.ts";
import { at, workloadOf, worldOf } from "./helpers.ts";

/** Four tasks, each busy from 0 s with one message of the given length; the service is cut to 1 at 10 s. */
function fourBusyCutToOne(services: number[], taskProtection: boolean, thenBackTo?: number) {
  const world = worldOf(workloadOf([0, 0, 0, 0], services, 600), { initialTasks: 4, taskProtection });
  const seen: ReturnType<typeof world.describe>[] = [];
  at(world, 10, () => {
    world.setDesiredCount(1);
    if (thenBackTo !== undefined) world.setDesiredCount(thenBackTo);
  });
  at(world, 15, () => seen.push(world.describe()));
  return { world, seen };
}

describe("a scale-in without task scale-in protection", () => {
  it("interrupts every busy task it stops: counts them, the work thrown away and the wait added", async () => {
    // 4 → 1 at 10 s stops 3 of the 4 busy tasks (each 10 s into its message); back to 4 at once, the new
    // tasks start at 40 s and take the returned messages (visible again at 0 + 30 s): 40 s extra each.
    const { world } = fourBusyCutToOne([100, 100, 100, 100], false, 4);
    const record = await world.run();
    expect(record.interruptedMessages).toBe(3);
    expect(record.lostWorkSeconds).toBe(30);
    expect(record.interruptedExtraWaitSeconds).toBeCloseTo(3 * 40, 9);
    expect(record.drainingTaskSeconds).toBe(0);
    expect(record.processed).toBe(4);
    expect(record.workSeconds).toBe(400); // the repeated work is done again in full
  });

  it("counts the extra wait of a stopped message never received again up to the end of the run", async () => {
    // 1 task, busy from 0 s; stopped at 10 s and never replaced: its message waits from 0 s to the end (600 s).
    const world = worldOf(workloadOf([0], 100, 600), { initialTasks: 1 });
    at(world, 10, () => world.setDesiredCount(0));
    const record = await world.run();
    expect(record.interruptedMessages).toBe(1);
    expect(record.interruptedExtraWaitSeconds).toBeCloseTo(600, 9);
  });

  it("counts a message stopped twice twice, and its extra wait from the first stopped start to the last start", async () => {
    // Received at 0 s, stopped at 10 s; visible at 30 s, received at 40 s by a new task; stopped at 50 s;
    // visible at 70 s, received at 80 s by the next new task (30 s startup) and done.
    const world = worldOf(workloadOf([0], 100, 600), { initialTasks: 1 });
    at(world, 10, () => {
      world.setDesiredCount(0);
      world.setDesiredCount(1);
    });
    at(world, 50, () => {
      world.setDesiredCount(0);
      world.setDesiredCount(1);
    });
    const record = await world.run();
    expect(record.interruptedMessages).toBe(2);
    expect(record.lostWorkSeconds).toBe(20);
    expect(record.interruptedExtraWaitSeconds).toBeCloseTo(80, 9);
    expect(record.waits[0]).toBeCloseTo(80, 9);
  });

  it("scores the lost work in task-seconds (÷ concurrency) and the extra wait, per policy", async () => {
    const output = await simulate({ scenario: "spike", duration: "40m", policies: ["keda", "static"] });
    const [keda, constant] = output.results;
    expect(keda!.interruptedMessages).toBeGreaterThan(0);
    expect(keda!.wastedTaskSeconds).toBeGreaterThan(0);
    expect(keda!.interruptedExtraWaitSeconds).toBeGreaterThan(0);
    // static never scales in, so it never interrupts anything.
    expect(constant).toMatchObject({ interruptedMessages: 0, wastedTaskSeconds: 0, interruptedExtraWaitSeconds: 0 });
    expect(output.settings?.taskProtection).toBe(false);
  });
});

describe("a scale-in with task scale-in protection", () => {
  it("stops no busy task: they linger above the desired count and each stops when its message is done", async () => {
    // Messages of 100, 50, 70 and 20 s; cut to 1 at 10 s: the tasks stop at 20, 50 and 70 s, as their
    // message finishes; the 100 s one keeps the service's one task.
    const { world, seen } = fourBusyCutToOne([100, 50, 70, 20], true);
    const record = await world.run();
    expect(seen).toEqual([{ desiredCount: 1, runningCount: 4, pendingCount: 0 }]);
    expect(record.interruptedMessages).toBe(0);
    expect(record.lostWorkSeconds).toBe(0);
    expect(record.processed).toBe(4);
    // Above the desired count: 3 tasks for 10 s, 2 for 30 s, 1 for 20 s.
    expect(record.drainingTaskSeconds).toBeCloseTo(3 * 10 + 2 * 30 + 1 * 20, 9);
    // Billed: three tasks to 20 s (the minute minimum), 50 s (60) and 70 s, the last to the end.
    expect(record.taskSeconds).toBe(60 + 60 + 70 + 600);
  });

  it("stops idle tasks at once, chosen before any busy one", async () => {
    // Two of four tasks busy (messages at 0 s); 4 → 2 at 10 s stops the two idle ones and nothing lingers.
    const world = worldOf(workloadOf([0, 0], 100, 300), { initialTasks: 4, taskProtection: true });
    const seen: unknown[] = [];
    at(world, 10, () => {
      world.setDesiredCount(2);
      seen.push(world.describe());
    });
    const record = await world.run();
    expect(seen).toEqual([{ desiredCount: 2, runningCount: 2, pendingCount: 0 }]);
    expect(record.interruptedMessages).toBe(0);
    expect(record.drainingTaskSeconds).toBe(0);
  });

  it("never interrupts a message, whatever the scaling (and the books still balance)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.double({ min: 0, max: 599.999, noNaN: true }), fc.double({ min: 0.01, max: 40, noNaN: true })), { maxLength: 200 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 8 })), { maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (messages, scaling, initialTasks, concurrency) => {
          messages.sort((a, b) => a[0] - b[0]);
          const world = worldOf(
            workloadOf(
              messages.map((m) => m[0]),
              messages.map((m) => m[1]),
              600,
            ),
            { initialTasks, concurrency, taskProtection: true, startup: { minSeconds: 5, maxSeconds: 60 } },
          );
          for (const [time, count] of scaling) at(world, time, () => world.setDesiredCount(count));
          const record = await world.run();
          expect(record.interruptedMessages).toBe(0);
          expect(record.interruptedExtraWaitSeconds).toBe(0);
          expect(record.drainingTaskSeconds).toBeLessThanOrEqual(record.taskSeconds);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("makes interrupted messages exactly 0 for every policy, and shows the draining task-seconds", async () => {
    const options = { scenario: "spike", duration: "40m" } as const;
    const without = await simulate(options);
    const withIt = await simulate({ ...options, taskProtection: true });
    expect(withIt.settings?.taskProtection).toBe(true);
    expect(withIt.results.map((r) => r.policy)).toEqual([...policyNames]);
    for (const r of withIt.results) {
      expect(r).toMatchObject({ interruptedMessages: 0, wastedTaskSeconds: 0, interruptedExtraWaitSeconds: 0 });
    }
    // The same run without protection interrupts work, and with it some policy pays for lingering tasks.
    expect(without.results.some((r) => r.interruptedMessages > 0)).toBe(true);
    expect(without.results.every((r) => r.drainingTaskSeconds === 0)).toBe(true);
    expect(withIt.results.some((r) => r.drainingTaskSeconds > 0)).toBe(true);
  });
});
