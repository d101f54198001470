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
  /** sqs with the busy floor on: the tasks busy with the in-flight messages, ceil(inFlight / messagesPerTask). */
  busy?: { tasks: number; inFlight: number; messagesPerTask: number };
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
  const busy =
    trigger.keepBusyTasks && o.inFlight !== undefined
      ? {
          tasks: ceilTolerant(Math.max(0, o.inFlight) / trigger.messagesPerTask),
          inFlight: o.inFlight,
          messagesPerTask: trigger.messagesPerTask,
        }
      : undefined;
  const common = { trigger: index, active, backlog, ...(busy ? { busy } : {}) };

  if (trigger.targetWaitSeconds !== undefined) {
    const latency = latencyProposal(trigger, trigger.targetWaitSeconds, o, service, backlog);
    return {
      ...common,
      tasks: latency.tasks,
      explanation: `${what}, wait target ${trigger.targetWaitSeconds} s for ${Number((100 * trigger.targetWaitShare).toFixed(2))}% of messages: ${latency.explanation}`,
    };
  }
  const { tasks, how } = averageValueProposal(
    backlog,
    trigger.targetBacklogPerTask,
    service.desiredCount,
    tolerance,
  );
  return { ...common, tasks, explanation: `${what} at ${trigger.targetBacklogPerTask} per task ${how}` };
}

/**
 * The latency-aware count. A rate that is not measured (a first pass, no earlier queue snapshot, no
 * CloudWatch minute of the processing rate yet, a failed queue read) is estimated from the live queue
 * instead of falling back to a static backlog per task, which would ask for a fraction of the tasks at
 * work: one task completes `messagesPerTask /
 * secondsPerMessage` per second, and what the busy tasks complete bounds the arrivals from below
 * (Little's law on the snapshot, λ ≥ busy · μ = inFlight · μ / messagesPerTask).
 */
function latencyProposal(
  trigger: SqsTrigger,
  targetWaitSeconds: number,
  o: Observation,
  service: ServiceState,
  backlog: number,
): { tasks: number; explanation: string } {
  const live =
    o.visible !== undefined && o.inFlight !== undefined
      ? {
          visible: o.visible,
          inFlight: o.inFlight,
          runningTasks: service.runningCount,
          messagesPerTask: trigger.messagesPerTask,
        }
      : undefined;
  const estimate = estimatedRates(trigger, targetWaitSeconds, o);
  const latency = latencyAwareTasks({
    backlog,
    arrivalRate: estimate.arrivalRate,
    processingRatePerTask: estimate.processingRatePerTask,
    targetWaitSeconds,
    ...(service.startupSeconds !== undefined ? { startupSeconds: service.startupSeconds } : {}),
    ...(live ? { live } : {}),
    ratesMeasured: estimate.note === undefined,
    share: trigger.targetWaitShare,
  });
  return {
    tasks: latency.tasks,
    explanation: estimate.note ? `${estimate.note}; ${latency.explanation}` : latency.explanation,
  };
}

/** The rates the latency model runs on: the measured ones, or estimates from the config and the live queue. */
export function estimatedRates(
  trigger: SqsTrigger,
  targetWaitSeconds: number,
  o: Observation,
): { arrivalRate: number; processingRatePerTask: number; note?: string } {
  if (o.arrivalRate !== undefined && o.processingRatePerTask !== undefined) {
    return { arrivalRate: o.arrivalRate, processingRatePerTask: o.processingRatePerTask };
  }
  // Without secondsPerMessage the schema derived targetBacklogPerTask from nothing but the user's
  // number; its inverse (AWS guidance: backlog per task = wait / seconds per message) gives the time.
  const secondsPerMessage = trigger.secondsPerMessage ?? targetWaitSeconds / trigger.targetBacklogPerTask;
  const mu = o.processingRatePerTask ?? trigger.messagesPerTask / secondsPerMessage;
  const inFlight = Math.max(0, o.inFlight ?? 0);
  const little = (inFlight / trigger.messagesPerTask) * mu;
  const arrivalRate = Math.max(Math.max(0, o.arrivalRate ?? 0), little);
  const what =
    o.arrivalRate === undefined && o.processingRatePerTask === undefined
      ? "rates"
      : o.arrivalRate === undefined
        ? "arrival rate"
        : "processing rate";
  const arrivals =
    o.arrivalRate === undefined
      ? `arrivals ≥ ${fmt(little)} msg/s from ${inFlight} in flight (Little's law)`
      : `arrivals ${fmt(arrivalRate)} msg/s (measured, at least ${fmt(little)} from ${inFlight} in flight)`;
  const perTask =
    o.processingRatePerTask === undefined
      ? `, ${fmt(mu)} msg/s per task from ${trigger.messagesPerTask} per task / ${fmt(secondsPerMessage)} s per message`
      : "";
  return { arrivalRate, processingRatePerTask: mu, note: `${what} not measured: ${arrivals}${perTask}` };
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
