/** The whole decision: bounds, zero and activation, failures and fallback, reasons and history. */
import { describe, expect, it } from "vitest";
import { decide } from "../../shared/engine/decide.ts";
import { ago, NOW, queueUrl, request } from "./build.ts";

const sqs = (extra: Record<string, unknown> = {}) => ({ type: "sqs" as const, queueUrl, includeInFlight: false, ...extra });

describe("bounds", () => {
  it.each([
    { name: "5 → 7 within 3..8 is a plain scale-up", min: 3, max: 8, current: 5, backlog: 35, expected: 7, reason: "ScaleUp" },
    { name: "3 → 1 with minimum 2 stops at 2", min: 2, max: 8, current: 3, backlog: 5, expected: 2, reason: "TooFewTasks" },
    { name: "20 → 1000 with maximum 10 goes to 10 at once", min: 1, max: 10, current: 20, backlog: 5000, expected: 10, reason: "TooManyTasks" },
    { name: "3 → 1000 is rate-limited to 7 (max(3 + 4, 2 × 3))", min: 1, max: 2000, current: 3, backlog: 5000, expected: 7, reason: "ScaleUpLimit" },
    { name: "below a raised minimum: 1 → 6 at once, not rate-limited", min: 6, max: 10, current: 1, backlog: 0, expected: 6, reason: "TooFewTasks" },
  ])("$name", ({ min, max, current, backlog, expected, reason }) => {
    const d = decide(
      request({
        policy: { minTasks: min, maxTasks: max, triggers: [sqs()], behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
        service: { desiredCount: current },
        observations: [{ visible: backlog }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });

  it("night window forces 0 even with a backlog", () => {
    const d = decide(
      request({
        now: "2026-03-02T23:00:00Z",
        policy: { triggers: [sqs()], schedules: [{ name: "night", start: "0 22 * * *", end: "0 6 * * *", maxTasks: 0 }] },
        service: { desiredCount: 8 },
        observations: [{ visible: 400 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([0, "ScheduleMaximum"]);
    expect(d.explanation).toContain('maximum 0 of schedule "night"');
  });

  it("a business-hours window raises the minimum at once", () => {
    const d = decide(
      request({
        now: "2026-03-02T09:00:00Z",
        policy: { triggers: [sqs()], schedules: [{ name: "business", start: "0 8 * * 1-5", end: "0 18 * * 1-5", minTasks: 12 }] },
        service: { desiredCount: 2 },
        observations: [{ visible: 0 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([12, "ScheduleMinimum"]);
  });
});

/** A service seen before: its last recommendation is older than the 300 s window, so nothing holds it. */
const seenBefore = [{ at: ago(900), tasks: 0 }];

describe("scale to zero and back (KEDA semantics, minTasks 0)", () => {
  const policy = { minTasks: 0, triggers: [sqs()], scaleToZero: { idleSeconds: 300 } };
  it.each([
    { name: "idle for 301 s > 300 s goes to 0", current: 3, visible: 0, lastActive: ago(301), expected: 0, reason: "ScaleToZero" },
    { name: "idle for exactly 300 s waits (strict)", current: 3, visible: 0, lastActive: ago(300), expected: 1, reason: "IdleCooldown" },
    { name: "idle for 60 s keeps at least 1 task", current: 3, visible: 0, lastActive: ago(60), expected: 1, reason: "IdleCooldown" },
    { name: "at zero with no messages stays at 0", current: 0, visible: 0, lastActive: ago(3600), expected: 0, reason: "Idle" },
    { name: "from zero, 3 messages wake 1 task", current: 0, visible: 3, lastActive: ago(3600), expected: 1, reason: "WakeFromZero" },
    { name: "from zero, 300 messages wake 4 tasks (the scale-up policy allows 0 + 4)", current: 0, visible: 300, lastActive: undefined, expected: 4, reason: "WakeFromZero" },
  ])("$name", ({ current, visible, lastActive, expected, reason }) => {
    const d = decide(
      request({
        policy,
        service: { desiredCount: current },
        observations: [{ visible }],
        history: lastActive ? { idleSince: lastActive, recommendations: seenBefore } : undefined,
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });

  it("without history the idle clock starts now and the first sight holds the count for the scale-down window", () => {
    const d = decide(request({ policy, service: { desiredCount: 3 }, observations: [{ visible: 0 }] }));
    expect([d.desiredCount, d.reason, d.history.idleSince]).toEqual([3, "ScaleDownStabilized", NOW]);
  });

  it.each([
    { name: "an active trigger clears the idle clock", visible: 10, idleSince: ago(60), expected: undefined },
    { name: "still idle: the clock keeps its start (the record does not change)", visible: 0, idleSince: ago(60), expected: ago(60) },
    { name: "idle after being kept up: the clock starts at this decision", visible: 0, idleSince: undefined, expected: NOW },
  ])("the idle clock is stored as its turn: $name", ({ visible, idleSince, expected }) => {
    const d = decide(request({ policy, service: { desiredCount: 3 }, observations: [{ visible }], history: { idleSince, recommendations: seenBefore } }));
    expect(d.history.idleSince).toBe(expected);
  });

  it("a history from before idleSince counts idle from its lastActiveAt and is not returned", () => {
    const d = decide(request({ policy, service: { desiredCount: 3 }, observations: [{ visible: 0 }], history: { lastActiveAt: ago(301), recommendations: seenBefore } }));
    expect([d.desiredCount, d.reason, d.history.idleSince, d.history.lastActiveAt]).toEqual([0, "ScaleToZero", ago(301), undefined]);
  });

  it("activation below the threshold keeps the service at zero although the HPA would want tasks", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs({ targetBacklogPerTask: 10, activationBacklog: 50 })] },
        service: { desiredCount: 0 },
        observations: [{ visible: 40 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([0, "Idle"]);
  });

  it("a Percent-only scale-up policy still wakes one task from zero", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs()], behavior: { scaleUp: { policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] } } },
        service: { desiredCount: 0 },
        observations: [{ visible: 100 }],
      }),
    );
    expect(d.desiredCount).toBe(1);
  });

  it("with minTasks 1 activation is ignored: no trigger active keeps the minimum 1", () => {
    const d = decide(request({ policy: { triggers: [sqs()] }, service: { desiredCount: 1 }, observations: [{ visible: 0 }] }));
    expect([d.desiredCount, d.reason]).toEqual([1, "TooFewTasks"]);
  });
});

describe("failed reads and fallback", () => {
  it.each([
    { name: "a failed read holds 6 (no fallback configured)", fallback: undefined, prior: 0, expected: 6, reason: "ReadFailedHold", failures: 1 },
    { name: "the threshold-th failure still holds (3 failures, threshold 3)", fallback: { failureThreshold: 3, tasks: 10 }, prior: 2, expected: 6, reason: "ReadFailedHold", failures: 3 },
    { name: "one more than the threshold falls back to 10", fallback: { failureThreshold: 3, tasks: 10 }, prior: 3, expected: 10, reason: "FallbackApplied", failures: 4 },
    { name: "a fallback below the current count scales down within the policy", fallback: { failureThreshold: 0, tasks: 2 }, prior: 0, expected: 2, reason: "FallbackApplied", failures: 1 },
  ])("$name", ({ fallback, prior, expected, reason, failures }) => {
    const d = decide(
      request({
        policy: { triggers: [sqs()], behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }, ...(fallback ? { fallback } : {}) },
        service: { desiredCount: 6 },
        observations: [{ error: "ThrottlingException" }],
        history: { failures: prior },
      }),
    );
    expect([d.desiredCount, d.reason, d.history.failures]).toEqual([expected, reason, failures]);
  });

  it("partial data never scales down: one failed trigger and one low reading hold 6", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs(), sqs()] },
        service: { desiredCount: 6 },
        observations: [{ error: "AccessDenied" }, { visible: 0 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([6, "ReadFailedHold"]);
    expect(d.proposals[0]).toEqual({ trigger: 0, tasks: null, active: false, error: "AccessDenied" });
  });

  it("partial data may scale up, as the HPA does", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs(), sqs()] },
        service: { desiredCount: 6 },
        observations: [{ error: "AccessDenied" }, { visible: 50 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([10, "ScaleUp"]);
  });

  it("a successful read resets the failure count", () => {
    const d = decide(request({ service: { desiredCount: 2 }, observations: [{ visible: 10, inFlight: 0 }], history: { failures: 5 } }));
    expect(d.history.failures).toBe(0);
  });

  it("a failed read never scales to zero, however long idle", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs()] },
        service: { desiredCount: 2 },
        observations: [{ error: "timeout" }],
        history: { lastActiveAt: ago(86_400) },
      }),
    );
    expect(d.desiredCount).toBe(2);
  });
});

describe("stabilization and history", () => {
  it("scale-down waits for the 300 s window: a drop right after a peak keeps the peak", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs()] },
        service: { desiredCount: 10 },
        observations: [{ visible: 10 }],
        history: { recommendations: [{ at: ago(120), tasks: 10 }] },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([10, "ScaleDownStabilized"]);
    expect(d.explanation).toContain("highest recommendation of the last 300 s is 10");
  });

  it("history is pruned to the longest window and period", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs()] },
        service: { desiredCount: 2 },
        observations: [{ visible: 10 }],
        history: {
          recommendations: [
            { at: ago(400), tasks: 9 },
            { at: ago(200), tasks: 3 },
          ],
          scaleEvents: [
            { at: ago(30), from: 1, to: 2 },
            { at: ago(10), from: 2, to: 2 },
          ],
        },
      }),
    );
    // The 9 is kept: it was in force when the 300 s scale-down window opens (it held until the 3).
    expect(d.history.recommendations).toEqual([
      { at: ago(400), tasks: 9 },
      { at: ago(200), tasks: 3 },
      { at: NOW, tasks: 2 },
    ]);
    expect(d.history.scaleEvents).toEqual([{ at: ago(10), from: 2, to: 2 }]);
  });

  it.each([
    // At the cadence the decisions came at, the windows read the runs as the HPA reads every decision:
    // the 300 s window holds 20 while a 40 is within it (the last at 360 s), then 100% per 15 s allows the drop.
    { name: "at its cadence, as the HPA", intervalSeconds: 120, expected: [1, 5, 10, 20, 20, 20, 1, 1] },
    // Without one, the run of 40s counts until the first calm decision (480 s) leaves the window, at 780 s.
    { name: "without a cadence, one decision longer", intervalSeconds: undefined, expected: [1, 5, 10, 20, 20, 20, 20, 1] },
  ])("round trip: each decision's history feeds the next, and a burst then calm scales up, holds, then down ($name)", ({ intervalSeconds, expected }) => {
    const policy = { triggers: [sqs()], maxTasks: 100 };
    const backlogs = [0, 200, 200, 200, 0, 0, 0, 0];
    let history: ReturnType<typeof decide>["history"] | undefined;
    let current = 1;
    const counts: number[] = [];
    backlogs.forEach((visible, i) => {
      const now = new Date(Date.parse(NOW) + i * 120_000).toISOString();
      const d = decide(request({ now, policy, service: { desiredCount: current }, observations: [{ visible }], history, intervalSeconds }));
      history = d.history;
      current = d.desiredCount;
      counts.push(current);
    });
    // 200 messages want 40: 1 → 5 (max(1 + 4, 2 × 1)) → 10 → 20 (the limit doubles), then the backlog empties.
    expect(counts).toEqual(expected);
  });
});

