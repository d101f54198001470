/**
 * The busy floor, applied after the rate limits and before the bounds clamp: with an sqs trigger whose
 * `keepBusyTasks` is on (the default), the count never falls below the tasks busy with that queue's
 * in-flight messages, `ceil(inFlight / messagesPerTask)`. A backlog-per-task formula (10 in flight at
 * 100 per task → 1) or an estimate read low would otherwise ask ECS to stop tasks that are working.
 * It only limits scale-in: the floor is min(current, busy), so it never raises the count by itself.
 * A failed read has no in-flight count and gives no floor (the hold rule covers it). Pure.
 */
import type { ExplainedProposal } from "./triggers.ts";

export interface BusyFloor {
  /** min(current, the largest busy count); 0 when no trigger gives one. */
  floor: number;
  /** The busy count before the min with current, and the trigger it came from. */
  busy: number;
  trigger?: number;
  /** `sqs[0]: 10 in flight / 1 per task = 10 busy tasks`, when some trigger gives a floor. */
  explanation?: string;
}

/** The busy floor of this decision from the proposals' busy counts. */
export function busyFloor(proposals: readonly ExplainedProposal[], current: number): BusyFloor {
  let best: ExplainedProposal | undefined;
  for (const p of proposals) {
    if (p.busy && p.tasks !== null && (!best || p.busy.tasks > best.busy!.tasks)) best = p;
  }
  if (!best?.busy || best.busy.tasks === 0) return { floor: 0, busy: 0 };
  const { tasks, inFlight, messagesPerTask } = best.busy;
  return {
    floor: Math.min(current, tasks),
    busy: tasks,
    trigger: best.trigger,
    explanation: `sqs[${best.trigger}] ${inFlight} in flight / ${messagesPerTask} per task = ${tasks} busy task${tasks === 1 ? "" : "s"}`,
  };
}
