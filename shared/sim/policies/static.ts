/**
 * `static`: a fixed count sized for the workload's peak, what many teams run instead of autoscaling —
 * enough tasks that the busiest minute runs at 90% utilization (peak rate × processing time / 0.9).
 */
import type { PolicySetting, SimPolicy } from "./types.ts";

/** Utilization the static count is sized to at the peak minute. */
export const staticPeakUtilization = 0.9;

export function staticPolicy(setting: PolicySetting): SimPolicy {
  const tasks = Math.min(
    setting.maxTasks,
    Math.max(
      1,
      Math.ceil(
        (setting.peakRatePerSecond * setting.secondsPerMessage) / setting.concurrency / staticPeakUtilization,
      ),
    ),
  );
  return { name: "static", initialTasks: tasks, attach: () => {} };
}
