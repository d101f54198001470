/**
 * What a deployment touches, read off a validated config: the ECS services it may scale (configured
 * services and their Spot fallback on-demand siblings), their clusters, the queues it reads, the
 * alarms that trigger it and the capacity providers it tunes. IAM, event patterns and the dashboard
 * are all built from this one plan, so they cannot disagree about what is configured.
 */

import type { Config } from "../../shared/config/index.ts";
import type { ConfigProblem } from "../../shared/config/issues.ts";
import { type QueueIdentity, queueFromUrl } from "./arns.ts";

/** One ECS service the autoscaler may call UpdateService on. */
export interface PlannedService {
  cluster: string;
  service: string;
  /** `configured`: listed in `services[]`; `on-demand sibling`: a Spot fallback target. */
  role: "configured" | "on-demand sibling";
  /** For a configured Fargate Spot service: its on-demand sibling's name. */
  onDemandService?: string;
}

/** A queue one or more triggers read, with the first config path that names it. */
export interface PlannedQueue extends QueueIdentity {
  url: string;
  /** `services[i].policy.triggers[j].queueUrl` of every trigger reading it. */
  usedBy: string[];
  /** Seconds a message may wait (the smallest `targetWaitSeconds` among its triggers), for the dashboard. */
  targetWaitSeconds?: number;
}

export interface DeployPlan {
  services: PlannedService[];
  /** Cluster names, in config order, without repeats. */
  clusters: string[];
  queues: PlannedQueue[];
  /** CloudWatch alarm names whose state changes trigger an evaluation, without repeats. */
  alarmNames: string[];
  /** EC2 capacity providers whose managed scaling follows schedule windows. */
  capacityProviders: string[];
  /** `permissions` of the config: how IAM may group its grants. */
  permissions: Config["permissions"];
}

/**
 * Builds the deployment plan. The config is already schema-valid; what can still be wrong here is
 * what only deployment needs, e.g. a queue URL from which no ARN can be derived. Every such problem
 * is returned, each with its JSON path.
 */
export function planDeployment(
  config: Config,
): { plan: DeployPlan; problems: [] } | { plan?: undefined; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const services: PlannedService[] = [];
  const queues = new Map<string, PlannedQueue>();
  const alarmNames = new Set<string>();

  config.services.forEach((s, i) => {
    const sibling = s.spotFallback?.onDemandService;
    services.push({
      cluster: s.cluster,
      service: s.service,
      role: "configured",
      ...(sibling ? { onDemandService: sibling } : {}),
    });
    if (sibling) services.push({ cluster: s.cluster, service: sibling, role: "on-demand sibling" });
    for (const name of s.alarms) alarmNames.add(name);
    s.policy.triggers.forEach((t, j) => {
      if (t.type !== "sqs") return;
      const path = `services[${i}].policy.triggers[${j}].queueUrl`;
      const queue = queueFromUrl(t.queueUrl);
      if ("problem" in queue) {
        problems.push({ path, message: queue.problem });
        return;
      }
      const known = queues.get(queue.arn);
      const entry = known ?? { ...queue, url: t.queueUrl, usedBy: [] };
      entry.usedBy.push(path);
      if (t.targetWaitSeconds !== undefined) {
        entry.targetWaitSeconds = Math.min(
          entry.targetWaitSeconds ?? Number.POSITIVE_INFINITY,
          t.targetWaitSeconds,
        );
      }
      queues.set(queue.arn, entry);
    });
  });

  if (problems.length > 0) return { problems };
  return {
    plan: {
      services,
      clusters: [...new Set(config.services.map((s) => s.cluster))],
      queues: [...queues.values()],
      alarmNames: [...alarmNames],
      capacityProviders: config.capacityProviders.map((p) => p.name),
      permissions: config.permissions,
    },
    problems: [],
  };
}
