/**
 * The engine: `decide(request) → decision`. Pure — no SDK, no environment, no clock, no logger: time,
 * history and observations are arguments and the updated history is part of the result.
 *
 * The steps, each a small named function:
 *   triggers → proposals (triggers.ts) · bounds and schedules (bounds.ts) · failures and fallback ·
 *   zero and activation · stabilization (stabilization.ts) · rate limits (rate-limit.ts) · bounds clamp.
 * Every decision carries a reason code and a one-line explanation with its numbers.
 */
import { problemsOf, ValidationError } from "../config/issues.ts";
import { type DecideRequest, type History, requestSchema } from "../config/request.ts";
import { type EffectiveBounds, effectiveBounds } from "./bounds.ts";
import { emptyHistory, pruneByAge, recommendationHorizon, scaleEventHorizon } from "./history.ts";
import { rateLimit } from "./rate-limit.ts";
import { stabilize } from "./stabilization.ts";
import { type ExplainedProposal, proposeFromTriggers } from "./triggers.ts";
import type { Decision, ReasonCode } from "./types.ts";

/** Parses and validates a raw `decide` request; throws {@link ValidationError} naming every bad path. */
export function parseDecideRequest(json: unknown): DecideRequest {
  const result = requestSchema.safeParse(json);
  if (!result.success) throw new ValidationError("request", problemsOf(result.error));
  return result.data;
}

/** Computes the desired task count of one service. See the module comment for the steps. */
export function decide(request: DecideRequest): Decision {
  const { policy, service } = request;
  const nowMs = Date.parse(request.now);
  const history = request.history ?? emptyHistory();
  const current = service.desiredCount;
  const bounds = effectiveBounds(policy, new Date(nowMs));
  const proposals = proposeFromTriggers(policy, service, request.observations);
  const steps: string[] = proposals.map((p) => p.explanation);
  const active = proposals.some((p) => p.active);
  const lastActiveAt = active ? request.now : history.lastActiveAt;

  const finish = (tasks: number, reason: ReasonCode, extra: HistoryUpdate = {}): Decision => {
    const next = nextHistory(request, history, tasks, extra);
    return {
      desiredCount: tasks,
      reason,
      explanation: explain(steps, tasks, reason),
      proposals: proposals.map(({ trigger, tasks: t, active: a, error }) => ({
        trigger,
        tasks: t,
        active: a,
        ...(error ? { error } : {}),
      })),
      history: next,
    };
  };

  // Failures: never scale down on missing or partial data; after too many, the fallback count.
  const failed = proposals.filter((p) => p.tasks === null);
  const valid = proposals.filter((p): p is ExplainedProposal & { tasks: number } => p.tasks !== null);
  const failures = failed.length > 0 ? history.failures + 1 : 0;
  let desired = Math.max(0, ...valid.map((p) => p.tasks));
  let special: ReasonCode | undefined;
  if (failed.length > 0) {
    if (policy.fallback && failures > policy.fallback.failureThreshold) {
      desired = policy.fallback.tasks;
      special = "FallbackApplied";
      steps.push(
        `${failures} consecutive failed reads > threshold ${policy.fallback.failureThreshold}: fallback ${desired}`,
      );
    } else if (valid.length === 0 || desired <= current) {
      const held = clamp(current, bounds);
      steps.push(
        `${failures} consecutive failed read(s): hold ${current}${boundsNote(held.tasks, current, bounds)}`,
      );
      return finish(held.tasks, held.reason ?? "ReadFailedHold", {
        failures,
        lastActiveAt,
        recordRecommendation: false,
      });
    } else {
      steps.push(`partial data but the valid proposals scale up to ${desired}`);
    }
  } else if (proposals.length > 1) {
    steps.push(`largest proposal ${desired}`);
  }

  // Zero and activation (KEDA): only where the minimum in force is 0.
  // KEDA keeps at least one task while idle but not yet past idleSeconds (its HPA minimum is max(min, 1)).
  let floor = 0;
  let effectiveLastActive = lastActiveAt;
  if (bounds.min === 0 && special !== "FallbackApplied") {
    if (current === 0) {
      if (!active) {
        steps.push("no trigger active");
        return finish(clamp(0, bounds).tasks, "Idle", { failures, lastActiveAt });
      }
      desired = Math.max(1, desired);
      special = "WakeFromZero";
    } else if (!active) {
      // No history yet: the idle clock starts now rather than scaling in on a first sighting.
      effectiveLastActive = lastActiveAt ?? request.now;
      const idleSeconds = (nowMs - Date.parse(effectiveLastActive)) / 1000;
      if (idleSeconds > policy.scaleToZero.idleSeconds) {
        steps.push(`no trigger active for ${idleSeconds} s > ${policy.scaleToZero.idleSeconds} s`);
        return finish(0, "ScaleToZero", { failures, lastActiveAt: effectiveLastActive });
      }
      steps.push(`no trigger active for ${idleSeconds} s of ${policy.scaleToZero.idleSeconds} s before zero`);
      special = "IdleCooldown";
    }
    floor = Math.min(1, bounds.max);
  }

  const stabilized = stabilize(policy.behavior, current, desired, history.recommendations, nowMs);
  if (stabilized.explanation) steps.push(stabilized.explanation);
  const limited = rateLimit(policy.behavior, current, stabilized.tasks, history.scaleEvents, nowMs);
  if (limited.explanation) steps.push(limited.explanation);
  let tasks = limited.tasks;
  if (special === "WakeFromZero" && tasks < 1) tasks = 1; // a Percent-only policy allows 0% of 0
  const clamped = clamp(Math.max(tasks, floor), bounds);
  if (clamped.reason) steps.push(boundsNote(clamped.tasks, tasks, bounds).replace(/^, /, ""));

  const reason =
    clamped.reason ??
    (special === "FallbackApplied" || special === "WakeFromZero" ? special : undefined) ??
    limited.limitedBy ??
    stabilized.limitedBy ??
    special ??
    (clamped.tasks > current ? "ScaleUp" : clamped.tasks < current ? "ScaleDown" : "NoChange");
  return finish(clamped.tasks, reason, {
    failures,
    lastActiveAt: effectiveLastActive,
    recommendation: desired,
  });
}

