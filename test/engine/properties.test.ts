/** Invariants of the engine over generated requests (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historySchema, parseDecideRequest } from "../../shared/config/request.ts";
import { effectiveBounds } from "../../shared/engine/bounds.ts";
import { decide } from "../../shared/engine/decide.ts";
import { reasonCodes } from "../../shared/engine/types.ts";
import { NOW, queueUrl } from "./build.ts";

const nowMs = Date.parse(NOW);
const instantWithin = (seconds: number) => fc.integer({ min: 0, max: seconds }).map((s) => new Date(nowMs - s * 1000).toISOString());
const scalingPolicy = fc.record({
  type: fc.constantFrom("Tasks" as const, "Percent" as const),
  value: fc.integer({ min: 1, max: 500 }),
  periodSeconds: fc.integer({ min: 1, max: 600 }),
});
const rules = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
    selectPolicy: fc.constantFrom("Max" as const, "Min" as const, "Disabled" as const),
    policies: fc.array(scalingPolicy, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const trigger = fc.oneof(
  fc.record({
    type: fc.constant("sqs" as const),
    queueUrl: fc.constant(queueUrl),
    targetBacklogPerTask: fc.integer({ min: 1, max: 100 }),
    activationBacklog: fc.integer({ min: 0, max: 5000 }),
    includeInFlight: fc.boolean(),
    includeDelayed: fc.boolean(),
    messagesPerTask: fc.integer({ min: 1, max: 8 }),
    keepBusyTasks: fc.boolean(),
  }),
  fc.record({
    type: fc.constant("sqs" as const),
    queueUrl: fc.constant(queueUrl),
    targetWaitSeconds: fc.integer({ min: 1, max: 900 }),
    secondsPerMessage: fc.double({ min: 0.01, max: 600, noNaN: true }),
    activationBacklog: fc.integer({ min: 0, max: 5000 }),
    includeInFlight: fc.boolean(),
    messagesPerTask: fc.integer({ min: 1, max: 8 }),
    keepBusyTasks: fc.boolean(),
  }),
  fc.record({
    type: fc.constant("metric" as const),
    metric: fc.constant({ namespace: "App", name: "Load" }),
    target: fc.double({ min: 1e-6, max: 1000, noNaN: true }),
    targetType: fc.constantFrom("value" as const, "averageValue" as const),
    activationThreshold: fc.double({ min: 0, max: 10_000, noNaN: true }),
  }),
);
type GeneratedTrigger = typeof trigger extends fc.Arbitrary<infer T> ? T : never;

/** A reading that fits its trigger, a failed read (often, so partial data is common), or an extreme value. */
const observationFor = (t: GeneratedTrigger) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ error: "ThrottlingException" }) },
    {
      weight: 3,
      arbitrary:
        t.type === "sqs"
          ? fc.record(
              {
                visible: fc.nat(1_000_000),
                inFlight: fc.nat(5000),
                delayed: fc.nat(500),
                arrivalRate: fc.double({ min: 0, max: 1000, noNaN: true }),
                processingRatePerTask: fc.double({ min: 0.001, max: 100, noNaN: true }),
              },
              // Rates come and go (no CloudWatch minute yet, a metric gap); queue counts are always read.
              { requiredKeys: ["visible", "inFlight", "delayed"] },
            )
          : fc.record({ value: fc.oneof(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.constant(1e16)) }),
    },
  );
/**
 * Schedule windows whose state at NOW (Monday 2026-03-02 12:00 UTC: 13:00 in Berlin, 07:00 in New York,
 * both before their DST change) is worked out by hand, so the bounds have an oracle that does not
 * evaluate cron: `openedAt` is when the window containing NOW opened, absent when NOW is outside it.
 */
const knownWindows: readonly { start: string; end: string; timezone: string; openedAt?: string }[] = [
  { start: "0 6 * * *", end: "0 20 * * *", timezone: "UTC", openedAt: "2026-03-02T06:00:00Z" },
  { start: "0 6 * * *", end: "0 20 * * *", timezone: "Europe/Berlin", openedAt: "2026-03-02T05:00:00Z" },
  { start: "0 6 * * *", end: "0 20 * * *", timezone: "America/New_York", openedAt: "2026-03-02T11:00:00Z" },
  { start: "0 22 * * *", end: "0 6 * * *", timezone: "UTC" }, // closed at 06:00 UTC
  { start: "0 22 * * *", end: "0 6 * * *", timezone: "Europe/Berlin" }, // closed at 06:00 Berlin
  { start: "0 22 * * *", end: "0 6 * * *", timezone: "America/New_York" }, // closed at 06:00 New York = 11:00 UTC
  { start: "0 8 * * 1-5", end: "0 18 * * 1-5", timezone: "America/New_York" }, // 07:00 there: not yet open
  { start: "0 8 * * 1-5", end: "0 18 * * 1-5", timezone: "Europe/Berlin", openedAt: "2026-03-02T07:00:00Z" },
  { start: "*/10 * * * *", end: "5,15,25,35,45,55 * * * *", timezone: "UTC", openedAt: "2026-03-02T12:00:00Z" }, // opens at NOW
  { start: "*/10 * * * *", end: "5,15,25,35,45,55 * * * *", timezone: "America/New_York", openedAt: "2026-03-02T12:00:00Z" },
];
const schedule = fc
  .record({
    window: fc.integer({ min: 0, max: knownWindows.length - 1 }),
    minTasks: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    maxTasks: fc.option(fc.integer({ min: 30, max: 60 }), { nil: undefined }),
  })
  .filter((s) => s.minTasks !== undefined || s.maxTasks !== undefined);
