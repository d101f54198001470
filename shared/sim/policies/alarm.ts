/**
 * CloudWatch alarms as AWS Application Auto Scaling uses them, over the simulated one-minute metrics:
 * the backlog-per-task metric math of the AAS User Guide and an M-out-of-N alarm evaluation.
 */
import { type SimCloudWatch, simMetricNames } from "../cloudwatch.ts";
import { alarmOffset, type PolicySetting, type SimPolicy } from "./types.ts";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** What an alarm-driven AWS policy (target tracking, step scaling) sees at each evaluation. */
export interface AlarmPolicyInput {
  now: number;
  desired: number;
  running: number;
  /** Latest datapoints of the metric, oldest first (undefined = missing), at least as many as the longest alarm evaluates. */
  datapoints: readonly (number | undefined)[];
}

export interface AlarmSpec {
  threshold: number;
  comparison: "GreaterThanThreshold" | "LessThanThreshold";
  /** N: how many of the latest one-minute datapoints are evaluated. */
  evaluationPeriods: number;
  /** M: how many of them must breach. */
  datapointsToAlarm: number;
}

/**
 * Backlog per task for `minute` (AAS UG "Amazon SQS queue backlog per task"): m1 = AWS/SQS
 * ApproximateNumberOfMessagesVisible, m2 = ECS/ContainerInsights RunningTaskCount (Average), e1 = m1 / m2.
 * With no running tasks the division drops the datapoint (CW UG `using-metric-math`): undefined.
 */
export function backlogPerTask(cloudwatch: SimCloudWatch, minute: number, now: number): number | undefined {
  const visible = cloudwatch.datapoint(simMetricNames.visible, "Sum", 60, minute, now);
  const running = cloudwatch.datapoint(simMetricNames.runningTasks, "Average", 60, minute, now);
  if (visible === undefined || running === undefined || running === 0) return undefined;
  return visible / running;
}

/**
 * Evaluates an alarm on the latest `evaluationPeriods` datapoints (newest last; undefined = missing).
 * Missing data is treated as missing (CloudWatch's default): with no datapoint at all the alarm is
 * INSUFFICIENT_DATA, and target tracking "does not interpret insufficient data as low utilization".
 */
export function evaluateAlarm(spec: AlarmSpec, datapoints: readonly (number | undefined)[]): AlarmState {
  const present = datapoints.filter((v): v is number => v !== undefined);
  if (present.length === 0) return "INSUFFICIENT_DATA";
  const breaching = present.filter((v) =>
    spec.comparison === "GreaterThanThreshold" ? v > spec.threshold : v < spec.threshold,
  ).length;
  return breaching >= spec.datapointsToAlarm ? "ALARM" : "OK";
}

/** The latest `count` published datapoints of a per-minute metric at `now`, oldest first. */
export function latestDatapoints(
  cloudwatch: SimCloudWatch,
  count: number,
  now: number,
  metric: (minute: number) => number | undefined,
): { values: (number | undefined)[]; minute: number } {
  const minute = cloudwatch.latestMinute(now);
  const values: (number | undefined)[] = [];
  for (let k = minute - count + 1; k <= minute; k++) values.push(k < 0 ? undefined : metric(k));
  return { values, minute };
}

/** An alarm-driven AWS policy's per-minute decision: a new desired count, or undefined to leave it. */
export interface AlarmController {
  evaluate(input: AlarmPolicyInput): number | undefined;
}

/**
 * Wires an alarm-driven AWS policy into the world: once a minute (when its alarms evaluate), the latest
 * `window` backlog-per-task datapoints go to `controller`, whose answer becomes the desired count.
 */
export function alarmDrivenPolicy(
  name: "target-tracking" | "step-scaling" | "aws-predictive",
  setting: PolicySetting,
  window: number,
  controller: AlarmController,
): SimPolicy {
  return {
    name,
    initialTasks: Math.max(1, setting.initialTasks),
    attach(world) {
      world.every(60, alarmOffset(setting), (now) => {
        const { desiredCount, runningCount } = world.describe();
        const { values } = latestDatapoints(world.cloudwatch, window, now, (k) =>
          backlogPerTask(world.cloudwatch, k, now),
        );
        const next = controller.evaluate({
          now,
          desired: desiredCount,
          running: runningCount,
          datapoints: values,
        });
        if (next !== undefined && next !== desiredCount) world.setDesiredCount(next);
      });
    },
  };
}
