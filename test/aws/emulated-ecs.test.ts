/**
 * The emulated ECS's consistency gaps, which the fault suite relies on to exercise the runtime's
 * lost-response handling: a stale DescribeServices answers with the services as they were some
 * seconds before (counts and deployment together), and a lost-response UpdateService lands late.
 * Time is vitest's fake clock; the emulation is called directly, without the HTTP endpoint.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EmulatedEcs } from "../support/emulated-aws/ecs.ts";

const T = Date.parse("2026-03-02T12:00:00Z");
const KEY = "c0/svc0";

interface Described {
  desiredCount: number;
  runningCount: number;
  deployments: { desiredCount: number; updatedAt: number }[];
}

/** DescribeServices of svc0, fresh or stale. */
function describeSvc0(ecs: EmulatedEcs, stale: boolean): Described {
  const answer = ecs.handle("DescribeServices", { cluster: "c0", services: ["svc0"] }, { answered: true, stale });
  return (answer.body as { services: Described[] }).services[0]!;
}

function update(ecs: EmulatedEcs, desiredCount: number, answered: boolean): number {
  return ecs.handle("UpdateService", { cluster: "c0", service: "svc0", desiredCount }, { answered }).status;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T);
});
afterEach(() => vi.useRealTimers());

describe("a stale DescribeServices", () => {
  // svc0: 1 task from T, 3 from T + 10 s, 5 from T + 12 s; read at T + 14 s.
  it.each([
    { lagMs: 1_000, desired: 5, updatedAt: T + 12_000 },
    { lagMs: 2_000, desired: 5, updatedAt: T + 12_000 },
    { lagMs: 3_000, desired: 3, updatedAt: T + 10_000 },
    { lagMs: 5_000, desired: 1, updatedAt: T },
  ])("answers $lagMs ms behind with that moment's counts and deployment", ({ lagMs, desired, updatedAt }) => {
    // Prepare
    const ecs = new EmulatedEcs({ staleMs: { min: lagMs, max: lagMs } });
    ecs.put(KEY, 1);
    vi.setSystemTime(T + 10_000);
    update(ecs, 3, true);
    vi.setSystemTime(T + 12_000);
    update(ecs, 5, true);
    vi.setSystemTime(T + 14_000);
    // Act
    const stale = describeSvc0(ecs, true);
    const fresh = describeSvc0(ecs, false);
    // Assess
    expect(stale).toMatchObject({ desiredCount: desired, runningCount: desired });
    expect(stale.deployments[0]).toMatchObject({ desiredCount: desired, updatedAt: updatedAt / 1000 });
    expect(fresh).toMatchObject({ desiredCount: 5, deployments: [{ updatedAt: (T + 12_000) / 1000 }] });
    expect(ecs.lagged.staleDescribes).toBe(1);
  });

  it("reaches no further back than the oldest state it kept (the service's first, here)", () => {
    const ecs = new EmulatedEcs({ staleMs: { min: 5_000, max: 5_000 } });
    vi.setSystemTime(T + 3_000);
    ecs.put(KEY, 2);
    vi.setSystemTime(T + 4_000);
    expect(describeSvc0(ecs, true).desiredCount).toBe(2);
  });
});

describe("a lost-response UpdateService", () => {
  it("is accepted at once and lands after the drawn delay, logged as unanswered with its landing time", async () => {
    // Prepare
    const ecs = new EmulatedEcs({ lateLandingMs: { min: 2_000, max: 2_000 } });
    ecs.put(KEY, 1);
    // Act
    const status = update(ecs, 4, false);
    const before = { applied: ecs.applied.length, desired: describeSvc0(ecs, false).desiredCount };
    const settled = ecs.settled();
    await vi.advanceTimersByTimeAsync(2_000);
    await settled;
    // Assess
    expect(status).toBe(200);
    expect(before).toEqual({ applied: 0, desired: 1 });
    expect(ecs.applied).toEqual([{ key: KEY, desiredCount: 4, from: 1, at: T + 2_000, answered: false }]);
    expect(describeSvc0(ecs, false).desiredCount).toBe(4);
    expect(ecs.lagged.lateLandings).toBe(1);
  });

  it.each([
    { name: "an answered call", answered: true, lateLandingMs: { min: 2_000, max: 2_000 } },
    { name: "a lost response with no delay configured", answered: false, lateLandingMs: { min: 0, max: 0 } },
  ])("$name lands at once", ({ answered, lateLandingMs }) => {
    const ecs = new EmulatedEcs({ lateLandingMs });
    ecs.put(KEY, 1);
    update(ecs, 4, answered);
    expect(ecs.applied).toEqual([{ key: KEY, desiredCount: 4, from: 1, at: T, answered }]);
  });

  it("is dropped, not applied, when the account closes first", async () => {
    const ecs = new EmulatedEcs({ lateLandingMs: { min: 2_000, max: 2_000 } });
    ecs.put(KEY, 1);
    update(ecs, 4, false);
    ecs.close();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ecs.applied).toEqual([]);
  });
});
