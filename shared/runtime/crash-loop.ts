/**
 * Crash-loop guard: while new tasks keep failing to start (or exit soon after starting), adding more
 * of them only burns money and ECS's task-launch budget. The guard trips after `maxFailures` within
 * `windowSeconds` and caps scale-up at the running count plus a small margin. It clears when tasks run
 * again: a task that reached RUNNING after the latest failure and has run `minUptimeSeconds` without a
 * newer failure. Not when failures age out of the window: ECS backs off task launches of a failing
 * service (up to about half an hour between attempts), so failures drift out of any short window
 * while the service still crash-loops. Only if no failure came for {@link TRIPPED_QUIET_SECONDS}
 * (a RUNNING event lost, say) does it clear by time. It never lowers a count. Pure.
 */
import type { CrashLoopGuardSettings } from "../config/runtime-fields.ts";
import type { ServiceRecord } from "../ports/state-store.ts";
import { EVENT_MAX_FUTURE_SECONDS } from "./event-bounds.ts";
import type { TaskDetail } from "./parse-event.ts";

export type CrashLoopState = NonNullable<ServiceRecord["crashLoop"]>;

/**
 * When a STOPPED task event is a start failure: `TaskFailedToStart`, or `EssentialContainerExited`
 * before `minUptimeSeconds` of running (or without ever starting). Every other stop code (scale-in,
 * deployments, users, Spot, infrastructure, codes AWS adds later) is not the task's own failure.
 * Returns when it failed, or undefined.
 */
export function startFailureAt(
  detail: TaskDetail,
  settings: CrashLoopGuardSettings,
  fallbackAt: string,
): string | undefined {
  if (detail.lastStatus !== "STOPPED") return undefined;
  const stoppedAt = detail.stoppedAt ?? detail.executionStoppedAt ?? detail.updatedAt;
  const at = stoppedAt ?? fallbackAt;
  if (detail.stopCode === "TaskFailedToStart") return at;
  if (detail.stopCode !== "EssentialContainerExited") return undefined;
  if (detail.startedAt === undefined) return at;
  if (stoppedAt === undefined) return undefined; // cannot tell how long it ran
  const ranSeconds = (Date.parse(stoppedAt) - Date.parse(detail.startedAt)) / 1000;
  return ranSeconds < settings.minUptimeSeconds ? at : undefined;
}

/**
 * A tripped guard with no start failure for this long clears even without a RUNNING event: longer
 * than ECS's launch backoff for a failing service, so a service still crash-looping fails again first.
 */
export const TRIPPED_QUIET_SECONDS = 3600;

/**
 * The state with one more failure, keeping only failures inside the window ending at `now`. A task
 * seen running since before this failure no longer counts as running again.
 */
export function withFailure(
  state: CrashLoopState | undefined,
  at: string,
  settings: CrashLoopGuardSettings,
  now: Date,
): CrashLoopState {
  // Compared as times, never as strings: "…:00Z" sorts after "…:00.500Z".
  const failures = [...(state?.recentFailures ?? []), at].sort((a, b) => Date.parse(a) - Date.parse(b));
  const { runningSince, lastFailureAt, ...rest } = state ?? { recentFailures: [], tripped: false };
  const stored = plausible(lastFailureAt, now);
  const latest = stored !== undefined && Date.parse(stored) > Date.parse(at) ? stored : at;
  return {
    ...rest,
    recentFailures: insideWindow(failures, settings, now),
    lastFailureAt: latest,
    ...(runningSince !== undefined && Date.parse(runningSince) > Date.parse(at) ? { runningSince } : {}),
  };
}

/**
 * The state after a task of the service reached RUNNING at `startedAt`: when it started after the
 * latest failure it may clear the guard once it has run `minUptimeSeconds`. Undefined: no change.
 */
export function withRunningTask(
  state: CrashLoopState | undefined,
  startedAt: string,
): CrashLoopState | undefined {
  if (!state || state.runningSince !== undefined) return undefined;
  const lastFailure = latestFailure(state);
  if (lastFailure !== undefined && Date.parse(startedAt) <= Date.parse(lastFailure)) return undefined;
  return { ...state, runningSince: startedAt };
}

