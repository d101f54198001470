/**
 * Never stop work in progress: first sight holds a warm service for the scale-down window, the busy
 * floor keeps the tasks working on in-flight messages, and missing rates are estimated from the live
 * queue instead of falling back to a static backlog per task.
 */
import { describe, expect, it } from "vitest";
import { decide } from "../../shared/engine/decide.ts";
import type { DecideRequest } from "../../shared/engine/types.ts";
import { ago, NOW, queueUrl, request } from "./build.ts";

/** A service seen before: its last recommendation is older than the 300 s window, so nothing holds it. */
const seenBefore = { recommendations: [{ at: ago(900), tasks: 0 }] };
const sqs = (extra: Record<string, unknown> = {}) => ({ type: "sqs" as const, queueUrl, ...extra });
const later = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

describe("first sight (the HPA's recordInitialRecommendation)", () => {
  it.each([
    { name: "no history: 13 asked down to 1 keeps 13 (ScaleDownStabilized)", policy: {}, current: 13, visible: 1, expected: 13, reason: "ScaleDownStabilized" },
    {
      name: "a scale-down window of 0 sheds at once, as the HPA would",
      policy: { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
      current: 13,
      visible: 1,
      expected: 1,
      reason: "ScaleDown",
    },
    {
      name: "a scale-up is never held by it, even with a 60 s scale-up window",
      policy: { behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } },
      current: 3,
      visible: 20,
      expected: 7,
      reason: "ScaleUpLimit",
    },
    { name: "a minimum that keeps the count says so itself", policy: { minTasks: 2 }, current: 2, visible: 0, expected: 2, reason: "TooFewTasks" },
  ])("$name", ({ policy, current, visible, expected, reason }) => {
    const d = decide(request({ policy: { triggers: [sqs({ targetBacklogPerTask: 1 })], ...policy }, service: { desiredCount: current }, observations: [{ visible, inFlight: 0 }] }));
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });

  it("records the current count at now beside the recommendation, and says so", () => {
    const d = decide(request({ policy: { triggers: [sqs({ targetBacklogPerTask: 1 })] }, service: { desiredCount: 13 }, observations: [{ visible: 1, inFlight: 0 }] }));
    expect(d.history.recommendations).toEqual([
      { at: NOW, tasks: 13 },
      { at: NOW, tasks: 1 },
    ]);
    expect(d.explanation).toContain("first sight: the current 13 counts as a recommendation now; highest recommendation of the last 300 s is 13 → 13");
  });

  it("a scale-up at first sight stores no seed that could hold the next scale-up", () => {
    const d = decide(
      request({
        policy: { triggers: [sqs({ targetBacklogPerTask: 1 })], behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } },
        service: { desiredCount: 3 },
        observations: [{ visible: 20, inFlight: 0 }],
      }),
    );
    expect(d.history.recommendations).toEqual([{ at: NOW, tasks: 20 }]);
  });

  it("holds through the window and scales down when the seed leaves it (strict, as the HPA's After)", () => {
    const policy = { triggers: [sqs({ targetBacklogPerTask: 1 })] };
    const step = (at: number, current: number, history?: DecideRequest["history"]) =>
      decide(request({ now: later(at), policy, service: { desiredCount: current }, observations: [{ visible: 1, inFlight: 0 }], ...(history ? { history } : {}) }));
    const first = step(0, 13);
    const held = step(290, first.desiredCount, first.history);
    const released = step(300, held.desiredCount, held.history);
    expect([first.desiredCount, held.desiredCount, released.desiredCount]).toEqual([13, 13, 1]);
  });

  it("a failed read at first sight holds, and the first good read after it still seeds", () => {
    const policy = { triggers: [sqs({ targetBacklogPerTask: 1 })] };
    const failed = decide(request({ policy, service: { desiredCount: 13 }, observations: [{ error: "AccessDenied" }] }));
    const next = decide(request({ now: later(10), policy, service: { desiredCount: 13 }, observations: [{ visible: 1, inFlight: 0 }], history: failed.history }));
    expect([failed.desiredCount, failed.reason, next.desiredCount, next.reason]).toEqual([13, "ReadFailedHold", 13, "ScaleDownStabilized"]);
  });
});