describe("rules that pause, fail or time out do not leak into each other", () => {
  it("a failed read blocks scale to zero even when another trigger asks for more tasks", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs({ activationBacklog: 50 }), sqs()] },
        service: { desiredCount: 3 },
        observations: [{ visible: 40 }, { error: "Throttling" }],
        history: { idleSince: ago(3600) },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([7, "ScaleUpLimit"]);
  });

  it("the fallback never drops below what a working trigger asks for", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs(), sqs()], fallback: { failureThreshold: 0, tasks: 2 }, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
        service: { desiredCount: 6 },
        observations: [{ error: "x" }, { visible: 500 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([12, "ScaleUpLimit"]);
  });

  it("the fallback respects the tolerance band: 11 tasks with fallback 10 keep 11 (KEDA + HPA, DERIVED)", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs({ targetBacklogPerTask: 10 })], fallback: { failureThreshold: 0, tasks: 10 } },
        service: { desiredCount: 11 },
        observations: [{ error: "x" }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([11, "FallbackApplied"]);
  });

  it("scale-up Disabled keeps a service at zero although a trigger is active (KEDA paused-scale-out)", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs()], behavior: { scaleUp: { selectPolicy: "Disabled" } } },
        service: { desiredCount: 0 },
        observations: [{ visible: 100 }],
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([0, "ScaleUpDisabled"]);
  });

  it("scale-down Disabled never scales to zero (KEDA paused-scale-in)", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs()], behavior: { scaleDown: { selectPolicy: "Disabled" } } },
        service: { desiredCount: 3 },
        observations: [{ visible: 0 }],
        history: { idleSince: ago(3600), recommendations: seenBefore },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([3, "ScaleDownDisabled"]);
  });

  it("history dated after now is ignored and said so", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs()] },
        service: { desiredCount: 20 },
        observations: [{ visible: 10 }],
        history: {
          recommendations: [...seenBefore, { at: "2027-01-01T00:00:00Z", tasks: 20 }],
          scaleEvents: [{ at: "2027-01-01T00:00:00Z", from: 20, to: 3 }],
          idleSince: "2027-01-01T00:00:00Z",
        },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([2, "ScaleDown"]);
    expect(d.explanation).toMatch(/^ignored 3 history entries dated after now/);
    // An active trigger keeps it up: no idle clock, whatever the future one said.
    expect(d.history.idleSince).toBeUndefined();
  });

  it("a closing schedule window starts the idle cooldown instead of dropping to zero", () => {
    const d = decide(
      request({
        now: "2026-03-02T18:00:00Z",
        policy: { minTasks: 0, triggers: [sqs()], schedules: [{ name: "office", start: "0 8 * * 1-5", end: "0 18 * * 1-5", minTasks: 12 }] },
        service: { desiredCount: 12 },
        observations: [{ visible: 0 }],
      }),
    );
    // The minimum of 12 kept it up until now: the idle clock starts at this decision.
    expect(d.desiredCount).toBeGreaterThan(0);
    expect(d.history.idleSince).toBe("2026-03-02T18:00:00Z");
  });

  it("the minimum in force stops the idle clock", () => {
    const d = decide(request({ policy: { triggers: [sqs()] }, service: { desiredCount: 1 }, observations: [{ visible: 0 }], history: { idleSince: ago(9999) } }));
    expect(d.history.idleSince).toBeUndefined();
  });

  it("an inactive trigger that still asks for tasks scales up with a plain reason, not IdleCooldown", () => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs({ activationBacklog: 50 })], behavior: { scaleUp: { policies: [{ type: "Tasks", value: 100, periodSeconds: 15 }] } } },
        service: { desiredCount: 3 },
        observations: [{ visible: 40 }],
        history: { idleSince: ago(60) },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([8, "ScaleUp"]);
  });

  it.each([
    { name: "a huge metric value is capped at 2^31 − 1 tasks and the history stays valid", value: 1e16, target: 1 },
    { name: "an infinite ratio (tiny target) is capped too, never NaN", value: 1e10, target: 1e-300 },
  ])("$name", ({ value, target }) => {
    const d = decide(
      request({
        policy: { maxTasks: 50, triggers: [{ type: "metric", metric: { namespace: "App", name: "Load" }, target }] },
        service: { desiredCount: 3 },
        observations: [{ value }],
      }),
    );
    expect(d.proposals[0]!.tasks).toBe(2_147_483_647);
    expect(d.desiredCount).toBe(7);
    expect(() => decide(request({ policy: { maxTasks: 50 }, history: d.history }))).not.toThrow();
  });
});
