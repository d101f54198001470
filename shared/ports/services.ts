/** Port: the ECS services being scaled. Adapter: shared/aws/ecs-services.ts; simulator: shared/sim. */

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

export interface DescribeResult {
  services: ServiceSnapshot[];
  /**
   * Services that could not be described (e.g. MISSING, INACTIVE), with the reason ECS gave. When the
   * call itself failed (throttling after retries, 5xx), `error` is what it threw, so callers can tell a
   * transient failure from a service that is gone.
   */
  failures: { ref: ServiceRef; reason: string; error?: unknown }[];
}

export interface ServicesPort {
  /** Describes services; adapters batch by 10 per cluster (DescribeServices' limit). */
  describe(refs: readonly ServiceRef[]): Promise<DescribeResult>;
  /** Sets desiredCount (UpdateService); adapters respect the account-wide UpdateService rate. */
  setDesiredCount(ref: ServiceRef, desiredCount: number): Promise<void>;
}