type GeneratedSchedule = typeof schedule extends fc.Arbitrary<infer T> ? T : never;

/**
 * The bounds in force at NOW, by the rules as stated: among open windows the most recently opened
 * wins, the later one on a tie; a window's missing bound is the policy's, pulled to keep min ≤ max.
 */
function expectedBounds(policy: { minTasks: number; maxTasks: number }, schedules: readonly GeneratedSchedule[]): { min: number; max: number } {
  let winner: GeneratedSchedule | undefined;
  let winnerOpenedAt = "";
  for (const s of schedules) {
    const openedAt = knownWindows[s.window]!.openedAt;
    if (openedAt !== undefined && openedAt >= winnerOpenedAt) [winner, winnerOpenedAt] = [s, openedAt];
  }
  if (!winner) return { min: policy.minTasks, max: policy.maxTasks };
  if (winner.minTasks !== undefined && winner.maxTasks !== undefined) return { min: winner.minTasks, max: winner.maxTasks };
  if (winner.minTasks !== undefined) return { min: winner.minTasks, max: Math.max(policy.maxTasks, winner.minTasks) };
  return { min: Math.min(policy.minTasks, winner.maxTasks!), max: winner.maxTasks! };
}

/**
 * Generated raw requests (the parsed form is what decide takes) with the bounds they must end in.
 * History may reach into the future.
 */
const generated = fc
  .record({
    minTasks: fc.integer({ min: 0, max: 10 }),
    extra: fc.integer({ min: 1, max: 50 }),
    triggers: fc.array(trigger, { minLength: 1, maxLength: 3 }),
    behavior: fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }),
    schedules: fc.array(schedule, { maxLength: 2 }),
    fallback: fc.option(fc.record({ failureThreshold: fc.nat(5), tasks: fc.nat(80) }), { nil: undefined }),
    idleSeconds: fc.nat(900),
    desired: fc.nat(80),
    running: fc.nat(80),
    recommendations: fc.array(fc.record({ at: instantWithin(900), tasks: fc.nat(80) }), { maxLength: 6 }),
    scaleEvents: fc.array(fc.record({ at: instantWithin(900), from: fc.nat(80), to: fc.nat(80) }), { maxLength: 6 }),
    future: fc.array(fc.record({ at: fc.constant("2027-01-01T00:00:00Z"), tasks: fc.nat(80) }), { maxLength: 1 }),
    idleSince: fc.option(fc.oneof(instantWithin(3600), fc.constant("2027-01-01T00:00:00Z")), { nil: undefined }),
    lastActiveAt: fc.option(fc.oneof(instantWithin(3600), fc.constant("2027-01-01T00:00:00Z")), { nil: undefined }),
    failures: fc.nat(10),
  })
  .chain((r) => fc.tuple(...r.triggers.map(observationFor)).map((observations) => ({ ...r, observations })))
  .map((r) => ({ raw: toRaw(r), bounds: expectedBounds({ minTasks: r.minTasks, maxTasks: r.minTasks + r.extra }, r.schedules) }));
const rawRequest = generated.map((g) => g.raw);

function toRaw(r: {
  minTasks: number;
  extra: number;
  triggers: GeneratedTrigger[];
  behavior: object;
  schedules: GeneratedSchedule[];
  fallback: { failureThreshold: number; tasks: number } | undefined;
  idleSeconds: number;
  desired: number;
  running: number;
  recommendations: { at: string; tasks: number }[];
  scaleEvents: { at: string; from: number; to: number }[];
  future: { at: string; tasks: number }[];
  idleSince: string | undefined;
  lastActiveAt: string | undefined;
  failures: number;
  observations: object[];
}) {
  return {
    now: NOW,
    policy: {
      minTasks: r.minTasks,
      maxTasks: r.minTasks + r.extra,
      triggers: r.triggers,
      behavior: r.behavior,
      schedules: r.schedules.map((s, i) => {
        const { openedAt: _, ...window } = knownWindows[s.window]!;
        return { name: `window ${i}`, ...window, ...(s.minTasks !== undefined ? { minTasks: s.minTasks } : {}), ...(s.maxTasks !== undefined ? { maxTasks: s.maxTasks } : {}) };
      }),
      scaleToZero: { idleSeconds: r.idleSeconds },
      ...(r.fallback ? { fallback: r.fallback } : {}),
    },
    service: { desiredCount: r.desired, runningCount: r.running, pendingCount: 0 },
    observations: r.observations,
    history: {
      recommendations: [...r.recommendations, ...r.future],
      scaleEvents: r.scaleEvents,
      failures: r.failures,
      ...(r.idleSince ? { idleSince: r.idleSince } : {}),
      ...(r.lastActiveAt ? { lastActiveAt: r.lastActiveAt } : {}),
    },
  };
}

