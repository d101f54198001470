/**
 * `keda`: KEDA's AWS SQS scaler with the Kubernetes HPA defaults (https://keda.sh/docs/latest/scalers/aws-sqs/,
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/):
 *  - queue length = ApproximateNumberOfMessages + NotVisible (scaleOnInFlight true), read straight from
 *    GetQueueAttributes; `queueLength` (AverageValue target, messages per replica) KEDA's default 5 (§1.1)
 *    unless the user sets one; activationQueueLength 0;
 *  - KEDA's loop every pollingInterval 30 s: active (length > 0) at 0 replicas → 1; inactive longer than
 *    cooldownPeriod 300 s (minReplicaCount 0) → 0;
 *  - the HPA every 15 s (sync period) while replicas > 0: AverageValue proposal ceil(usage / target) unless
 *    usage / (target × replicas) is within tolerance 0.1; no `behavior`, so the 300 s downscale
 *    stabilization (max of recent recommendations) and the scale-up limit max(2 × current, 4); HPA minimum
 *    max(minReplicaCount, 1) = 1.
 */
import { averageValueTasks } from "./hpa.ts";
import type { PolicySetting, SimPolicy } from "./types.ts";

/** KEDA's default `queueLength` for the aws-sqs-queue scaler (https://keda.sh/docs/latest/scalers/aws-sqs/). */
export const kedaDefaultQueueLength = 5;

export interface KedaConfig {
  queueLength: number;
  activationQueueLength: number;
  pollingIntervalSeconds: number;
  cooldownPeriodSeconds: number;
  hpaSyncSeconds: number;
  tolerance: number;
  downscaleStabilizationSeconds: number;
  minReplicaCount: number;
  maxReplicaCount: number;
}

export function kedaConfig(queueLength: number, maxReplicaCount: number): KedaConfig {
  return {
    queueLength,
    activationQueueLength: 0,
    pollingIntervalSeconds: 30,
    cooldownPeriodSeconds: 300,
    hpaSyncSeconds: 15,
    tolerance: 0.1,
    downscaleStabilizationSeconds: 300,
    minReplicaCount: 0,
    maxReplicaCount,
  };
}

/** KEDA's scale loop and the HPA it manages. Each method returns the new replica count or undefined. */
export class Keda {
  private lastActiveAt: number | undefined;
  private readonly recommendations: { at: number; replicas: number }[] = [];

  constructor(readonly config: KedaConfig) {}

  /**
   * Warm start, as for every dynamic policy: KEDA and its HPA have been running `replicas` (the HPA's
   * stabilization window remembers them; KEDA saw the trigger active).
   */
  warmStart(now: number, replicas: number): void {
    this.recommendations.push({ at: now, replicas });
    if (replicas > 0) this.lastActiveAt = now;
  }

  /** KEDA's `RequestScale` (every pollingInterval): only the 0 ↔ 1 decisions. */
  poll(now: number, queueLength: number, replicas: number): number | undefined {
    const { activationQueueLength, cooldownPeriodSeconds, minReplicaCount } = this.config;
    const active = queueLength > activationQueueLength;
    if (active) {
      this.lastActiveAt = now;
      if (replicas === 0) return Math.max(minReplicaCount, 1);
      return undefined;
    }
    // initialCooldownPeriod 0: with no activity ever seen, scale to zero at once.
    if (
      replicas > 0 &&
      minReplicaCount === 0 &&
      (this.lastActiveAt === undefined || this.lastActiveAt + cooldownPeriodSeconds < now)
    ) {
      return 0;
    }
    return undefined;
  }

  /** One HPA sync (`reconcileAutoscaler` without behavior). `podCount` = running + pending tasks. */
  hpaSync(now: number, queueLength: number, replicas: number, podCount: number): number | undefined {
    const c = this.config;
    const minReplicas = Math.max(c.minReplicaCount, 1);
    if (replicas === 0) return undefined; // ScalingDisabled: KEDA owns 0 ↔ 1
    if (replicas > c.maxReplicaCount) return c.maxReplicaCount;
    if (replicas < minReplicas) return minReplicas;
    const proposal = averageValueTasks(queueLength, c.queueLength, podCount, c.tolerance);
    // stabilizeRecommendation: the max of this and every recommendation within the window.
    const horizon = now - c.downscaleStabilizationSeconds;
    while (this.recommendations.length > 0 && this.recommendations[0]!.at <= horizon)
      this.recommendations.shift();
    let stabilized = proposal;
    for (const r of this.recommendations) stabilized = Math.max(stabilized, r.replicas);
    this.recommendations.push({ at: now, replicas: proposal });
    // convertDesiredReplicasWithRules: scale-up limit max(2 × current, 4), then [min, max].
    const scaleUpLimit = Math.max(2 * replicas, 4);
    const next = Math.max(minReplicas, Math.min(stabilized, Math.min(c.maxReplicaCount, scaleUpLimit)));
    return next === replicas ? undefined : next;
  }
}

/**
 * KEDA on the setting's queue at `queueLength` (default: KEDA's own, 5 messages per replica). The benchmark
 * sweeps it to find the cheapest setting that meets the wait target; AWS's backlog-per-task guidance
 * (target wait / processing time per message) is one such setting, not KEDA's default.
 */
export function kedaPolicy(
  setting: PolicySetting,
  options: { queueLength?: number } = {},
): SimPolicy & { readonly config: KedaConfig } {
  const controller = new Keda(kedaConfig(options.queueLength ?? kedaDefaultQueueLength, setting.maxTasks));
  const queueLength = (world: Parameters<SimPolicy["attach"]>[0]) => {
    const depth = world.approximateDepth();
    return depth.visible + depth.inFlight;
  };
  return {
    name: "keda",
    config: controller.config,
    initialTasks: setting.initialTasks,
    attach(world) {
      controller.warmStart(0, setting.initialTasks);
      world.every(controller.config.pollingIntervalSeconds, 0, (now) => {
        const next = controller.poll(now, queueLength(world), world.describe().desiredCount);
        if (next !== undefined) world.setDesiredCount(next);
      });
      world.every(controller.config.hpaSyncSeconds, 5, (now) => {
        const { desiredCount, runningCount, pendingCount } = world.describe();
        const next = controller.hpaSync(now, queueLength(world), desiredCount, runningCount + pendingCount);
        if (next !== undefined) world.setDesiredCount(next);
      });
    },
  };
}
