/**
 * Fargate Spot with an on-demand sibling service. The engine decides the pair's total; these pure
 * functions decide how many of those tasks the on-demand sibling runs. Changing a service's capacity
 * provider strategy forces a new deployment, so the practical fallback is two services and moving
 * desired count between them (aws/containers-roadmap#773).
 *
 * Life of a shift: Spot cannot place tasks (SERVICE_TASK_PLACEMENT_FAILURE, RESOURCE:FARGATE) or
 * interrupts them → those tasks move to on-demand at once → once the Spot service has been steady for
 * the cool-off, Spot goes back to the full count and on-demand keeps only what Spot does not run yet,
 * shrinking as Spot tasks come up (no dip in capacity while moving back). A shortage during a return
 * shifts the tasks again and doubles the next cool-off (up to {@link maxCoolOffSeconds}), so a region
 * short of Spot for hours is not asked again every few minutes.
 */
import type { ServiceRecord } from "../ports/state-store.ts";

export type SpotState = NonNullable<ServiceRecord["spot"]>;

export interface Split {
  spot: number;
  onDemand: number;
}

/**
 * Splits `total` tasks: on-demand runs the shifted tasks (never more than the total) and Spot the rest.
 * While returning, Spot is asked for the full total and on-demand covers only what Spot does not run.
 */
export function splitSpot(total: number, state: SpotState | undefined, spotRunning: number): Split {
  const shifted = Math.max(0, state?.shiftedTasks ?? 0);
  if (state?.returningSince !== undefined) {
    return { spot: total, onDemand: Math.min(shifted, Math.max(0, total - spotRunning)) };
  }
  const onDemand = Math.min(shifted, total);
  return { spot: total - onDemand, onDemand };
}

/**
 * The pair's current count for the engine and the guards. While returning (or right after a return
 * was cut short) Spot is asked for the whole total and on-demand still runs an overlap on top of it:
 * the sum of the desired counts counts that overlap twice, and any rule that keeps the current count
 * (deployment hold, scale-down stabilization, scale-in rate limit) would hand it to Spot for good, a
 * little more every pass. The last decided total is the pair's count; the sum wins only when it is
 * lower (a raise that did not land), so a failed UpdateService is never mistaken for capacity.
 */
export function pairCount(
  state: SpotState | undefined,
  spotDesired: number,
  onDemandDesired: number,
): number {
  const sum = spotDesired + onDemandDesired;
  if (state?.total !== undefined) return Math.min(sum, state.total);
  // A record from before the total was remembered: while returning, Spot is asked for all of it.
  return state?.returningSince !== undefined ? Math.min(sum, spotDesired) : sum;
}

/**
 * The on-demand sibling's floor (see `ServiceRecord.onDemandFloor`): on first sight, the sibling's
 * desired count less the tasks a Spot shortage shifted to it, so a sibling that already runs tasks of
 * its own (or a service named as sibling by mistake) is never lowered by the autoscaler; afterwards
 * only ever lowered, to the sibling's desired count when something else set it below the floor.
 */
export function siblingFloor(
  floor: number | undefined,
  siblingDesired: number,
  state: SpotState | undefined,
): number {
  if (floor === undefined) return Math.max(0, siblingDesired - Math.max(0, state?.shiftedTasks ?? 0));
  return Math.max(0, Math.min(floor, siblingDesired));
}

/** The longest cool-off the backoff grows to (unless the configured one is longer). */
export const maxCoolOffSeconds = 3600;

/** The cool-off before the next return: `coolOffSeconds` doubled per failed return in a row, capped. */
export function effectiveCoolOff(state: SpotState | undefined, coolOffSeconds: number): number {
  const doubled = coolOffSeconds * 2 ** (state?.failedReturns ?? 0);
  return Math.min(doubled, Math.max(coolOffSeconds, maxCoolOffSeconds));
}

/**
 * How many tasks on-demand should run after Spot could not place tasks: everything of the pair's
 * `total` that Spot neither runs nor is starting, and never less than already shifted. Absolute, so a
 * second or concurrent placement-failure event for the same shortage shifts nothing more, and a
 * shortage while returning does not shift the Spot tasks that run (on-demand already covers the rest).
 */
