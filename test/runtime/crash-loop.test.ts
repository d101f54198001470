/** Crash-loop guard: which stops are start failures, when the guard trips and clears, and what it caps. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CrashLoopGuardSettings } from "../../shared/config/runtime-fields.ts";
import { crashLoopCap, evaluateGuard, startFailureAt, TRIPPED_QUIET_SECONDS, withFailure, withRunningTask } from "../../shared/runtime/crash-loop.ts";
import { exampleEvent } from "./fixtures.ts";

const settings: CrashLoopGuardSettings = { maxFailures: 3, windowSeconds: 600, margin: 1, minUptimeSeconds: 60 };
const t0 = new Date("2026-03-02T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

describe("startFailureAt", () => {
  it("does not count the real scale-in stop (ServiceSchedulerInitiated)", () => {
    const detail = exampleEvent("ecs-task-state-change-stopped-scale-in").detail;
    expect(startFailureAt(detail, settings, iso(0))).toBeUndefined();
  });

  it.each([
    ["TaskFailedToStart", { lastStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedAt: iso(5) }, iso(5)],
    ["an essential container that never started", { lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedAt: iso(5) }, iso(5)],
    ["an essential container that exited 20 s after starting", { lastStatus: "STOPPED", stopCode: "EssentialContainerExited", startedAt: iso(0), stoppedAt: iso(20) }, iso(20)],
    ["an essential container that ran 10 minutes (a crash, not a crash loop)", { lastStatus: "STOPPED", stopCode: "EssentialContainerExited", startedAt: iso(0), stoppedAt: iso(600) }, undefined],
    ["a user stop", { lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedAt: iso(5) }, undefined],
    ["a Spot interruption", { lastStatus: "STOPPED", stopCode: "SpotInterruption", stoppedAt: iso(5) }, undefined],
    ["an unknown stop code", { lastStatus: "STOPPED", stopCode: "SomethingNew", stoppedAt: iso(5) }, undefined],
    ["a running task", { lastStatus: "RUNNING", stopCode: "TaskFailedToStart" }, undefined],
    ["a failure without stoppedAt: the fallback time", { lastStatus: "STOPPED", stopCode: "TaskFailedToStart" }, iso(99)],
  ])("%s", (_name, detail, expected) => {
    expect(startFailureAt(detail, settings, iso(99))).toBe(expected);
  });
});

describe("evaluateGuard", () => {
  it("trips at maxFailures within the window, and says so once", () => {
    let state = withFailure(undefined, iso(0), settings, at(0));
    state = withFailure(state, iso(10), settings, at(10));
    expect(evaluateGuard(state, settings, at(10))).toMatchObject({ active: false });
    state = withFailure(state, iso(20), settings, at(20));
    const tripped = evaluateGuard(state, settings, at(20));
    expect(tripped).toMatchObject({ active: true, transition: "tripped", state: { tripped: true, since: iso(20) } });
    const again = evaluateGuard(tripped.state, settings, at(30));
    expect(again.active).toBe(true);
    expect(again.transition).toBeUndefined();
    expect(again.state?.since).toBe(iso(20));
  });

  const trippedAt20 = () => {
    let state = withFailure(undefined, iso(0), settings, at(0));
    state = withFailure(state, iso(10), settings, at(10));
    state = withFailure(state, iso(20), settings, at(20));
    return evaluateGuard(state, settings, at(20)).state;
  };

  it("stays tripped when failures age out of the window while no task runs (ECS backs off launches)", () => {
    const later = evaluateGuard(trippedAt20(), settings, at(1500));
    expect(later).toMatchObject({ active: true, state: { tripped: true, since: iso(20), recentFailures: [] } });
    expect(later.transition).toBeUndefined();
  });

  it("clears once a task started after the latest failure has run minUptimeSeconds, then forgets it all", () => {
    const running = withRunningTask(trippedAt20(), iso(100));
    expect(evaluateGuard(running, settings, at(159))).toMatchObject({ active: true });
    expect(evaluateGuard(running, settings, at(160))).toEqual({ active: false, transition: "cleared", state: undefined });
  });

  it("a task that started before the latest failure does not count as running again", () => {
    expect(withRunningTask(trippedAt20(), iso(15))).toBeUndefined();
  });

  it("a failure after the running task started cancels the clearing", () => {
    const running = withRunningTask(trippedAt20(), iso(100));
    const failedAgain = withFailure(running, iso(130), settings, at(130));
    expect(failedAgain.runningSince).toBeUndefined();
    expect(evaluateGuard(failedAgain, settings, at(400))).toMatchObject({ active: true });
  });

  it("clears by time only after an hour without any failure (a lost RUNNING event)", () => {
    expect(evaluateGuard(trippedAt20(), settings, at(20 + TRIPPED_QUIET_SECONDS - 1)).active).toBe(true);
    expect(evaluateGuard(trippedAt20(), settings, at(20 + TRIPPED_QUIET_SECONDS))).toEqual({ active: false, transition: "cleared", state: undefined });
  });

  it("forgets failures that age out while not tripped", () => {
    const state = withFailure(withFailure(undefined, iso(0), settings, at(0)), iso(10), settings, at(10));
    expect(evaluateGuard(state, settings, at(611))).toEqual({ active: false, state: undefined });
  });
});

describe("failures stamped after now (a concurrent handler's save, clock skew)", () => {
  it.each([
    ["a failure 1.5 s ahead counts", 1.5, true],
    ["a failure 5 minutes ahead counts", 300, true],
    ["a failure beyond the allowed skew is dropped", 301, false],
  ])("%s", (_name, ahead, counts) => {
    const state = { recentFailures: [iso(-100), iso(-50), iso(ahead)], tripped: false };
    expect(evaluateGuard(state, settings, at(0)).active).toBe(counts);
  });
});

describe("crashLoopCap", () => {
  it.each([
    ["caps a scale-up at running + margin", 4, 10, 2, 4],
    ["caps at running + margin above the current count", 2, 10, 3, 4],
    ["does not bite within the cap", 2, 3, 3, undefined],
    ["never scales in", 8, 5, 1, undefined],
  ])("%s", (_name, current, decided, running, expected) => {
    expect(crashLoopCap(current, decided, running, settings)).toBe(expected);
  });

  it("keeps the count between the current and the engine's (never below current, never above decided)", () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(100), fc.nat(100), fc.nat(5), (current, decided, running, margin) => {
        const capped = crashLoopCap(current, decided, running, { ...settings, margin });
        return capped === undefined || (capped >= current && capped < decided && capped >= Math.min(decided, running + margin));
      }),
    );
  });
});
