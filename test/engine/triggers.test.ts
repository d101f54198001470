/** Triggers → proposals: KEDA's SQS scaler and the HPA's external-metric formulas, with their worked cases. */
import { describe, expect, it } from "vitest";
import { decide } from "../../shared/engine/decide.ts";
import { latencyAwareTasks } from "../../shared/engine/latency.ts";
import { queueUrl, request } from "./build.ts";

describe("sqs backlog (KEDA TestAWSSQSScalerGetMetrics: visible 200, in flight 100, delayed 50)", () => {
  it.each([
    { name: "in-flight off counts visible only", includeInFlight: false, includeDelayed: false, backlog: 200 },
    { name: "in-flight on by default adds NotVisible", includeInFlight: undefined, includeDelayed: undefined, backlog: 300 },
    { name: "in-flight and delayed add both", includeInFlight: true, includeDelayed: true, backlog: 350 },
    { name: "delayed without in-flight", includeInFlight: false, includeDelayed: true, backlog: 250 },
  ])("$name → $backlog", ({ includeInFlight, includeDelayed, backlog }) => {
    const trigger = { type: "sqs" as const, queueUrl, targetBacklogPerTask: 1, includeInFlight, includeDelayed };
    const d = decide(
      request({
        policy: { maxTasks: 10_000, triggers: [trigger], behavior: { scaleUp: { policies: [{ type: "Tasks", value: 10_000, periodSeconds: 15 }] } } },
        service: { desiredCount: 0, runningCount: 0 },
        observations: [{ visible: 200, inFlight: 100, delayed: 50 }],
      }),
    );
    expect(d.proposals[0]!.tasks).toBe(backlog);
  });

  it.each([
    { backlog: 0, activation: 0, active: false },
    { backlog: 1, activation: 0, active: true },
    { backlog: 5, activation: 5, active: false },
    { backlog: 6, activation: 5, active: true },
  ])("activation is strict: backlog $backlog over activationBacklog $activation → active $active", ({ backlog, activation, active }) => {
    const d = decide(
      request({
        policy: { triggers: [{ type: "sqs", queueUrl, activationBacklog: activation }] },
        observations: [{ visible: backlog, inFlight: 0 }],
      }),
    );
    expect(d.proposals[0]!.active).toBe(active);
  });

  it.each([
    { name: "300 messages at the default 5 per task → 60", visible: 300, current: 10, expected: 60 },
    { name: "20 messages on 3 tasks → 4 (keda-docs metricType example)", visible: 20, current: 3, expected: 4 },
    { name: "within tolerance keeps 3 (16 messages on 3 tasks: ratio 1.07)", visible: 16, current: 3, expected: 3 },
    { name: "just outside tolerance moves (17 on 3: ratio 1.13 → 4)", visible: 17, current: 3, expected: 4 },
  ])("$name", ({ visible, current, expected }) => {
    const d = decide(request({ service: { desiredCount: current }, observations: [{ visible, inFlight: 0 }] }));
    expect(d.proposals[0]!.tasks).toBe(expected);
  });

  it("a wait target without measured rates runs the latency model at the configured rate, not the static 100 per task", () => {
    const d = decide(
      request({
        policy: { triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 10, secondsPerMessage: 0.1, includeInFlight: false }] },
        service: { desiredCount: 10, startupSeconds: 5 },
        observations: [{ visible: 1500, inFlight: 0 }],
      }),
    );
    // 10 msg/s per task, horizon 10 − 5 = 5 s: 1500 / (10 · 5) = 30 tasks (the static 1500 / 100 gave 15,
    // which left the backlog waiting 15 s).
    expect(d.proposals[0]!.tasks).toBe(30);
    expect(d.explanation).toContain("rates not measured: arrivals ≥ 0 msg/s from 0 in flight (Little's law)");
  });

  it("measured rates switch a wait target to the latency-aware model", () => {
    const d = decide(
      request({
        policy: { triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 60, secondsPerMessage: 1, includeInFlight: false }] },
        service: { desiredCount: 2, startupSeconds: 30 },
        observations: [{ visible: 300, arrivalRate: 17, processingRatePerTask: 1 }],
      }),
    );
    // The model itself is specified in test/sim; here: the engine hands it the right inputs.
    const model = latencyAwareTasks({ backlog: 300, arrivalRate: 17, processingRatePerTask: 1, targetWaitSeconds: 60, startupSeconds: 30, share: 0.99 });
    expect(d.proposals[0]!.tasks).toBe(model.tasks);
    expect(model.tasks).toBeGreaterThan(15); // more than the static 60 / 1 = 60 per task would give (300 / 60 = 5)
    expect(d.explanation).toContain("wait target 60 s");
  });
});

