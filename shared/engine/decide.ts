/**
 * The engine: `decide(request) → decision`. Pure — no SDK, no environment, no clock, no logger: time,
 * history and observations are arguments and the updated history is part of the result.
 *
 * The steps, each a small named function, numbered as in the README's "How a decision is made":
 *   1. triggers → proposals (triggers.ts); 2. bounds and schedules (bounds.ts); 3. failures and
 *   fallback (failures.ts), then the forecast raise of a predictive policy (forecast.ts); 4. zero and
 *   activation (zero.ts); 5. stabilization, seeded with the current count at first sight
 *   (stabilization.ts); 6. rate limits (rate-limit.ts); 7. the busy floor (busy.ts); 8. bounds clamp (here).
 * Every decision carries a reason code and a one-line explanation with its numbers.
 */
import { type EffectiveBounds, effectiveBounds } from "./bounds.ts";
import { type BusyFloor, busyFloor } from "./busy.ts";
import { assessReadings } from "./failures.ts";
import { type ForecastStep, forecastStep } from "./forecast.ts";
import {
  appendRun,
  emptyHistory,
  pruneByAge,
  pruneRuns,
  recommendationHorizon,
  scaleEventHorizon,
} from "./history.ts";
import { rateLimit } from "./rate-limit.ts";
import { stabilize, withFirstSight } from "./stabilization.ts";
import { type ExplainedProposal, proposeFromTriggers } from "./triggers.ts";
import type { DecideRequest, Decision, History, ReasonCode } from "./types.ts";
import { type ZeroStep, zeroAndActivation } from "./zero.ts";

/** Computes the desired task count of one service. See the module comment for the steps. */
export function decide(request: DecideRequest): Decision {
  const { policy, service } = request;
  const nowMs = Date.parse(request.now);
  const current = service.desiredCount;
  const { history: given, note: historyNote } = historyUpTo(
    request.history ?? emptyHistory(),
    nowMs,
    request.now,
  );
  let history = given;
  const bounds = effectiveBounds(policy, new Date(nowMs));
  const proposals = proposeFromTriggers(policy, service, request.observations);
  const steps: string[] = proposals.map((p) => p.explanation);
  if (historyNote) steps.unshift(historyNote);

  const readings = assessReadings(policy, proposals, history.failures, current);
  const busy = busyFloor(proposals, current);
  const predicted = forecastStep(policy, service, request.observations, proposals, request.forecast);
  // A forecast raises only on readings it can trust (all, or the valid ones scaling up): never in a hold.
  const forecast: ForecastStep =
    predicted.kind === "raise" && readings.kind !== "ok" && readings.kind !== "partial"
      ? { kind: "ignored", explanation: `${predicted.explanation}, ignored: reads failed` }
      : predicted;
  const active =
    proposals.some((p) => p.active) ||
    readings.kind === "fallback" ||
    (forecast.kind === "raise" && forecast.active);
  // The idle clock runs only while nothing keeps the service up: an active trigger, the fallback or a
  // minimum above 0 (so a closing schedule window starts the cooldown instead of dropping to zero).
  // It is stored as the turn (idle since), not refreshed at every active decision.
  const keptUp = active || bounds.min > 0;
  const storedIdle = keptUp ? undefined : (history.idleSince ?? history.lastActiveAt);
  const made: Made = { request, steps, proposals, failures: readings.failures };

  if (readings.kind === "hold") {
    const held = clamp(current, bounds);
    steps.push(`${readings.explanation}${boundsNote(held.tasks, current, bounds)}`);
    return finish(made, history, held.tasks, held.reason ?? "ReadFailedHold", {
      idleSince: storedIdle,
      recordRecommendation: false,
    });
  }
  if (readings.kind !== "ok") steps.push(readings.explanation);
  else if (proposals.length > 1) steps.push(`largest proposal ${readings.desired}`);
  let desired = readings.desired;
  const forecastRaised = forecast.kind === "raise" && forecast.tasks > desired;
  if (forecast.kind === "raise") {
    steps.push(
      forecastRaised
        ? `${forecast.explanation}: raises ${desired} → ${forecast.tasks}`
        : `${forecast.explanation}: the live count ${desired} covers it`,
    );
    desired = Math.max(desired, forecast.tasks);
  } else if (forecast.kind === "ignored") steps.push(forecast.explanation);

  // Nothing kept it up before: the idle clock starts at this decision rather than scaling in at once.
  const idleSince = keptUp ? undefined : (storedIdle ?? request.now);
  const zeroStep = zeroAndActivation({
    policy,
    bounds,
    current,
    active,
    anyReadFailed: readings.kind !== "ok",
    idleSinceMs: Date.parse(idleSince ?? request.now),
    nowMs,
  });
  const zero = notToZeroWhileBusy(zeroStep, busy, bounds.max);
  if (zero.kind === "stay") {
    steps.push(zero.explanation);
    return finish(made, history, clamp(0, bounds).tasks, zero.reason, { idleSince });
  }
  if (zero.kind === "toZero") {
    steps.push(zero.explanation);
    return finish(made, history, 0, "ScaleToZero", { idleSince, recommendation: 0 });
  }
  if (zero.kind === "cooldown") steps.push(zero.explanation);
  if (zero.kind === "wake") desired = Math.max(1, desired);

  // Only a count headed below the current one needs the seed; a minimum that keeps it says so itself.
  const seen = withFirstSight(history.recommendations, current, Math.max(desired, bounds.min), request.now);
  history = { ...history, recommendations: seen.recommendations };
  const stabilized = stabilize(
    policy.behavior,
    current,
    desired,
    history.recommendations,
    nowMs,
    request.intervalSeconds,
  );
  if (seen.seeded && stabilized.limitedBy === "ScaleDownStabilized")
    steps.push(`first sight: the current ${current} counts as a recommendation now`);
  if (stabilized.explanation) steps.push(stabilized.explanation);
  const limited = rateLimit(policy.behavior, current, stabilized.tasks, history.scaleEvents, nowMs);
  if (limited.explanation) steps.push(limited.explanation);
  // A Percent-only scale-up policy allows 0% of 0: waking always gives at least one task.
  const floored = Math.max(limited.tasks, zero.floor, busy.floor);
  const busyHeld = busy.floor > limited.tasks && busy.floor >= zero.floor;
  if (busyHeld) steps.push(`busy floor: ${busy.explanation} → ${busy.floor}`);
  const clamped = clamp(floored, bounds);
  if (clamped.reason) {
    const note = boundsNote(clamped.tasks, floored, bounds).replace(/^, /, "");
    steps.push(busyHeld && clamped.tasks < floored ? `${note} wins over the busy floor` : note);
  }

  const result = clamped.tasks;
  const fallbackApplied =
    readings.kind === "fallback" && result === readings.fallbackTasks && readings.fallbackTasks >= desired;
  const reason =
    clamped.reason ??
    (busyHeld ? "BusyTasksFloor" : undefined) ??
    (zero.kind === "wake" && result > 0 ? "WakeFromZero" : undefined) ??
    (fallbackApplied ? "FallbackApplied" : undefined) ??
    (zero.kind === "cooldown" && floored > limited.tasks ? "IdleCooldown" : undefined) ??
    limited.limitedBy ??
    stabilized.limitedBy ??
    (forecastRaised && result > readings.desired ? "ForecastRaise" : undefined) ??
    (result > current ? "ScaleUp" : result < current ? "ScaleDown" : "NoChange");
  return finish(made, history, result, reason, { idleSince, recommendation: desired });
}

