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
   * budget, served by `request.need` while it binds, and send nothing after `request.by`. A failed
   * call throws a {@link PortError}.
   */
  setDesiredCount(ref: ServiceRef, desiredCount: number, request?: UpdateRequest): Promise<void>;
}
