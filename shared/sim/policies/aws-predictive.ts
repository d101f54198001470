/**
 * `aws-predictive`: AWS Application Auto Scaling predictive scaling for an ECS service in ForecastAndScale
 * mode, paired with target tracking (target-tracking.ts, gradual scale-in included), as AWS advises.
 *
 * Documented (AAS User Guide, "How Application Auto Scaling predictive scaling works",
 * https://docs.aws.amazon.com/autoscaling/application/userguide/aas-predictive-scaling-how-it-works.html;
 * AAS API PredictiveScalingPolicyConfiguration; for ECS since November 2024):
 *  - a forecast needs at least 24 h of metric data; it analyses up to the past 14 days, forecasts capacity
 *    hourly for the next 48 h, and is refreshed every 6 h;
 *  - ForecastAndScale raises capacity when the forecast expects more load and never scales in on a
 *    forecast ("scale-in only when the demand actually drops"): target tracking does the scale-in;
 *  - SchedulingBufferTime (default 300 s): capacity for an hour is launched that long before the hour;
 *  - MaxCapacityBreachBehavior HonorMaxCapacity (default): never above the maximum capacity.
 * Assumed here (AWS does not publish its forecasting method or these details):
 *  - the load metric is the queue's NumberOfMessagesSent per hour (a custom load metric; the predefined
 *    pairs are CPU, memory and ALB requests, none of which measures a queue's load);
 *  - the forecast of an hour is the mean of the same hour of the previous days in the history (up to 14);
 *  - capacity for a forecast load = the tasks that process it at 80% utilization (the sizing the simulator
 *    uses for the opening service), at most the maximum capacity;
 *  - the forecast capacity of an hour is a floor for that hour: target tracking scales out above it and
 *    scales in down to it, not below;
 *  - hours are counted from the start of the run; the policy is created at the start, so the first
 *    forecast comes once 24 complete hours are published. On a run shorter than that it is target
 *    tracking alone.
 */
import { simMetricNames } from "../cloudwatch.ts";
import { type AlarmController, alarmDrivenPolicy } from "./alarm.ts";
import { TargetTracking, targetTrackingConfig } from "./target-tracking.ts";
import type { PolicySetting, SimPolicy } from "./types.ts";

/**
 * When the first forecast is made (seconds into the run): once 24 complete hours of NumberOfMessagesSent
 * are published. A run that ends by then never sees a forecast, so its decisions are target tracking's.
 */
export function firstForecastAt(setting: Pick<PolicySetting, "metricDelaySeconds">): number {
  return predictiveDefaults.minHistoryHours * 3600 + setting.metricDelaySeconds + 60;
}

/** The documented defaults (file header) and the assumed utilization. */
export const predictiveDefaults = {
  minHistoryHours: 24,
  maxHistoryDays: 14,
  horizonHours: 48,
  refreshSeconds: 6 * 3600,
  schedulingBufferSeconds: 300,
  targetUtilization: 0.8,
} as const;

/**
 * Hourly load forecast for hours `fromHour` … `fromHour + horizon − 1`: each the mean of the same hour on
 * up to `maxDays` previous days present in `history` (messages per hour, index = hour); undefined when no
 * previous day is known.
 */
export function forecastHourlyLoad(
  history: readonly number[],
  fromHour: number,
  horizon: number = predictiveDefaults.horizonHours,
  maxDays: number = predictiveDefaults.maxHistoryDays,
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (let h = fromHour; h < fromHour + horizon; h++) {
    let sum = 0;
    let days = 0;
    for (let k = 1; k <= maxDays; k++) {
      const j = h - 24 * k;
      if (j < 0) break;
      if (j >= history.length) continue;
      sum += history[j]!;
      days++;
    }
    out.push(days > 0 ? sum / days : undefined);
  }
  return out;
}

/** Tasks that process `messagesPerHour` at the assumed utilization, within [0, maxTasks]. */
export function capacityForLoad(setting: PolicySetting, messagesPerHour: number): number {
  const busy = ((messagesPerHour / 3600) * setting.secondsPerMessage) / setting.concurrency;
  return Math.max(
    0,
    Math.min(setting.maxTasks, Math.ceil(busy / predictiveDefaults.targetUtilization - 1e-9)),
  );
}

/** Predictive scaling (ForecastAndScale) with target tracking at the AWS backlog-per-task guidance. */
export function awsPredictivePolicy(setting: PolicySetting): SimPolicy {
  const tracking = new TargetTracking(targetTrackingConfig(setting));
  const capacityByHour = new Map<number, number>();
  let floor = 0;
  // Target tracking decides; the forecast floor of the current hour bounds its scale-in.
  const controller: AlarmController = {
    evaluate(input) {
      const next = tracking.evaluate(input);
      return next === undefined ? undefined : Math.max(next, floor);
    },
  };
  const alarms = alarmDrivenPolicy("aws-predictive", setting, 15, controller);
  const buffer = predictiveDefaults.schedulingBufferSeconds;
  return {
    name: "aws-predictive",
    initialTasks: alarms.initialTasks,
    attach(world) {
      alarms.attach(world);
      const applyFloor = (now: number) => {
        // The current hour's capacity holds to its end; the next hour's starts SchedulingBufferTime early.
        const capacityAt = (t: number) => capacityByHour.get(Math.floor(t / 3600)) ?? 0;
        floor = Math.max(capacityAt(now), capacityAt(now + buffer));
        if (world.describe().desiredCount < floor) world.setDesiredCount(floor);
      };
      // Refresh: every 6 h once 24 complete hours of NumberOfMessagesSent are published.
      world.every(predictiveDefaults.refreshSeconds, firstForecastAt(setting), (now) => {
        const complete = Math.floor((world.cloudwatch.latestMinute(now) + 1) / 60);
        if (complete < predictiveDefaults.minHistoryHours) return;
        // Only the last 14 days are read by the forecast (older hours stay 0 and unused).
        const from = Math.max(0, complete - 24 * predictiveDefaults.maxHistoryDays);
        const history = new Array<number>(complete).fill(0);
        for (let h = from; h < complete; h++) {
          history[h] = world.cloudwatch.datapoint(simMetricNames.sent, "Sum", 3600, 60 * h + 59, now) ?? 0;
        }
        const hour = Math.floor(now / 3600);
        const forecast = forecastHourlyLoad(history, hour);
        capacityByHour.clear();
        for (const [k, load] of forecast.entries()) {
          if (load !== undefined) capacityByHour.set(hour + k, capacityForLoad(setting, load));
        }
        applyFloor(now);
      });
      // The scheduled scale-out of each hour, SchedulingBufferTime before it starts; the hour's start
      // drops the previous hour's floor.
      world.every(3600, 3600 - buffer, applyFloor);
      world.every(3600, 3600, applyFloor);
    },
  };
}