/**
 * The busy floor by its definition: over the sqs triggers with keepBusyTasks on (the default) and a
 * good read, the largest ceil(inFlight / messagesPerTask), never above the current count.
 */
function expectedBusyFloor(raw: ReturnType<typeof toRaw>): number {
  let busy = 0;
  raw.policy.triggers.forEach((t, i) => {
    const o = raw.observations[i] as { error?: string; inFlight?: number };
    if (t.type !== "sqs" || t.keepBusyTasks === false || o.error !== undefined || o.inFlight === undefined) return;
    busy = Math.max(busy, Math.ceil(o.inFlight / (t.messagesPerTask ?? 1)));
  });
  return Math.min(raw.service.desiredCount, busy);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe("engine invariants", () => {
  it("the result always lies within the bounds in force, with a known reason", () => {
    fc.assert(
      fc.property(generated, ({ raw, bounds }) => {
        const d = decide(parseDecideRequest(raw));
        expect(d.desiredCount).toBeGreaterThanOrEqual(bounds.min);
        expect(d.desiredCount).toBeLessThanOrEqual(bounds.max);
        expect(reasonCodes).toContain(d.reason);
        expect(d.explanation.endsWith(`${d.desiredCount} (${d.reason})`)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("the bounds in force are the hand-worked ones: the most recently opened window wins, a missing bound follows", () => {
    fc.assert(
      fc.property(generated, ({ raw, bounds }) => {
        const { min, max } = effectiveBounds(parseDecideRequest(raw).policy, new Date(nowMs));
        expect({ min, max }).toEqual(bounds);
      }),
      { numRuns: 400 },
    );
  });

  it("a failed read never lowers the count nor scales to zero, unless the fallback applies or a lowered maximum forces it", () => {
    fc.assert(
      fc.property(generated, ({ raw, bounds }) => {
        const request = parseDecideRequest(raw);
        const d = decide(request);
        const failures = (request.history?.failures ?? 0) + 1;
        const fallbackApplies = request.policy.fallback !== undefined && failures > request.policy.fallback.failureThreshold;
        if (!request.observations.some((o) => o.error !== undefined) || fallbackApplies) return;
        expect(d.desiredCount).toBeGreaterThanOrEqual(Math.min(request.service.desiredCount, bounds.max));
      }),
      { numRuns: 400 },
    );
  });

  it("the count never falls below the busy floor, min(current, busy tasks), unless a lowered maximum forces it", () => {
    fc.assert(
      fc.property(generated, ({ raw, bounds }) => {
        const d = decide(parseDecideRequest(raw));
        expect(d.desiredCount).toBeGreaterThanOrEqual(Math.min(expectedBusyFloor(raw), bounds.max));
      }),
      { numRuns: 600 },
    );
  });

  it("a wait target whose arrival rate is missing asks for at least the tasks busy with the in-flight messages", () => {
    fc.assert(
      fc.property(generated, ({ raw }) => {
        const d = decide(parseDecideRequest(raw));
        raw.policy.triggers.forEach((t, i) => {
          const o = raw.observations[i] as { error?: string; inFlight?: number; arrivalRate?: number };
          if (t.type !== "sqs" || !("targetWaitSeconds" in t) || o.error !== undefined || o.arrivalRate !== undefined) return;
          expect(d.proposals[i]!.tasks).toBeGreaterThanOrEqual(Math.ceil(o.inFlight! / t.messagesPerTask));
        });
      }),
      { numRuns: 400 },
    );
  });

  it("the same request always gives the same decision, and decide never changes its input", () => {
    fc.assert(
      fc.property(rawRequest, (raw) => {
        const request = deepFreeze(parseDecideRequest(raw));
        expect(decide(request)).toEqual(decide(request));
      }),
      { numRuns: 200 },
    );
  });

  it("the returned history is a valid history that the next request accepts", () => {
    fc.assert(
      fc.property(rawRequest, (raw) => {
        const d = decide(parseDecideRequest(raw));
        expect(historySchema.safeParse(d.history).success).toBe(true);
        const next = { ...raw, now: new Date(nowMs + 10_000).toISOString(), history: d.history };
        expect(() => decide(parseDecideRequest(next))).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
