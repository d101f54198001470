/**
 * Step 1 of `decide`, triggers → proposals: each trigger's reading becomes a task count (KEDA's SQS scaler
 * and the HPA's external-metric formulas) and an activity flag (KEDA activation, strict >). Pure.
 */
import { ceilTolerant } from "./counts.ts";
import { latencyAwareTasks } from "./latency.ts";
import type { MetricTrigger, Observation, Policy, Proposal, ServiceState, SqsTrigger } from "./types.ts";

/** A proposal with the sentence that explains its number. */
export interface ExplainedProposal extends Proposal {
  explanation: string;
  /** The sqs backlog this proposal was computed from, for logs and metrics. */
  backlog?: number;
}

/** Evaluates every trigger against its observation (same order). */
export function proposeFromTriggers(
  policy: Policy,
  service: ServiceState,
  observations: readonly Observation[],
): ExplainedProposal[] {
  return policy.triggers.map((trigger, i) => {
    const observation = observations[i]!;
    if (observation.error !== undefined) {
      return {
        trigger: i,
        tasks: null,
        active: false,
        error: observation.error,
        explanation: `${label(trigger.type, i)} read failed: ${observation.error}`,
      };
    }
    return trigger.type === "sqs"
      ? proposeFromQueue(trigger, i, observation, service, policy.tolerance)
      : proposeFromMetric(trigger, i, observation, service, policy.tolerance);
  });
}

function label(type: string, index: number): string {
  return `${type}[${index}]`;
}

function proposeFromQueue(
  trigger: SqsTrigger,
  index: number,
  o: Observation,
  service: ServiceState,
  tolerance: number,
): ExplainedProposal {
  const parts = [`visible ${o.visible ?? 0}`];
  let backlog = o.visible ?? 0;
  if (trigger.includeInFlight) {
    backlog += o.inFlight ?? 0;
    parts.push(`inFlight ${o.inFlight ?? 0}`);
  }
  if (trigger.includeDelayed) {
    backlog += o.delayed ?? 0;
    parts.push(`delayed ${o.delayed ?? 0}`);
  }
  const active = backlog > trigger.activationBacklog;
  const what = `${label("sqs", index)} backlog ${backlog}${parts.length > 1 ? ` (${parts.join(" + ")})` : ""}`;

  if (trigger.targetWaitSeconds !== undefined && o.processingRatePerTask !== undefined) {
    const latency = latencyAwareTasks({
      backlog,
      arrivalRate: o.arrivalRate ?? 0,
      processingRatePerTask: o.processingRatePerTask,
      targetWaitSeconds: trigger.targetWaitSeconds,
      ...(service.startupSeconds !== undefined ? { startupSeconds: service.startupSeconds } : {}),
      ...(o.visible !== undefined && o.inFlight !== undefined
        ? {
            live: {
              visible: o.visible,
              inFlight: o.inFlight,
              runningTasks: service.runningCount,
              messagesPerTask: trigger.messagesPerTask,
            },
          }
        : {}),
    });
    return {
      trigger: index,
      tasks: latency.tasks,
      active,
      backlog,
      explanation: `${what}, wait target ${trigger.targetWaitSeconds} s: ${latency.explanation}`,
    };
  }
  const { tasks, how } = averageValueProposal(
    backlog,
    trigger.targetBacklogPerTask,
    service.desiredCount,
    tolerance,
  );
  return {
    trigger: index,
    tasks,
    active,
    backlog,
    explanation: `${what} at ${trigger.targetBacklogPerTask} per task ${how}`,
  };
}

function proposeFromMetric(
  trigger: MetricTrigger,
  index: number,
  o: Observation,
  service: ServiceState,
  tolerance: number,
): ExplainedProposal {
  const value = o.value!;
  const active = value > trigger.activationThreshold;
  const what = `${label("metric", index)} value ${value}`;
  if (trigger.targetType === "averageValue") {
    const { tasks, how } = averageValueProposal(value, trigger.target, service.desiredCount, tolerance);
    return { trigger: index, tasks, active, explanation: `${what} at ${trigger.target} per task ${how}` };
  }
  const { tasks, how } = valueProposal(value, trigger.target, service, tolerance);
  return { trigger: index, tasks, active, explanation: `${what} against target ${trigger.target} ${how}` };
}

/**
 * HPA AverageValue (`GetExternalPerPodMetricReplicas`): within tolerance of `target` per task keeps the
 * current count, else ceil(usage / target). The current count is ECS's desiredCount.
 */
export function averageValueProposal(
  usage: number,
  target: number,
  current: number,
  tolerance: number,
): { tasks: number; how: string } {
  const wanted = ceilTolerant(Math.max(0, usage) / target);
  if (current > 0) {
    const ratio = usage / (target * current);
    if (ratio >= 1 - tolerance && ratio <= 1 + tolerance) {
      return {
        tasks: current,
        how: `is ${fmt(usage / current)} per task on ${current}, within tolerance ${tolerance} → ${current}`,
      };
    }
  }
  return { tasks: wanted, how: `→ ${wanted}` };
}

/**
 * HPA Value (`GetExternalMetricReplicas`): ratio = value / target; from zero ceil(ratio); within tolerance
 * the current count; else ceil(ratio × running). Running counts at least 1 so that tasks still starting do
 * not turn a high reading into a scale-in (chosen semantics, as Knative's max(1, ready)).
 */
export function valueProposal(
  value: number,
  target: number,
  service: ServiceState,
  tolerance: number,
): { tasks: number; how: string } {
  const ratio = Math.max(0, value) / target;
  const current = service.desiredCount;
  if (current === 0) {
    const tasks = ceilTolerant(ratio);
    return { tasks, how: `(ratio ${fmt(ratio)}) from zero → ${tasks}` };
  }
  if (ratio >= 1 - tolerance && ratio <= 1 + tolerance) {
    return { tasks: current, how: `(ratio ${fmt(ratio)}) within tolerance ${tolerance} → ${current}` };
  }
  const ready = Math.max(1, service.runningCount);
  const tasks = ceilTolerant(ratio * ready);
  return { tasks, how: `(ratio ${fmt(ratio)}) × ${ready} running → ${tasks}` };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, "");
}