export function shortageTarget(state: SpotState | undefined, spot: SpotObservation, total: number): number {
  const unplaced = Math.max(0, total - spot.running - spot.pending);
  return Math.min(Math.max(0, total), Math.max(state?.shiftedTasks ?? 0, unplaced));
}

/**
 * `missing` more tasks go to on-demand (a placement failure's unplaced tasks, or one interrupted task),
 * capped at the pair's `total`, which is remembered as the pair's count. Any return in progress stops
 * (counted as a failed return, for the backoff), and the steady clock restarts.
 */
export function shiftToOnDemand(
  state: SpotState | undefined,
  missing: number,
  total: number,
  now: Date,
): SpotState | undefined {
  const shiftedTasks = Math.min(Math.max(0, total), (state?.shiftedTasks ?? 0) + Math.max(0, missing));
  if (shiftedTasks === 0) return undefined;
  const failedReturns = (state?.failedReturns ?? 0) + (state?.returningSince !== undefined ? 1 : 0);
  return {
    shiftedTasks,
    since: state?.since ?? now.toISOString(),
    ...(failedReturns > 0 ? { failedReturns } : {}),
    total: Math.max(0, total),
  };
}

/** A SERVICE_STEADY_STATE of the Spot service starts the cool-off clock (if a shift is on and not returning). */
export function markSteady(state: SpotState | undefined, at: string): SpotState | undefined {
  if (!state || state.returningSince !== undefined || state.steadySince !== undefined) return state;
  return { ...state, steadySince: at };
}

/** What a pass sees of the Spot service. */
export interface SpotObservation {
  desired: number;
  running: number;
  pending: number;
}

/**
 * The state after a pass looked at the Spot service: the shift shrinks with the total; the steady
 * clock runs while Spot runs all it is asked for; after the cool-off (`coolOffSeconds`, doubled per
 * failed return in a row) the return starts;
 * the return ends (state cleared) when Spot runs the whole total.
 */
export function observeSpot(
  state: SpotState | undefined,
  spot: SpotObservation,
  total: number,
  coolOffSeconds: number,
  now: Date,
): SpotState | undefined {
  if (!state) return undefined;
  let shiftedTasks = Math.min(state.shiftedTasks, Math.max(0, total));
  if (state.returningSince !== undefined) {
    shiftedTasks = Math.min(shiftedTasks, Math.max(0, total - spot.running));
    return shiftedTasks === 0 ? undefined : { ...state, shiftedTasks };
  }
  if (shiftedTasks === 0) return undefined;
  const steady = spot.running >= spot.desired && spot.pending === 0;
  if (!steady) {
    const { steadySince: _, ...rest } = state;
    return { ...rest, shiftedTasks };
  }
  const steadySince = state.steadySince ?? now.toISOString();
  if (now.getTime() - Date.parse(steadySince) >= effectiveCoolOff(state, coolOffSeconds) * 1000) {
    return { ...state, shiftedTasks, steadySince, returningSince: now.toISOString() };
  }
  return { ...state, shiftedTasks, steadySince };
}

/**
 * Derived from AWS's documentation (ECS Developer Guide, "Handling Fargate Spot termination notices", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html): a Spot interruption is a task event with stop
 * code TerminationNotice or SpotInterruption, or the stopped reason "Your Spot Task was interrupted".
 */
export function isSpotInterruption(detail: {
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
}): boolean {
  return (
    detail.stopCode === "TerminationNotice" ||
    detail.stopCode === "SpotInterruption" ||
    (detail.stoppedReason ?? "").startsWith("Your Spot Task was interrupted")
  );
}

/**
 * A placement failure that means "no Fargate Spot capacity": reason RESOURCE:FARGATE with the
 * FARGATE_SPOT capacity provider named (or no provider named: the event for a Spot service).
 */
export function isSpotCapacityShortage(event: {
  eventName: string;
  reason?: string | undefined;
  capacityProviderArns: readonly string[];
}): boolean {
  if (event.eventName !== "SERVICE_TASK_PLACEMENT_FAILURE") return false;
  if (!(event.reason ?? "").startsWith("RESOURCE:FARGATE")) return false;
  return (
    event.capacityProviderArns.length === 0 ||
    event.capacityProviderArns.some((arn) => arn.split("/").pop() === "FARGATE_SPOT")
  );
}
