/**
 * `step-scaling`: an AWS Application Auto Scaling step-scaling setup as a user following the AWS docs
 * would build it for a queue worker (Application Auto Scaling step scaling,
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html;
 * backlog per task, https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-using-sqs-queue.html):
 *  - the same backlog-per-task metric math as target tracking, on alarms the user creates: scale out on
 *    1 of 1 one-minute datapoints above the acceptable backlog per task (creating your own alarm with
 *    fewer datapoints is the documented way to scale out faster than target tracking), scale in on 5 of 5
 *    datapoints below half of it;
 *  - PercentChangeInCapacity steps that approximate proportional control (scale-out: the capacity times
 *    the upper end of each band of metric/threshold, 1.5× up to 20×), MinAdjustmentMagnitude 1 — more
 *    aggressive than the documentation's examples, so a stronger baseline, not a weaker one;
 *  - Cooldown 300 s (the AAS default); during a scale-out cooldown a new alarm only adds what its step adds
 *    beyond the previous one ("if the alarm fires again at step +3 after a +2 step, only 1 more is added");
 *    a scale-out cancels the scale-in cooldown (§3.2);
 *  - the running count as the base (runaway protection); minimum capacity 1 (AWS strongly recommends > 0,
 *    and with zero tasks the metric has no datapoint).
 */
import { type AlarmPolicyInput, type AlarmSpec, alarmDrivenPolicy, evaluateAlarm } from "./alarm.ts";
import { acceptableBacklogPerTask, type PolicySetting, type SimPolicy } from "./types.ts";

/** One step: bounds relative to the alarm threshold (metric units; null = unbounded), percent change. */
export interface StepAdjustment {
  lower: number | null;
  upper: number | null;
  percent: number;
}

export interface StepScalingConfig {
  minCapacity: number;
  maxCapacity: number;
  scaleOut: { alarm: AlarmSpec; steps: StepAdjustment[]; cooldownSeconds: number };
  scaleIn: { alarm: AlarmSpec; steps: StepAdjustment[]; cooldownSeconds: number };
  minAdjustmentMagnitude: number;
}

/** The user's setup for an acceptable backlog per task of `target` (see the module comment). */
export function stepScalingConfig(target: number, maxCapacity: number): StepScalingConfig {
  // Scale-out bands of metric/target → capacity × the band's upper end.
  const bands: [number, number | null, number][] = [
    [1, 1.5, 50],
    [1.5, 2, 100],
    [2, 3, 200],
    [3, 5, 400],
    [5, 8, 700],
    [8, 12, 1100],
    [12, null, 1900],
  ];
  const low = 0.5 * target;
  return {
    minCapacity: 1,
    maxCapacity,
    scaleOut: {
      alarm: {
        threshold: target,
        comparison: "GreaterThanThreshold",
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      },
      steps: bands.map(([from, to, percent]) => ({
        lower: (from - 1) * target,
        upper: to === null ? null : (to - 1) * target,
        percent,
      })),
      cooldownSeconds: 300,
    },
    scaleIn: {
      alarm: { threshold: low, comparison: "LessThanThreshold", evaluationPeriods: 5, datapointsToAlarm: 5 },
      steps: [
        { lower: -0.25 * target, upper: 0, percent: -10 },
        { lower: null, upper: -0.25 * target, percent: -25 },
      ],
      cooldownSeconds: 300,
    },
    minAdjustmentMagnitude: 1,
  };
}

/** The step whose bounds contain `metric − threshold` (lower inclusive, upper exclusive). */
export function findStep(steps: readonly StepAdjustment[], delta: number): StepAdjustment | undefined {
  return steps.find((s) => (s.lower === null || delta >= s.lower) && (s.upper === null || delta < s.upper));
}

/**
 * PercentChangeInCapacity: the change rounded toward zero but at least one task (and at least
 * MinAdjustmentMagnitude) in its direction, as Auto Scaling rounds percentage adjustments.
 */
export function percentChange(base: number, percent: number, minMagnitude: number): number {
  const raw = (base * percent) / 100;
  const magnitude = Math.max(Math.trunc(Math.abs(raw)), 1, minMagnitude);
  return Math.sign(percent) * magnitude;
}

export class StepScaling {
  private scaleOutAt = Number.NEGATIVE_INFINITY;
  /** Capacity the current scale-out cooldown started from, and what its steps have added so far. */
  private cooldownBase = 0;
  private scaleInAt = Number.NEGATIVE_INFINITY;

  constructor(readonly config: StepScalingConfig) {}

  evaluate(input: AlarmPolicyInput): number | undefined {
    const { now, desired, running, datapoints } = input;
    const { scaleOut, scaleIn, minCapacity, maxCapacity, minAdjustmentMagnitude } = this.config;
    const latest = datapoints[datapoints.length - 1];
    if (latest === undefined) return undefined;
    const outState = evaluateAlarm(scaleOut.alarm, datapoints.slice(-scaleOut.alarm.evaluationPeriods));
    if (outState === "ALARM") {
      const step = findStep(scaleOut.steps, latest - scaleOut.alarm.threshold);
      if (!step) return undefined;
      const inCooldown = now - this.scaleOutAt < scaleOut.cooldownSeconds;
      const base = inCooldown ? this.cooldownBase : Math.max(running, minCapacity);
      const wanted = Math.min(maxCapacity, base + percentChange(base, step.percent, minAdjustmentMagnitude));
      if (wanted <= desired) return undefined;
      if (!inCooldown) {
        this.scaleOutAt = now;
        this.cooldownBase = base;
      }
      // "A scale-in cooldown blocks scale-in, but a scale-out alarm cancels it" (Application Auto Scaling User Guide, step scaling cooldowns).
      this.scaleInAt = Number.NEGATIVE_INFINITY;
      return wanted;
    }
    const inState = evaluateAlarm(scaleIn.alarm, datapoints.slice(-scaleIn.alarm.evaluationPeriods));
    if (inState === "ALARM" && now - this.scaleInAt >= scaleIn.cooldownSeconds) {
      const step = findStep(scaleIn.steps, latest - scaleIn.alarm.threshold);
      if (!step) return undefined;
      const base = Math.min(desired, running);
      const wanted = Math.max(minCapacity, base + percentChange(base, step.percent, minAdjustmentMagnitude));
      if (wanted >= desired) return undefined;
      this.scaleInAt = now;
      return wanted;
    }
    return undefined;
  }
}

export function stepScalingPolicy(setting: PolicySetting): SimPolicy {
  const config = stepScalingConfig(acceptableBacklogPerTask(setting), setting.maxTasks);
  const controller = new StepScaling(config);
  const window = Math.max(config.scaleOut.alarm.evaluationPeriods, config.scaleIn.alarm.evaluationPeriods);
  return alarmDrivenPolicy("step-scaling", setting, window, controller);
}