describe("metric triggers (HPA replica_calculator_test.go, values in milli-units ÷ 1000)", () => {
  it.each([
    { name: "Value scale-up: 8.6 against 4.4 on 1 task → 2", type: "value", value: 8.6, target: 4.4, desired: 1, running: 1, expected: 2 },
    { name: "Value counts running tasks only: 1 of 3 running → 2", type: "value", value: 8.6, target: 4.4, desired: 3, running: 1, expected: 2 },
    { name: "Value scale-down: 8.6 against 14.334 on 5 → 3", type: "value", value: 8.6, target: 14.334, desired: 5, running: 5, expected: 3 },
    { name: "Value within tolerance keeps 3 (ratio 0.9676)", type: "value", value: 8.6, target: 8.888, desired: 3, running: 3, expected: 3 },
    { name: "AverageValue scale-up: 8.6 at 2.15 per task on 3 → 4", type: "averageValue", value: 8.6, target: 2.15, desired: 3, running: 3, expected: 4 },
    { name: "AverageValue scale-down: 8.6 at 2.867 per task on 5 → 3", type: "averageValue", value: 8.6, target: 2.867, desired: 5, running: 5, expected: 3 },
    { name: "AverageValue within tolerance keeps 3 (ratio 0.9885)", type: "averageValue", value: 8.6, target: 2.9, desired: 3, running: 3, expected: 3 },
    { name: "AverageValue within tolerance keeps 4 (ratio 1.0083)", type: "averageValue", value: 20.166, target: 5, desired: 4, running: 4, expected: 4 },
    { name: "AverageValue object scale-down: 6 at 2 per task on 5 → 3", type: "averageValue", value: 6, target: 2, desired: 5, running: 5, expected: 3 },
    { name: "Value from zero is ceil(ratio)", type: "value", value: 8.6, target: 4.4, desired: 0, running: 0, expected: 2 },
    { name: "float noise does not round up: 1.1 at 0.1 per task → 11", type: "averageValue", value: 1.1, target: 0.1, desired: 0, running: 0, expected: 11 },
  ] as const)("$name", ({ type, value, target, desired, running, expected }) => {
    const d = decide(
      request({
        policy: {
          minTasks: 0,
          triggers: [{ type: "metric", metric: { namespace: "App", name: "Load" }, target, targetType: type }],
        },
        service: { desiredCount: desired, runningCount: running, pendingCount: desired - running },
        observations: [{ value }],
      }),
    );
    expect(d.proposals[0]!.tasks).toBe(expected);
  });

  it("several triggers: the largest proposal wins and any active trigger makes the service active", () => {
    const d = decide(
      request({
        policy: {
          triggers: [
            { type: "sqs", queueUrl, includeInFlight: false },
            { type: "metric", metric: { namespace: "App", name: "Latency" }, target: 100, targetType: "value", activationThreshold: 1000 },
          ],
        },
        service: { desiredCount: 4 },
        observations: [{ visible: 10 }, { value: 300 }],
      }),
    );
    expect(d.proposals.map((p) => [p.tasks, p.active])).toEqual([
      [2, true],
      [12, false],
    ]);
    expect(d.desiredCount).toBe(8); // 4 → 12 limited by the default scale-up policy (max(4 + 4, 2 × 4))
    expect(d.reason).toBe("ScaleUpLimit");
  });
});