export interface GuardStatus {
  /** The state to store; undefined once no failure is left in the window and the guard is clear. */
  state: CrashLoopState | undefined;
  active: boolean;
  /** Set when this evaluation changed the guard: worth an alarm when it trips. */
  transition?: "tripped" | "cleared";
}

/** Whether the guard is active at `now`, and whether that is a change from the stored state. */
export function evaluateGuard(
  state: CrashLoopState | undefined,
  settings: CrashLoopGuardSettings,
  now: Date,
): GuardStatus {
  const recent = insideWindow(state?.recentFailures ?? [], settings, now);
  const was = state?.tripped ?? false;
  const lastFailureAt = state ? latestFailure(state, now) : undefined;
  const ranAgain =
    state?.runningSince !== undefined &&
    now.getTime() - Date.parse(state.runningSince) >= settings.minUptimeSeconds * 1000;
  const quiet =
    lastFailureAt === undefined || now.getTime() - Date.parse(lastFailureAt) >= TRIPPED_QUIET_SECONDS * 1000;
  if (was && (ranAgain || quiet)) return { state: undefined, active: false, transition: "cleared" };
  const active = was || recent.length >= settings.maxFailures;
  const transition = active && !was ? "tripped" : undefined;
  if (recent.length === 0 && !active) return { state: undefined, active };
  const since = active ? (was && state?.since ? state.since : now.toISOString()) : undefined;
  const keepRunning = !ranAgain && state?.runningSince !== undefined;
  return {
    state: {
      recentFailures: recent,
      tripped: active,
      ...(since ? { since } : {}),
      ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
      ...(keepRunning ? { runningSince: state.runningSince } : {}),
    },
    active,
    ...(transition ? { transition } : {}),
  };
}

/**
 * The count after the guard: a scale-up above `running + margin` stops there, but never below the
 * current desired count (the guard blocks growth; it does not scale in). Undefined when it does not bite.
 */
export function crashLoopCap(
  current: number,
  decided: number,
  running: number,
  settings: CrashLoopGuardSettings,
): number | undefined {
  if (decided <= current) return undefined;
  const cap = Math.max(current, running + settings.margin);
  return decided > cap ? cap : undefined;
}

/**
 * How far after `now` a failure may be stamped and still count. An evaluator that loses its save to
 * the task-events handler decides again at its pass's own `now`, and the failure that handler just
 * saved is stamped later than that; ECS's stoppedAt and Lambda's clock may also differ a little.
 * Dropping such a failure would lose it from the record and could undo the trip it caused.
 */
export const FAILURE_CLOCK_SKEW_SECONDS = EVENT_MAX_FUTURE_SECONDS;

function insideWindow(failures: readonly string[], settings: CrashLoopGuardSettings, now: Date): string[] {
  const cutoff = now.getTime() - settings.windowSeconds * 1000;
  const latest = now.getTime() + FAILURE_CLOCK_SKEW_SECONDS * 1000;
  return failures.filter((f) => {
    const t = Date.parse(f);
    return t > cutoff && t <= latest;
  });
}

/**
 * The latest failure (by time), or with `now` the latest that can be true then: a stored time beyond
 * the clock skew (written by a version that trusted event times) is no evidence, and kept it would
 * hold a tripped guard for good.
 */
function latestFailure(state: CrashLoopState, now?: Date): string | undefined {
  const candidates = [state.lastFailureAt, ...state.recentFailures].filter(
    (t): t is string => t !== undefined && (now === undefined || plausible(t, now) !== undefined),
  );
  return candidates.reduce<string | undefined>(
    (max, t) => (max === undefined || Date.parse(t) > Date.parse(max) ? t : max),
    undefined,
  );
}

function plausible(at: string | undefined, now: Date): string | undefined {
  if (at === undefined) return undefined;
  const t = Date.parse(at);
  return Number.isFinite(t) && t <= now.getTime() + FAILURE_CLOCK_SKEW_SECONDS * 1000 ? at : undefined;
}