/** Joins the steps into one line, ending with the result unless the last step already states it. */
function explain(steps: readonly string[], tasks: number, reason: ReasonCode): string {
  const text = steps.filter((s) => s !== "").join("; ");
  return text.endsWith(`→ ${tasks}`) ? `${text} (${reason})` : `${text} ⇒ ${tasks} (${reason})`;
}

/** Bounds clamp: a raised minimum or lowered maximum applies at once, after (not through) the rate limits. */
function clamp(tasks: number, bounds: EffectiveBounds): { tasks: number; reason?: ReasonCode } {
  if (tasks < bounds.min)
    return { tasks: bounds.min, reason: bounds.schedule ? "ScheduleMinimum" : "TooFewTasks" };
  if (tasks > bounds.max)
    return { tasks: bounds.max, reason: bounds.schedule ? "ScheduleMaximum" : "TooManyTasks" };
  return { tasks };
}

function boundsNote(result: number, from: number, bounds: EffectiveBounds): string {
  if (result === from) return "";
  const where = bounds.schedule ? ` of schedule "${bounds.schedule.name}"` : "";
  return result > from ? `, minimum ${bounds.min}${where}` : `, maximum ${bounds.max}${where}`;
}

interface HistoryUpdate {
  failures?: number;
  lastActiveAt?: string | undefined;
  /** The unstabilised recommendation to remember (the HPA stores the raw desired count). */
  recommendation?: number;
  recordRecommendation?: boolean;
}

/** The history the next decision needs: this recommendation and scale event added, old entries pruned. */
function nextHistory(
  request: DecideRequest,
  history: History,
  tasks: number,
  update: HistoryUpdate,
): History {
  const nowMs = Date.parse(request.now);
  const current = request.service.desiredCount;
  const recommendations =
    update.recordRecommendation === false
      ? history.recommendations
      : [...history.recommendations, { at: request.now, tasks: update.recommendation ?? tasks }];
  const scaleEvents =
    tasks === current
      ? history.scaleEvents
      : [...history.scaleEvents, { at: request.now, from: current, to: tasks }];
  const next: History = {
    recommendations: pruneByAge(recommendations, recommendationHorizon(request.policy), nowMs),
    scaleEvents: pruneByAge(scaleEvents, scaleEventHorizon(request.policy), nowMs),
    failures: update.failures ?? 0,
  };
  if (update.lastActiveAt !== undefined) next.lastActiveAt = update.lastActiveAt;
  return next;
}
