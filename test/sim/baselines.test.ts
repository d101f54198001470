/**
 * Each baseline against timelines worked by hand from its documentation (Application Auto
 * Scaling target tracking (with its gradual scale-in) and step scaling; KEDA's SQS scaler with the HPA defaults). Datapoints are backlog per task, one per minute, oldest first.
 */
import { describe, expect, it } from "vitest";
import { evaluateAlarm } from "../../shared/sim/policies/alarm.ts";
import { averageValueTasks } from "../../shared/sim/policies/hpa.ts";
import { Keda, kedaConfig, kedaPolicy } from "../../shared/sim/policies/keda.ts";
import { staticPolicy } from "../../shared/sim/policies/static.ts";
import { findStep, percentChange, StepScaling, stepScalingConfig } from "../../shared/sim/policies/step-scaling.ts";
import { TargetTracking } from "../../shared/sim/policies/target-tracking.ts";
import type { PolicySetting } from "../../shared/sim/policies/types.ts";

const target = 100; // acceptable backlog per task: 10 s latency / 0.1 s per message (the AWS guide's example)
const tt = () => new TargetTracking({ targetValue: target, minCapacity: 1, maxCapacity: 50, scaleOutCooldownSeconds: 300, scaleInCooldownSeconds: 300 });
const pad = (values: (number | undefined)[]) => [...Array(15 - values.length).fill(100), ...values];

describe("target tracking (AAS, backlog per task)", () => {
  it("the AWS guide's example: 1500 messages on 10 tasks, target 100 → 15 tasks, once 3 of 3 datapoints are above", () => {
    const policy = tt();
    // Two high minutes are not enough (AlarmHigh needs 3 of 3).
    expect(policy.evaluate({ now: 120, desired: 10, running: 10, datapoints: pad([150, 150]) })).toBeUndefined();
    expect(policy.evaluate({ now: 180, desired: 10, running: 10, datapoints: pad([150, 150, 150]) })).toBe(15);
  });

  it("keeps invoking once per minute in ALARM, but capacity already added counts: nothing more until the metric asks for more", () => {
    const policy = tt();
    expect(policy.evaluate({ now: 180, desired: 10, running: 10, datapoints: pad([150, 150, 150]) })).toBe(15);
    // A minute later the new tasks are still starting (running 10): ceil(10 × 150 / 100) = 15 = desired → no change.
    expect(policy.evaluate({ now: 240, desired: 15, running: 10, datapoints: pad([150, 150, 150, 150]) })).toBeUndefined();
    // The backlog keeps growing: 250 per task → 25, more than the 15 already asked for.
    expect(policy.evaluate({ now: 300, desired: 15, running: 10, datapoints: pad([150, 150, 150, 250]) })).toBe(25);
  });

  it("scales in only after 15 of 15 datapoints below 90% of the target, gradually: half the gap to the proportional count, then the 300 s cooldown", () => {
    const policy = tt();
    const low = Array(15).fill(40);
    expect(policy.evaluate({ now: 900, desired: 20, running: 20, datapoints: [95, ...low.slice(1)] })).toBeUndefined(); // 95 > 90: only 14 low
    // Proportional: ceil(20 × 40 / 100) = 8; the gap of 12 is closed by half: 20 − 6 = 14.
    expect(policy.evaluate({ now: 960, desired: 20, running: 20, datapoints: low })).toBe(14);
    expect(policy.evaluate({ now: 1020, desired: 14, running: 14, datapoints: Array(15).fill(10) })).toBeUndefined(); // cooldown
    // 300 s later: proportional ceil(14 × 10 / 100) = 2, gap 12 → 14 − 6 = 8; then 8 → proportional 1, gap 7 → 8 − 4 = 4.
    expect(policy.evaluate({ now: 1260, desired: 14, running: 14, datapoints: Array(15).fill(10) })).toBe(8);
    expect(policy.evaluate({ now: 1560, desired: 8, running: 8, datapoints: Array(15).fill(10) })).toBe(4);
    // Never below the proportional count: from 2 with proportional 1, one task (the least a step removes).
    expect(policy.evaluate({ now: 1860, desired: 2, running: 2, datapoints: Array(15).fill(10) })).toBe(1);
  });

  it("with the whole gap per step (scaleInGapFraction 1), scale-in is proportional in one step", () => {
    const policy = new TargetTracking({ ...tt().config, scaleInGapFraction: 1 });
    expect(policy.evaluate({ now: 960, desired: 20, running: 20, datapoints: Array(15).fill(40) })).toBe(8);
  });

  it("a scale-out cancels the scale-in cooldown", () => {
    const policy = tt();
    expect(policy.evaluate({ now: 900, desired: 20, running: 20, datapoints: Array(15).fill(40) })).toBe(14);
    expect(policy.evaluate({ now: 960, desired: 14, running: 14, datapoints: pad([200, 200, 200]) })).toBe(28);
    // Right after the scale-out: proportional ceil(28 × 20 / 100) = 6, gap 22 → 28 − 11 = 17.
    expect(policy.evaluate({ now: 1020, desired: 28, running: 28, datapoints: Array(15).fill(20) })).toBe(17);
  });

  it("insufficient data (no running task, so no datapoint) never scales", () => {
    const policy = tt();
    expect(policy.evaluate({ now: 180, desired: 1, running: 0, datapoints: Array(15).fill(undefined) })).toBeUndefined();
    expect(evaluateAlarm({ threshold: 1, comparison: "GreaterThanThreshold", evaluationPeriods: 3, datapointsToAlarm: 3 }, [undefined, undefined, undefined])).toBe("INSUFFICIENT_DATA");
  });
});

