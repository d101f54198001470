/** Port: the ECS services being scaled. Adapter: shared/aws/ecs-services.ts; simulator: shared/sim. */
import type { PortError, PortFailure } from "./failure.ts";
import type { UpdateRequest } from "./update-budget.ts";

/** Names one ECS service. */
export interface ServiceRef {
  cluster: string;
  service: string;
}

/** What the runtime needs to know about a service right now. */
export interface ServiceSnapshot extends ServiceRef {
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** A deployment (rolloutState IN_PROGRESS) is under way: scale-in is held, as AWS Service Auto Scaling does. */
  deploymentInProgress: boolean;
}

/** A service that could not be described, and why. */
export interface DescribeFailure {
  ref: ServiceRef;
  /** ECS's own verdict on the service (MISSING, INACTIVE, …), or the failed call's. */
  failure: PortFailure;
  /**
   * The call itself failed (throttling after retries, 5xx, access denied): the service may well
   * exist, so callers can tell "try again" from "gone".
   */
  callFailed: boolean;
}

export interface DescribeResult {
  services: ServiceSnapshot[];
  failures: DescribeFailure[];
}

export interface ServicesPort {
  /** Describes services; adapters batch by 10 per cluster (DescribeServices' limit). Never throws for a failed call. */
  describe(refs: readonly ServiceRef[]): Promise<DescribeResult>;
  /**
   * Sets desiredCount (UpdateService); adapters take the call from the account-wide UpdateService
   * budget, served by `request.need` while it binds, and send nothing after `request.by`. Resolves
   * with when the change landed (ports that apply it at once may leave that out). A failed call
   * throws a {@link PortError}; see {@link mayHaveApplied}.
   */
  setDesiredCount(
    ref: ServiceRef,
    desiredCount: number,
    request?: UpdateRequest,
    // biome-ignore lint/suspicious/noConfusingVoidType: ports that apply the count at once (the simulator's) return nothing
  ): Promise<Date | undefined | void>;
}

/**
 * Whether a failed setDesiredCount may still have changed the count: a `transient` failure (a 5xx, a
 * timeout, a reset connection) can be a response lost after ECS applied the call. Every other kind
 * (throttled, denied, invalid, notFound, and "not sent" for want of budget) certainly changed nothing;
 * adapters classify their failures accordingly.
 */
export function mayHaveApplied(failure: PortFailure): boolean {
  return failure.kind === "transient";
}
