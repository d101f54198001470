/** Spot / on-demand split and the life of a shift: pure rules, with property tests for the invariants. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  effectiveCoolOff,
  isSpotCapacityShortage,
  isSpotInterruption,
  markSteady,
  observeSpot,
  pairCount,
  type SpotState,
  shiftToOnDemand,
  shortageTarget,
  splitSpot,
} from "../../shared/runtime/spot.ts";

const t0 = new Date("2026-03-02T12:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("splitSpot", () => {
  it.each([
    ["no shift: all on Spot", 10, undefined, 10, { spot: 10, onDemand: 0 }],
    ["3 shifted: on-demand runs them", 10, { shiftedTasks: 3, since: t0.toISOString() }, 7, { spot: 7, onDemand: 3 }],
    ["total below the shift: on-demand runs the total", 2, { shiftedTasks: 3, since: t0.toISOString() }, 0, { spot: 0, onDemand: 2 }],
    ["zero total", 0, { shiftedTasks: 3, since: t0.toISOString() }, 0, { spot: 0, onDemand: 0 }],
    ["returning: Spot asked for all, on-demand covers what Spot does not run yet", 10, { shiftedTasks: 3, since: t0.toISOString(), returningSince: t0.toISOString() }, 8, { spot: 10, onDemand: 2 }],
  ] as const)("%s", (_name, total, state, spotRunning, expected) => {
    expect(splitSpot(total, state as SpotState | undefined, spotRunning)).toEqual(expected);
  });

  it("outside a return, Spot + on-demand is exactly the total and on-demand never exceeds the shift", () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), fc.nat(200), (total, shifted, running) => {
        const split = splitSpot(total, { shiftedTasks: shifted, since: t0.toISOString() }, running);
        return split.spot + split.onDemand === total && split.onDemand <= shifted && split.spot >= 0 && split.onDemand >= 0;
      }),
    );
  });

  it("while returning, Spot is asked for the total and the pair never runs fewer than the total", () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), fc.nat(200), (total, shifted, spotRunning) => {
        const state = { shiftedTasks: shifted, since: t0.toISOString(), returningSince: t0.toISOString() };
        const split = splitSpot(total, state, spotRunning);
        const covered = Math.min(spotRunning, total) + split.onDemand;
        return split.spot === total && split.onDemand <= shifted && (covered >= total || split.onDemand === shifted);
      }),
    );
  });
});

describe("pairCount", () => {
  const since = t0.toISOString();
  it.each([
    ["no Spot state: the sum of desired counts", undefined, 6, 4, 10],
    ["no remembered total (an older record): the sum", { shiftedTasks: 3, since }, 7, 3, 10],
    ["returning with an overlap: the last decided total, not Spot's total plus on-demand's overlap", { shiftedTasks: 5, since, returningSince: since, total: 10 }, 10, 5, 10],
    ["a raise that did not land: the lower sum", { shiftedTasks: 3, since, total: 12 }, 7, 3, 10],
    ["returning in a record without a total: what Spot is asked for", { shiftedTasks: 5, since, returningSince: since }, 10, 5, 10],
  ] as const)("%s", (_name, state, spotDesired, onDemandDesired, expected) => {
    expect(pairCount(state as SpotState | undefined, spotDesired, onDemandDesired)).toBe(expected);
  });
});

describe("shortageTarget", () => {
  const since = t0.toISOString();
  it.each([
    ["no shift yet: what Spot neither runs nor starts", undefined, { desired: 10, running: 4, pending: 0 }, 10, 6],
    ["pending tasks are not missing", undefined, { desired: 10, running: 4, pending: 2 }, 10, 4],
    ["the same shortage reported again after the shift: no more than already shifted", { shiftedTasks: 6, since }, { desired: 4, running: 4, pending: 0 }, 10, 6],
    ["returning, Spot runs 5 and on-demand covers 5: the 5 running Spot tasks stay", { shiftedTasks: 5, since, returningSince: since, total: 10 }, { desired: 10, running: 5, pending: 0 }, 10, 5],
    ["never more than the total", undefined, { desired: 3, running: 0, pending: 0 }, 2, 2],
  ] as const)("%s", (_name, state, spot, total, expected) => {
    expect(shortageTarget(state as SpotState | undefined, spot, total)).toBe(expected);
  });
});

describe("a shift's life", () => {
  const coolOff = 300;

  it("shifts the missing tasks at once, capped at the pair's total", () => {
    expect(shiftToOnDemand(undefined, 3, 10, t0)).toEqual({ shiftedTasks: 3, since: t0.toISOString(), total: 10 });
    expect(shiftToOnDemand({ shiftedTasks: 8, since: t0.toISOString() }, 5, 10, at(5))).toEqual({ shiftedTasks: 10, since: t0.toISOString(), total: 10 });
    expect(shiftToOnDemand(undefined, 3, 0, t0)).toBeUndefined();
  });

  it("starts the cool-off when Spot runs all it is asked for, returns after it, and ends when Spot runs the total", () => {
    let state = shiftToOnDemand(undefined, 3, 10, t0);
    // Spot runs its 7: steady from now.
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(10));
    expect(state).toMatchObject({ shiftedTasks: 3, steadySince: at(10).toISOString() });
    expect(state?.returningSince).toBeUndefined();
    // Not yet cooled off.
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(300));
    expect(state?.returningSince).toBeUndefined();
    // Cooled off: return begins.
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(310));
    expect(state?.returningSince).toBe(at(310).toISOString());
    expect(splitSpot(10, state, 7)).toEqual({ spot: 10, onDemand: 3 });
    // Spot tasks come up: on-demand shrinks with them.
    state = observeSpot(state, { desired: 10, running: 9, pending: 1 }, 10, coolOff, at(370));
    expect(state?.shiftedTasks).toBe(1);
    expect(splitSpot(10, state, 9)).toEqual({ spot: 10, onDemand: 1 });
    state = observeSpot(state, { desired: 10, running: 10, pending: 0 }, 10, coolOff, at(400));
    expect(state).toBeUndefined();
  });

  it("restarts the steady clock when Spot falls short again", () => {
    let state = observeSpot(shiftToOnDemand(undefined, 3, 10, t0), { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(10));
    state = observeSpot(state, { desired: 7, running: 6, pending: 1 }, 10, coolOff, at(200));
    expect(state?.steadySince).toBeUndefined();
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(400));
    expect(state?.steadySince).toBe(at(400).toISOString());
  });

  it("a shortage during the return stops it, shifts again and counts a failed return", () => {
    const returning: SpotState = { shiftedTasks: 2, since: t0.toISOString(), steadySince: at(10).toISOString(), returningSince: at(310).toISOString() };
    expect(shiftToOnDemand(returning, 3, 10, at(320))).toEqual({ shiftedTasks: 5, since: t0.toISOString(), failedReturns: 1, total: 10 });
  });

  it.each([
    { name: "no failed return: the configured cool-off", failedReturns: undefined, coolOff: 300, expected: 300 },
    { name: "one failed return doubles it", failedReturns: 1, coolOff: 300, expected: 600 },
    { name: "three failed returns: ×8", failedReturns: 3, coolOff: 300, expected: 2400 },
    { name: "the backoff stops at an hour", failedReturns: 10, coolOff: 300, expected: 3600 },
    { name: "a configured cool-off above an hour is kept as is", failedReturns: 4, coolOff: 7200, expected: 7200 },
  ])("backoff: $name", ({ failedReturns, coolOff: configured, expected }) => {
    const state: SpotState = { shiftedTasks: 1, since: t0.toISOString(), ...(failedReturns !== undefined ? { failedReturns } : {}) };
    expect(effectiveCoolOff(state, configured)).toBe(expected);
  });

  it("after a failed return the next return waits twice the cool-off", () => {
    let state: SpotState | undefined = { shiftedTasks: 3, since: t0.toISOString(), failedReturns: 1 };
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(0));
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(400));
    expect(state?.returningSince).toBeUndefined();
    state = observeSpot(state, { desired: 7, running: 7, pending: 0 }, 10, coolOff, at(600));
    expect(state?.returningSince).toBe(at(600).toISOString());
  });

  it("shrinks the shift with the total", () => {
    expect(observeSpot({ shiftedTasks: 5, since: t0.toISOString() }, { desired: 0, running: 0, pending: 0 }, 2, coolOff, at(1))).toMatchObject({
      shiftedTasks: 2,
    });
    expect(observeSpot({ shiftedTasks: 5, since: t0.toISOString() }, { desired: 0, running: 0, pending: 0 }, 0, coolOff, at(1))).toBeUndefined();
  });

  it("a steady-state event starts the clock only once and only during a shift", () => {
    expect(markSteady(undefined, t0.toISOString())).toBeUndefined();
    const shifted = { shiftedTasks: 2, since: t0.toISOString() };
    expect(markSteady(shifted, at(5).toISOString())).toEqual({ ...shifted, steadySince: at(5).toISOString() });
    const steady = { ...shifted, steadySince: at(5).toISOString() };
    expect(markSteady(steady, at(50).toISOString())).toBe(steady);
  });
});

describe("what counts as Spot trouble", () => {
  it.each([
    [{ stopCode: "TerminationNotice" }, true],
    [{ stopCode: "SpotInterruption" }, true],
    [{ stoppedReason: "Your Spot Task was interrupted." }, true],
    [{ stopCode: "ServiceSchedulerInitiated", stoppedReason: "Scaling activity initiated by (deployment ecs-svc/1)" }, false],
    [{ stopCode: "InfrastructureHealth" }, false],
    [{}, false],
  ])("interruption %j → %s", (detail, expected) => {
    expect(isSpotInterruption(detail)).toBe(expected);
  });

  const spotArn = "arn:aws:ecs:us-west-2:1:capacity-provider/FARGATE_SPOT";
  it.each([
    ["FARGATE_SPOT out of capacity", { eventName: "SERVICE_TASK_PLACEMENT_FAILURE", reason: "RESOURCE:FARGATE", capacityProviderArns: [spotArn] }, true],
    ["no provider named", { eventName: "SERVICE_TASK_PLACEMENT_FAILURE", reason: "RESOURCE:FARGATE", capacityProviderArns: [] }, true],
    ["on-demand FARGATE out of capacity", { eventName: "SERVICE_TASK_PLACEMENT_FAILURE", reason: "RESOURCE:FARGATE", capacityProviderArns: ["arn:aws:ecs:r:1:capacity-provider/FARGATE"] }, false],
    ["an EC2 CPU shortage", { eventName: "SERVICE_TASK_PLACEMENT_FAILURE", reason: "RESOURCE:CPU", capacityProviderArns: [] }, false],
    ["steady state", { eventName: "SERVICE_STEADY_STATE", capacityProviderArns: [] }, false],
  ])("shortage: %s", (_name, event, expected) => {
    expect(isSpotCapacityShortage(event)).toBe(expected);
  });
});