describe("step scaling (AAS, the user's alarms on backlog per task)", () => {
  const config = stepScalingConfig(target, 100);

  it("picks the step whose bounds (relative to the threshold, lower inclusive) contain the breach", () => {
    expect(findStep(config.scaleOut.steps, 0)?.percent).toBe(50); // metric 100 → [1, 1.5)
    expect(findStep(config.scaleOut.steps, 49.9)?.percent).toBe(50);
    expect(findStep(config.scaleOut.steps, 50)?.percent).toBe(100); // metric 150 → [1.5, 2)
    expect(findStep(config.scaleOut.steps, 1500)?.percent).toBe(1900); // metric 1600 → [12, ∞)
    expect(findStep(config.scaleIn.steps, -10)?.percent).toBe(-10); // metric 40 vs threshold 50
    expect(findStep(config.scaleIn.steps, -30)?.percent).toBe(-25); // metric 20
  });

  it("rounds percentage changes toward zero but moves at least one task", () => {
    expect(percentChange(10, 50, 1)).toBe(5);
    expect(percentChange(3, 50, 1)).toBe(1); // 1.5 → 1
    expect(percentChange(1, 10, 1)).toBe(1); // 0.1 → 1
    expect(percentChange(10, -25, 1)).toBe(-2); // −2.5 → −2
    expect(percentChange(2, -10, 1)).toBe(-1); // −0.2 → −1
  });

  it("scales out on a single high datapoint; inside the cooldown a bigger step adds only its difference", () => {
    const policy = new StepScaling(config);
    // 10 running, metric 160 (1.6 × threshold) → +100% → 20.
    expect(policy.evaluate({ now: 60, desired: 10, running: 10, datapoints: [160] })).toBe(20);
    // Same step a minute later, tasks still starting: the cooldown counts what was added → nothing.
    expect(policy.evaluate({ now: 120, desired: 20, running: 10, datapoints: [160, 170] })).toBeUndefined();
    // A bigger step (metric 250 → +200%) inside the cooldown: from the cooldown's base 10 → 30, i.e. 10 more.
    expect(policy.evaluate({ now: 180, desired: 20, running: 10, datapoints: [160, 170, 250] })).toBe(30);
    // After the 300 s cooldown the base is the running count again: 30 running, metric 160 → 60.
    expect(policy.evaluate({ now: 420, desired: 30, running: 30, datapoints: [160] })).toBe(60);
  });

  it("scales in after 5 of 5 datapoints below half the target, at most once per 300 s", () => {
    const policy = new StepScaling(config);
    expect(policy.evaluate({ now: 240, desired: 20, running: 20, datapoints: [10, 10, 10, 10] })).toBeUndefined(); // 4 of 5
    expect(policy.evaluate({ now: 300, desired: 20, running: 20, datapoints: [10, 10, 10, 10, 10] })).toBe(15); // −25%
    expect(policy.evaluate({ now: 360, desired: 15, running: 15, datapoints: [10, 10, 10, 10, 10] })).toBeUndefined();
    expect(policy.evaluate({ now: 600, desired: 15, running: 15, datapoints: [40, 40, 40, 40, 40] })).toBe(14); // −10%: −1.5 → −1
  });

  it("a scale-out cancels the scale-in cooldown (AAS: a scale-out alarm cancels it)", () => {
    const policy = new StepScaling(config);
    expect(policy.evaluate({ now: 300, desired: 20, running: 20, datapoints: [10, 10, 10, 10, 10] })).toBe(15); // scale-in: cooldown to 600
    expect(policy.evaluate({ now: 360, desired: 15, running: 15, datapoints: [10, 10, 10, 10, 160] })).toBe(30); // scale-out
    // Five low minutes later, still inside the first scale-in's 300 s: the scale-out cancelled that cooldown.
    expect(policy.evaluate({ now: 420, desired: 30, running: 30, datapoints: [10, 10, 10, 10, 10] })).toBe(23); // −25%: −7.5 → −7
  });

  it("never goes below one task", () => {
    const policy = new StepScaling(config);
    expect(policy.evaluate({ now: 300, desired: 1, running: 1, datapoints: [0, 0, 0, 0, 0] })).toBeUndefined();
  });
});

