/**
 * `target-tracking`: AWS Application Auto Scaling target tracking on SQS backlog per task, as documented
 * and observed (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-using-sqs-queue.html):
 *  - metric: backlog per task = ApproximateNumberOfMessagesVisible / RunningTaskCount, 1-minute datapoints
 *    (AAS UG metric-math example); target = acceptable latency / processing time per message;
 *  - AlarmHigh: > target for 3 of 3 datapoints; AlarmLow: < 90% of target for 15 of 15 (aws/containers-roadmap#1208,
 *    AWS workshop; DG `cluster-auto-scaling` for the 15 datapoints);
 *  - while an alarm stays in ALARM the action is invoked once per minute (CW UG `AlarmThatSendsEmail`);
 *  - new capacity = ceil(running × metric / target), from the running count (runaway protection, DG);
 *  - ScaleOutCooldown and ScaleInCooldown 300 s (AAS API default for ECS); during a scale-out cooldown the
 *    capacity already added counts toward the next scale-out; a scale-out cancels the scale-in cooldown;
 *  - insufficient data (no datapoint, e.g. zero running tasks) never scales; minimum capacity 1, as AWS
 *    "strongly recommended", since with zero tasks the metric has no datapoint and cannot scale out;
 *  - scale-in is gradual. Documented (AAS UG, "How target tracking scaling works"): target tracking "is more
 *    aggressive in adding capacity ... than removing it"; it scales out proportionally as fast as it can,
 *    but removes capacity only once the metric is far enough below the target (usually more than 10%),
 *    and not when removing the minimum unit would likely put the metric back above the target. Not
 *    documented: how much one scale-in removes — AWS calls it internal logic (containers-roadmap
 *    "TargetTracking Policy Scaling Aggressiveness", 2024, asks to make it configurable). Assumed here:
 *    each scale-in closes half of the gap between the desired count and the proportional count
 *    (`scaleInGapFraction` 0.5, at least one task), then waits the scale-in cooldown; the sensitivity run
 *    (bench/target-tracking-scale-in.ts) shows 0.1, 0.25, 0.5 and 1 (1: the whole gap in one step).
 */
import { type AlarmPolicyInput, type AlarmSpec, alarmDrivenPolicy, evaluateAlarm } from "./alarm.ts";
import { acceptableBacklogPerTask, type PolicySetting, type SimPolicy } from "./types.ts";

export interface TargetTrackingConfig {
  targetValue: number;
  minCapacity: number;
  maxCapacity: number;
  scaleOutCooldownSeconds: number;
  scaleInCooldownSeconds: number;
  /**
   * Share of the gap between the desired count and the proportional count one scale-in closes (0–1, at
   * least one task). An assumption (file header); default {@link defaultScaleInGapFraction}.
   */
  scaleInGapFraction?: number;
}

/** The assumed share of the gap one gradual scale-in closes (file header). */
export const defaultScaleInGapFraction = 0.5;

/** The alarms AAS creates for a target of `target`. */
export function targetTrackingAlarms(target: number): { high: AlarmSpec; low: AlarmSpec } {
  return {
    high: {
      threshold: target,
      comparison: "GreaterThanThreshold",
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
    low: {
      threshold: 0.9 * target,
      comparison: "LessThanThreshold",
      evaluationPeriods: 15,
      datapointsToAlarm: 15,
    },
  };
}

/** AAS target tracking's per-minute decision; keeps its cooldown clocks. */
export class TargetTracking {
  private lastScaleOutAt = Number.NEGATIVE_INFINITY;
  private lastScaleInAt = Number.NEGATIVE_INFINITY;
  private readonly alarms: { high: AlarmSpec; low: AlarmSpec };

  constructor(readonly config: TargetTrackingConfig) {
    this.alarms = targetTrackingAlarms(config.targetValue);
  }

  /** Returns the new desired count, or undefined to leave it. */
  evaluate(input: AlarmPolicyInput): number | undefined {
    const { now, desired, running, datapoints } = input;
    const { high, low } = this.alarms;
    const latest = datapoints[datapoints.length - 1];
    const highState = evaluateAlarm(high, datapoints.slice(-high.evaluationPeriods));
    const lowState = evaluateAlarm(low, datapoints.slice(-low.evaluationPeriods));
    if (highState === "ALARM" && latest !== undefined) {
      // Below the minimum, AAS first goes to the minimum and continues from there (DG).
      const base = Math.max(running, this.config.minCapacity);
      const wanted = Math.min(this.config.maxCapacity, Math.ceil((base * latest) / this.config.targetValue));
      // Inside or outside the scale-out cooldown, capacity already added (desired) counts: only more is added.
      if (wanted > desired) {
        this.lastScaleOutAt = now;
        this.lastScaleInAt = Number.NEGATIVE_INFINITY;
        return wanted;
      }
      return undefined;
    }
    if (
      lowState === "ALARM" &&
      latest !== undefined &&
      now - this.lastScaleInAt >= this.config.scaleInCooldownSeconds
    ) {
      const proportional = Math.max(
        this.config.minCapacity,
        Math.ceil((running * latest) / this.config.targetValue),
      );
      const fraction = this.config.scaleInGapFraction ?? defaultScaleInGapFraction;
      const wanted = Math.max(
        proportional,
        desired - Math.max(1, Math.ceil((desired - proportional) * fraction)),
      );
      if (wanted < desired) {
        this.lastScaleInAt = now;
        return wanted;
      }
    }
    return undefined;
  }

  /** When the last scale-out happened (for tests). */
  get scaleOutAt(): number {
    return this.lastScaleOutAt;
  }
}

/**
 * Target tracking on the setting's queue. `targetValue` replaces the AWS-guidance backlog per task —
 * the benchmark sweeps it to find the cheapest setting that meets the wait target.
 */
export function targetTrackingPolicy(
  setting: PolicySetting,
  options: { targetValue?: number; scaleInGapFraction?: number } = {},
): SimPolicy {
  const controller = new TargetTracking(targetTrackingConfig(setting, options));
  return alarmDrivenPolicy("target-tracking", setting, 15, controller);
}

/** The AAS defaults for an ECS service on the setting's queue (also what `aws-predictive` pairs with). */
export function targetTrackingConfig(
  setting: PolicySetting,
  options: { targetValue?: number; scaleInGapFraction?: number } = {},
): TargetTrackingConfig {
  return {
    targetValue: options.targetValue ?? acceptableBacklogPerTask(setting),
    minCapacity: 1,
    maxCapacity: setting.maxTasks,
    scaleOutCooldownSeconds: 300,
    scaleInCooldownSeconds: 300,
    scaleInGapFraction: options.scaleInGapFraction ?? defaultScaleInGapFraction,
  };
}
