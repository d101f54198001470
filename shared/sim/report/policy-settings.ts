/**
 * What each policy was configured with on this run, in a reader's words: derived from the run's
 * settings and the policies' own defaults (imported from the policy modules, so the page cannot drift
 * from what ran).
 */

import { predictiveDefaults } from "../policies/aws-predictive.ts";
import { queueWorkerScaleDownWindowSeconds } from "../policies/ecs-autoscaler.ts";
import { kedaConfig, kedaDefaultQueueLength } from "../policies/keda.ts";
import { staticPeakUtilization } from "../policies/static.ts";
import { stepScalingConfig } from "../policies/step-scaling.ts";
import { defaultScaleInGapFraction, targetTrackingAlarms } from "../policies/target-tracking.ts";
import type { SimulationOutput } from "../result.ts";
import { formatNumber } from "./format.ts";

/** Label/value pairs for one policy; empty when the output carries no settings to derive them from. */
export function policySettings(output: SimulationOutput, policy: string): [string, string][] {
  const s = output.settings;
  if (!s) return [];
  const target = output.targetWaitSeconds;
  const backlogPerTask = (target / s.secondsPerMessage) * s.concurrency;
  const max: [string, string] = ["Max tasks", formatNumber(s.maxTasks, 0)];
  const aws: [string, string][] = [
    ["Metric", "backlog per task (visible messages ÷ running tasks), one-minute CloudWatch datapoints"],
    ["Backlog per task target", `${formatNumber(backlogPerTask, 1)} messages (target wait ÷ service time)`],
  ];
  switch (policy) {
    case "ecs-autoscaler":
      if (s.ecsAutoscalerPolicy !== undefined) {
        return [
          ["Policy", `${s.ecsAutoscalerPolicy} (the user's config, validated as the runtime does)`],
          ["Evaluation interval", `${formatNumber(s.intervalSeconds, 1)} s`],
        ];
      }
      return [
        ["Evaluation interval", `${formatNumber(s.intervalSeconds, 1)} s`],
        ["Target wait", `${formatNumber(target, 1)} s`],
        ["Service time estimate", `${formatNumber(s.secondsPerMessage, 2)} s per message until measured`],
        ["Scale to zero", `yes, after a ${queueWorkerScaleDownWindowSeconds} s scale-down window`],
        max,
      ];
    case "target-tracking":
    case "aws-predictive": {
      const { high, low } = targetTrackingAlarms(backlogPerTask);
      const tracking: [string, string][] = [
        ...aws,
        ["Scale out", `${high.datapointsToAlarm} of ${high.evaluationPeriods} datapoints above target`],
        [
          "Scale in",
          `${low.datapointsToAlarm} of ${low.evaluationPeriods} datapoints below ${formatNumber(low.threshold, 1)} messages per task; each step closes ${formatNumber(defaultScaleInGapFraction * 100, 0)} % of the gap to the proportional count (assumed)`,
        ],
        ["Cooldowns", "300 s out, 300 s in (the API defaults)"],
        ["Min tasks", "1"],
        max,
      ];
      if (policy === "target-tracking") return tracking;
      return [
        [
          "Predictive",
          `ForecastAndScale with the target tracking below; first forecast after ${predictiveDefaults.minHistoryHours} h of data, hourly for ${predictiveDefaults.horizonHours} h, refreshed every ${predictiveDefaults.refreshSeconds / 3600} h`,
        ],
        ["Forecast (assumed)", "mean of the same hour on up to 14 previous days of messages sent"],
        ["Scheduling buffer", `${predictiveDefaults.schedulingBufferSeconds} s; never above max tasks`],
        ...tracking,
      ];
    }
    case "step-scaling": {
      const c = stepScalingConfig(backlogPerTask, s.maxTasks);
      const out = c.scaleOut;
      const steps = out.steps.map((step) => step.percent);
      return [
        ...aws,
        [
          "Scale out",
          `${out.alarm.datapointsToAlarm} of ${out.alarm.evaluationPeriods} datapoints above target; steps of +${steps[0]} % to +${steps.at(-1)} %`,
        ],
        [
          "Scale in",
          `${c.scaleIn.alarm.datapointsToAlarm} of ${c.scaleIn.alarm.evaluationPeriods} datapoints below ${formatNumber(c.scaleIn.alarm.threshold, 1)} messages per task`,
        ],
        ["Cooldown", `${out.cooldownSeconds} s`],
        ["Min tasks", String(c.minCapacity)],
        max,
      ];
    }
    case "keda": {
      const c = kedaConfig(s.kedaQueueLength ?? kedaDefaultQueueLength, s.maxTasks);
      return [
        ["queueLength", `${formatNumber(c.queueLength, 2)} messages per task`],
        ["Polling", `every ${c.pollingIntervalSeconds} s (GetQueueAttributes: visible + in flight)`],
        ["Scale-down stabilization", `${c.downscaleStabilizationSeconds} s`],
        ["Cooldown to zero", `${c.cooldownPeriodSeconds} s`],
        max,
      ];
    }
    case "static": {
      const count = output.series.policies.find((p) => p.policy === "static")?.desired[0];
      return [
        ["Tasks", count === undefined ? "—" : formatNumber(count, 0)],
        ["Sized for", `the busiest minute at ${formatNumber(staticPeakUtilization * 100, 0)} % utilization`],
      ];
    }
    case "oracle":
      return [
        ["Knows", "every arrival, service time and startup delay: not deployable"],
        [
          "Schedule",
          "each task launched one startup delay before it is needed, stopped after its last message",
        ],
        ["Idle task", "kept while the gap costs less than a relaunch (startup, one-minute minimum)"],
      ];
    default:
      return [];
  }
}