describe("busy floor: never below the tasks busy with in-flight messages", () => {
  it.each([
    { name: "10 in flight at 100 per task keeps the 10 busy tasks, not 1", trigger: {}, current: 13, inFlight: 10, expected: 10, reason: "BusyTasksFloor" },
    { name: "4 messages per task: 10 in flight keep ceil(10 / 4) = 3", trigger: { messagesPerTask: 4 }, current: 13, inFlight: 10, expected: 3, reason: "BusyTasksFloor" },
    { name: "keepBusyTasks: false is KEDA's arithmetic: 1", trigger: { keepBusyTasks: false }, current: 13, inFlight: 10, expected: 1, reason: "ScaleDown" },
    { name: "it never scales up by itself: 3 tasks with 10 in flight stay 3", trigger: {}, current: 3, inFlight: 10, expected: 3, reason: "BusyTasksFloor" },
    { name: "in flight not counted in the backlog still keeps the busy tasks", trigger: { includeInFlight: false }, current: 13, inFlight: 10, expected: 10, reason: "BusyTasksFloor" },
    { name: "nothing in flight: no floor", trigger: {}, current: 13, inFlight: 0, expected: 1, reason: "TooFewTasks" },
  ])("$name", ({ trigger, current, inFlight, expected, reason }) => {
    const d = decide(
      request({ policy: { triggers: [sqs({ targetBacklogPerTask: 100, ...trigger })] }, service: { desiredCount: current }, observations: [{ visible: 0, inFlight }], history: seenBefore }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });

  it("explains the floor with its numbers", () => {
    const d = decide(
      request({ policy: { triggers: [sqs({ targetBacklogPerTask: 100, messagesPerTask: 4 })] }, service: { desiredCount: 13 }, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore }),
    );
    expect(d.explanation).toBe("sqs[0] backlog 10 (visible 0 + inFlight 10) at 100 per task → 1; busy floor: sqs[0] 10 in flight / 4 per task = 3 busy tasks → 3 (BusyTasksFloor)");
  });

  it.each([
    { name: "the policy's maximum wins", policy: { maxTasks: 8 }, expected: 8, reason: "TooManyTasks", says: "maximum 8 wins over the busy floor" },
    {
      name: "a schedule's maximum wins",
      policy: { schedules: [{ name: "night", start: "0 0 * * *", end: "0 23 * * *", maxTasks: 5 }] },
      expected: 5,
      reason: "ScheduleMaximum",
      says: 'maximum 5 of schedule "night" wins over the busy floor',
    },
  ])("bounds still win: $name", ({ policy, expected, reason, says }) => {
    const d = decide(
      request({ policy: { triggers: [sqs({ targetBacklogPerTask: 100 })], ...policy }, service: { desiredCount: 13 }, observations: [{ visible: 0, inFlight: 10 }], history: seenBefore }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
    expect(d.explanation).toContain(says);
  });

  it.each([
    {
      name: "a rate limit that keeps more names itself",
      behavior: { scaleDown: { policies: [{ type: "Tasks" as const, value: 1, periodSeconds: 60 }] } },
      history: seenBefore,
      expected: 12,
      reason: "ScaleDownLimit",
    },
    { name: "a stabilization window that keeps more names itself", behavior: {}, history: { recommendations: [{ at: ago(60), tasks: 12 }] }, expected: 12, reason: "ScaleDownStabilized" },
  ])("$name", ({ behavior, history, expected, reason }) => {
    const d = decide(request({ policy: { triggers: [sqs({ targetBacklogPerTask: 100 })], behavior }, service: { desiredCount: 13 }, observations: [{ visible: 0, inFlight: 10 }], history }));
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });

  it.each([
    { name: "messages in flight block scale to zero", keepBusyTasks: true, expected: 3, reason: "BusyTasksFloor" },
    { name: "without the floor the idle trigger goes to zero (KEDA)", keepBusyTasks: false, expected: 0, reason: "ScaleToZero" },
  ])("$name", ({ keepBusyTasks, expected, reason }) => {
    const d = decide(
      request({
        policy: { minTasks: 0, triggers: [sqs({ activationBacklog: 20, keepBusyTasks })] },
        service: { desiredCount: 4 },
        observations: [{ visible: 0, inFlight: 3 }],
        history: { ...seenBefore, lastActiveAt: ago(3600) },
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
    if (keepBusyTasks) expect(d.explanation).toContain("3 task(s) busy: not to zero");
  });

  it.each([
    { name: "a failed read gives no floor: the fallback of 2 applies", inFlight: 0, expected: 2, reason: "FallbackApplied" },
    { name: "the working trigger's busy tasks still count", inFlight: 5, expected: 5, reason: "BusyTasksFloor" },
  ])("$name", ({ inFlight, expected, reason }) => {
    const d = decide(
      request({
        policy: { triggers: [sqs({ targetBacklogPerTask: 100 }), sqs({ targetBacklogPerTask: 100 })], fallback: { failureThreshold: 0, tasks: 2 } },
        service: { desiredCount: 13 },
        observations: [{ error: "AccessDenied" }, { visible: 0, inFlight }],
        history: seenBefore,
      }),
    );
    expect([d.desiredCount, d.reason]).toEqual([expected, reason]);
  });
});

describe("missing rates never shed capacity: the live queue sizes the count", () => {
  const latency = (extra: Record<string, unknown> = {}) => sqs({ targetWaitSeconds: 120, secondsPerMessage: 2, ...extra });
  it.each([
    {
      name: "no rates, 10 in flight: arrivals ≥ 5 msg/s keep 10 tasks",
      trigger: {},
      observation: {},
      expected: 10,
      says: "rates not measured: arrivals ≥ 5 msg/s from 10 in flight (Little's law), 0.5 msg/s per task",
    },
    {
      name: "no rates, 300 waiting besides: the backlog term asks 11",
      trigger: {},
      observation: { visible: 300 },
      expected: 11,
      says: "backlog 310 less 9.1 allowed late (1% of 910) drained in 60 s → 10.03",
    },
    {
      name: "arrivals missing, processing measured 0.4/s: 10 busy tasks",
      trigger: {},
      observation: { processingRatePerTask: 0.4 },
      expected: 10,
      says: "arrival rate not measured: arrivals ≥ 4 msg/s from 10 in flight",
    },
    {
      name: "processing missing, arrivals measured 8/s: the larger arrival rate, 16 tasks",
      trigger: {},
      observation: { arrivalRate: 8 },
      expected: 16,
      says: "processing rate not measured: arrivals 8 msg/s (measured, at least 5 from 10 in flight)",
    },
    { name: "2 messages per task: 1 msg/s per task, 5 busy tasks", trigger: { messagesPerTask: 2 }, observation: {}, expected: 5, says: "1 msg/s per task from 2 per task / 2 s per message" },
    {
      name: "a backlog per task instead of seconds per message gives the time: 120 s / 60 = 2 s",
      trigger: { secondsPerMessage: undefined, targetBacklogPerTask: 60 },
      observation: {},
      expected: 10,
      says: "from 1 per task / 2 s per message",
    },
  ])("$name", ({ trigger, observation, expected, says }) => {
    const d = decide(
      request({
        policy: { triggers: [latency(trigger)] },
        service: { desiredCount: 13, startupSeconds: 60 },
        observations: [{ visible: 0, inFlight: 10, ...observation }],
        history: seenBefore,
      }),
    );
    expect(d.proposals[0]!.tasks).toBe(expected);
    expect(d.explanation).toContain(says);
  });

  it("measured rates that read low are caught by the busy floor", () => {
    const d = decide(
      request({
        policy: { triggers: [latency()] },
        service: { desiredCount: 13, startupSeconds: 60 },
        observations: [{ visible: 0, inFlight: 10, arrivalRate: 1, processingRatePerTask: 0.5 }],
        history: seenBefore,
      }),
    );
    expect([d.proposals[0]!.tasks, d.desiredCount, d.reason]).toEqual([2, 10, "BusyTasksFloor"]);
  });
});