describe("KEDA SQS scaler with HPA defaults", () => {
  const config = kedaConfig(5, 100); // queueLength 5, the KEDA default

  it("HPA AverageValue proposals (replica_calculator_test.go cases, metric in units)", () => {
    expect(averageValueTasks(8.6, 2.15, 3, 0.1)).toBe(4); // TestReplicaCalcScaleUpPerPodCMExternal
    expect(averageValueTasks(8.6, 2.867, 5, 0.1)).toBe(3); // TestReplicaCalcScaleDownPerPodCMExternal
    expect(averageValueTasks(8.6, 2.9, 3, 0.1)).toBe(3); // TestReplicaCalcTolerancePerPodCMExternal: within tolerance
    expect(averageValueTasks(20, 5, 3, 0.1)).toBe(4); // keda-docs: 20 messages, queueLength 5 → 4
    expect(averageValueTasks(300, 5, 1, 0.1)).toBe(60);
  });

  it("KEDA wakes 0 → 1 on the first active poll; the HPA then doubles at most (max(2×, 4)) every 15 s sync", () => {
    const keda = new Keda(config);
    expect(keda.poll(0, 0, 0)).toBeUndefined(); // inactive at zero: nothing
    expect(keda.hpaSync(5, 300, 0, 0)).toBeUndefined(); // HPA disabled at zero replicas
    expect(keda.poll(30, 300, 0)).toBe(1); // activation: 300 > 0
    expect(keda.hpaSync(35, 300, 1, 1)).toBe(4); // wants 60, limit max(2, 4) = 4
    expect(keda.hpaSync(50, 300, 4, 4)).toBe(8);
    expect(keda.hpaSync(65, 300, 8, 8)).toBe(16);
    expect(keda.hpaSync(80, 300, 16, 16)).toBe(32);
    expect(keda.hpaSync(95, 300, 32, 32)).toBe(60);
  });

  it("scale-down waits for the 300 s stabilization window (the max of recent recommendations)", () => {
    const keda = new Keda(config);
    expect(keda.hpaSync(0, 100, 10, 10)).toBe(20);
    expect(keda.hpaSync(15, 10, 20, 20)).toBeUndefined(); // wants 2, but 20 was recommended within 300 s
    expect(keda.hpaSync(299, 10, 20, 20)).toBeUndefined();
    expect(keda.hpaSync(300, 10, 20, 20)).toBe(2); // the 20 at t=0 is now outside (now − 300, now]
  });

  it("scales to zero only when inactive for longer than cooldownPeriod (strictly after 300 s)", () => {
    const keda = new Keda(config);
    expect(keda.poll(0, 7, 3)).toBeUndefined(); // active: remember the time
    expect(keda.poll(300, 0, 3)).toBeUndefined(); // 0 + 300 is not before 300
    expect(keda.poll(330, 0, 3)).toBe(0);
  });

  it("with activity never seen, goes to zero at once (initialCooldownPeriod 0)", () => {
    expect(new Keda(config).poll(0, 0, 5)).toBe(0);
  });

  it("keeps the count within tolerance 0.1", () => {
    const keda = new Keda(config);
    expect(keda.hpaSync(0, 52, 10, 10)).toBeUndefined(); // 52 / (5 × 10) = 1.04
    expect(keda.hpaSync(15, 56, 10, 10)).toBe(12); // 1.12 → ceil(56 / 5)
  });

  it.each([
    // the policy as the simulator builds it: KEDA's documented default unless the user sets queueLength
    ["KEDA's default queueLength 5 when none is set (not the AWS guidance, 120 s / 2 s = 60)", {}, 5],
    ["the user's queueLength when one is set", { queueLength: 60 }, 60],
  ])("runs at %s", (_, options, queueLength) => {
    expect(kedaPolicy(settingOf({ targetWaitSeconds: 120, secondsPerMessage: 2 }), options).config.queueLength).toBe(queueLength);
  });
});

describe("static", () => {
  it("sizes for the peak minute at 90% utilization", () => {
    expect(staticPolicy(settingOf({ peakRatePerSecond: 45 })).initialTasks).toBe(100); // 45 × 2 / 0.9
  });
});

function settingOf(overrides: Partial<PolicySetting>): PolicySetting {
  return {
    targetWaitSeconds: 120,
    secondsPerMessage: 2,
    concurrency: 1,
    maxTasks: 1000,
    initialTasks: 3,
    peakRatePerSecond: 45,
    metricDelaySeconds: 60,
    seed: 1,
    ...overrides,
  };
}
