/** Crash-loop guard: which stops are start failures, when the guard trips and clears, and what it caps. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CrashLoopGuardSettings } from "../../shared/config/runtime-settings.ts";
import { crashLoopCap, evaluateGuard, startFailureAt, withFailure } from "../../shared/runtime/crash-loop.ts";
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

  it("clears once failures age out of the window, then forgets them", () => {
    let state = withFailure(undefined, iso(0), settings, at(0));
    state = withFailure(state, iso(10), settings, at(10));
    state = withFailure(state, iso(20), settings, at(20));
    const tripped = evaluateGuard(state, settings, at(20)).state;
    expect(evaluateGuard(tripped, settings, at(605))).toMatchObject({ active: false, transition: "cleared", state: { tripped: false } });
    expect(evaluateGuard(tripped, settings, at(621))).toEqual({ active: false, transition: "cleared", state: undefined });
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
