/**
 * Deployment hold: scale-in waits while a deployment of the service is in progress, as Service Auto
 * Scaling does ("turns off scale-in processes while Amazon ECS deployments are in progress. However,
 * scale-out processes continue"). DescribeServices is the source of truth; the deployment events make
 * the hold start at once and are trusted alone only for a bounded time. Pure.
 */
import type { ServiceRecord } from "../ports/state-store.ts";
import { EVENT_MAX_FUTURE_SECONDS } from "./event-bounds.ts";

export type DeploymentState = NonNullable<ServiceRecord["deployment"]>;

/**
 * How long an IN_PROGRESS event holds on its own when DescribeServices does not (or no longer) shows
 * the deployment: a lost COMPLETED event must not block scale-in for good.
 */
export const EVENT_HOLD_MAX_SECONDS = 900;

export const DEPLOYMENT_IN_PROGRESS = "SERVICE_DEPLOYMENT_IN_PROGRESS";
export const DEPLOYMENT_COMPLETED = "SERVICE_DEPLOYMENT_COMPLETED";
export const DEPLOYMENT_FAILED = "SERVICE_DEPLOYMENT_FAILED";

export type DeploymentVerdict = "applied" | "stale" | "ignored";

/**
 * The hold after one `ECS Deployment State Change` event. An event older than the stored one is stale
 * (delivery is unordered); a COMPLETED/FAILED naming another deployment than the one in progress does
 * not end it; unknown event names change nothing.
 */
export function applyDeploymentEvent(
  state: DeploymentState | undefined,
  event: { eventName: string; deploymentId?: string; updatedAt: string },
  now: Date,
): { state: DeploymentState | undefined; verdict: DeploymentVerdict } {
  const starting = event.eventName === DEPLOYMENT_IN_PROGRESS;
  const ending = event.eventName === DEPLOYMENT_COMPLETED || event.eventName === DEPLOYMENT_FAILED;
  if (!starting && !ending) return { state, verdict: "ignored" };
  // A stored time beyond the clock skew (from a version that trusted event times) orders nothing.
  const storedAt = state ? Date.parse(state.updatedAt) : Number.NaN;
  const trusted = storedAt <= now.getTime() + EVENT_MAX_FUTURE_SECONDS * 1000;
  if (state && trusted && Date.parse(event.updatedAt) < storedAt) return { state, verdict: "stale" };
  if (
    ending &&
    state?.inProgress &&
    state.deploymentId &&
    event.deploymentId &&
    state.deploymentId !== event.deploymentId
  ) {
    return { state, verdict: "ignored" };
  }
  return {
    state: {
      inProgress: starting,
      ...(event.deploymentId !== undefined ? { deploymentId: event.deploymentId } : {}),
      updatedAt: event.updatedAt,
      receivedAt: now.toISOString(),
    },
    verdict: "applied",
  };
}

/** Whether scale-in is held at `now`: DescribeServices shows a deployment, or a recent IN_PROGRESS event does. */
export function deploymentHoldActive(
  state: DeploymentState | undefined,
  describedInProgress: boolean,
  now: Date,
): boolean {
  if (describedInProgress) return true;
  if (!state?.inProgress) return false;
  return now.getTime() - Date.parse(state.receivedAt ?? state.updatedAt) < EVENT_HOLD_MAX_SECONDS * 1000;
}