/** What every decision is finished from: the request, the steps explained so far, the proposals, the failed-read count. */
interface Made {
  request: DecideRequest;
  steps: readonly string[];
  proposals: readonly ExplainedProposal[];
  failures: number;
}

/**
 * The decision of `tasks` for `reason`, with the history after it. A function, not a closure made in
 * `decide`: under esbuild's keepNames each named closure made per decision also defines its name.
 */
function finish(
  made: Made,
  history: History,
  tasks: number,
  reason: ReasonCode,
  update: HistoryUpdate,
): Decision {
  return {
    desiredCount: tasks,
    reason,
    explanation: explain(made.steps, tasks, reason),
    proposals: made.proposals.map(({ trigger, tasks: t, active: a, error }) => ({
      trigger,
      tasks: t,
      active: a,
      ...(error ? { error } : {}),
    })),
    history: nextHistory(made.request, history, tasks, { ...update, failures: made.failures }),
  };
}

/** Idle long enough, but messages are still in flight: the idle cooldown goes on instead of zero. */
function notToZeroWhileBusy(step: ZeroStep, busy: BusyFloor, max: number): ZeroStep {
  if (step.kind !== "toZero" || busy.floor === 0) return step;
  return {
    kind: "cooldown",
    floor: Math.min(1, max),
    explanation: `${step.explanation}, but ${busy.busy} task(s) busy: not to zero`,
  };
}

/**
 * Drops history entries dated after `now` (a clock skew or a hand-edited request would otherwise hold
 * every scale-down until that date) and says so in the explanation.
 */
function historyUpTo(history: History, nowMs: number, now: string): { history: History; note?: string } {
  const futureActive = datedAfter(history.idleSince, nowMs) || datedAfter(history.lastActiveAt, nowMs);
  // The usual case, checked without building the filtered lists: nothing to drop.
  if (!futureActive && allUpTo(history.recommendations, nowMs) && allUpTo(history.scaleEvents, nowMs))
    return { history };
  const recommendations = history.recommendations.filter((r) => Date.parse(r.at) <= nowMs);
  const scaleEvents = history.scaleEvents.filter((e) => Date.parse(e.at) <= nowMs);
  const dropped =
    history.recommendations.length - recommendations.length + history.scaleEvents.length - scaleEvents.length;
  const cleaned: History = { ...history, recommendations, scaleEvents };
  if (datedAfter(history.idleSince, nowMs)) cleaned.idleSince = now;
  if (datedAfter(history.lastActiveAt, nowMs)) cleaned.lastActiveAt = now;
  return {
    history: cleaned,
    note: `ignored ${dropped + (futureActive ? 1 : 0)} history entr${dropped + (futureActive ? 1 : 0) === 1 ? "y" : "ies"} dated after now`,
  };
}

/** Whether every entry is dated at or before `nowMs` (the entries the filters above keep). */
function allUpTo(entries: readonly { at: string }[], nowMs: number): boolean {
  for (const e of entries) if (!(Date.parse(e.at) <= nowMs)) return false;
  return true;
}

/** Whether a stamp is set and dated after `nowMs`. */
function datedAfter(at: string | undefined, nowMs: number): boolean {
  return at !== undefined && Date.parse(at) > nowMs;
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
  idleSince?: string | undefined;
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
      : appendRun(history.recommendations, request.now, update.recommendation ?? tasks);
  const scaleEvents =
    tasks === current
      ? history.scaleEvents
      : [...history.scaleEvents, { at: request.now, from: current, to: tasks }];
  const next: History = {
    recommendations: pruneRuns(recommendations, recommendationHorizon(request.policy), nowMs),
    scaleEvents: pruneByAge(scaleEvents, scaleEventHorizon(request.policy), nowMs),
    failures: update.failures ?? 0,
  };
  if (update.idleSince !== undefined) next.idleSince = update.idleSince;
  return next;
}
