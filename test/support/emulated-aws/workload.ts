/**
 * Fleets for the fault suite and the fleet bench: `n` queue workers spread over clusters, each with
 * its own queue (every fifth one also a CloudWatch metric trigger, so GetMetricData is on the path),
 * and queue depths that drift from a seed.
 */
import { type Config, checkConfig } from "../../../shared/config/config-file.ts";
import { ACCOUNT, type EmulatedEcs, REGION } from "./ecs.ts";
import type { EmulatedCloudWatch, EmulatedSqs } from "./queues-metrics.ts";
import { between, type Random } from "./rng.ts";

export interface FleetOptions {
  services: number;
  /** Services per cluster (DescribeServices batches by cluster). Default 50. */
  perCluster?: number;
  minTasks?: number;
  maxTasks?: number;
  /** Scale-down stabilization; 0 (default here) lets scale-downs happen within a short run. */
  scaleDownWindowSeconds?: number;
  /** Every k-th service gets a KEDA-style fallback (3 tasks after 2 failed reads). Default 4. */
  fallbackEvery?: number;
  intervalSeconds?: number;
}

/** The queue URL of service `i`. */
export const queueUrlOf = (i: number) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/q${i}`;
/** `cluster/service` of service `i`. */
export const serviceKeyOf = (i: number, perCluster = 50) => `c${Math.floor(i / perCluster)}/svc${i}`;

/** Messages per task in every fleet policy. */
export const BACKLOG_PER_TASK = 5;

/** A validated config of `services` workers. */
export function fleetConfig(options: FleetOptions): Config {
  const perCluster = options.perCluster ?? 50;
  const fallbackEvery = options.fallbackEvery ?? 4;
  const services = Array.from({ length: options.services }, (_, i) => {
    const [cluster, service] = serviceKeyOf(i, perCluster).split("/");
    const triggers: unknown[] = [{ type: "sqs", queueUrl: queueUrlOf(i), targetBacklogPerTask: BACKLOG_PER_TASK, includeInFlight: false }];
    if (i % 5 === 4)
      triggers.push({
        type: "metric",
        metric: { namespace: "App", name: "Latency", dimensions: [{ name: "Service", value: service }] },
        target: 50,
        targetType: "value",
      });
    return {
      cluster,
      service,
      policy: {
        minTasks: options.minTasks ?? 1,
        maxTasks: options.maxTasks ?? 20,
        triggers,
        behavior: { scaleDown: { stabilizationWindowSeconds: options.scaleDownWindowSeconds ?? 0 } },
        ...(fallbackEvery > 0 && i % fallbackEvery === 0 ? { fallback: { failureThreshold: 2, tasks: 3 } } : {}),
      },
    };
  });
  const result = checkConfig({ intervalSeconds: options.intervalSeconds ?? 10, services });
  if (!result.config) throw new Error(`fleet config: ${JSON.stringify(result.problems).slice(0, 500)}`);
  return result.config;
}

/** Puts every configured service into ECS at `desired` and gives its queue `visible` messages. */
export function seedFleet(config: Config, world: { ecs: EmulatedEcs; sqs: EmulatedSqs; cloudwatch: EmulatedCloudWatch }, desired: (i: number) => number, visible: (i: number) => number): void {
  config.services.forEach((s, i) => {
    world.ecs.put(`${s.cluster}/${s.service}`, desired(i));
    world.sqs.queues.set(queueUrlOf(i), { visible: visible(i), inFlight: 0, delayed: 0 });
  });
  world.cloudwatch.valueOf = (key) => (key.startsWith("App/Latency/") ? 40 : undefined);
}

/** Moves every queue's depth by a seeded step, kept within 0 … (maxTasks + 4) × backlog per task. */
export function driftQueues(sqs: EmulatedSqs, random: Random, maxTasks = 20): void {
  const ceiling = (maxTasks + 4) * BACKLOG_PER_TASK;
  for (const q of sqs.queues.values()) {
    const step = between(random, -25, 25);
    q.visible = Math.min(ceiling, Math.max(0, q.visible + step));
  }
}
