/**
 * Port: managed-scaling settings of EC2 Auto Scaling group capacity providers, changed per schedule
 * window (e.g. more headroom during business hours). Adapter: shared/aws/ecs-capacity-providers.ts.
 */
import type { PortFailure } from "./failure.ts";

/** The managed-scaling fields this autoscaler sets; unset fields are left as they are. */
export interface ManagedScalingSettings {
  /** Target utilization %, 1–100 (90 keeps about 10 % spare capacity). */
  targetCapacity: number;
  /** Instances added at least per scale-out step, 1–10000. */
  minimumScalingStepSize?: number;
  /** Instances added at most per scale-out step, 1–10000. */
  maximumScalingStepSize?: number;
}

export interface CapacityProviderTarget {
  /** Capacity provider name (or ARN). */
  name: string;
  settings: ManagedScalingSettings;
}

/**
 * What happened to one provider: changed, already as wanted, or why not (`failure`: set when an
 * AWS call failed, classified).
 */
export type CapacityProviderOutcome =
  | { name: string; result: "updated" | "unchanged" }
  | { name: string; result: "failed"; reason: string; failure?: PortFailure };

export interface CapacityProvidersPort {
  /**
   * Brings each provider's managed scaling to its target, calling UpdateCapacityProvider only for
   * those that differ, within ECS's capacity-provider modify rate (1 per second). One provider's
   * failure does not stop the others.
   */
  apply(targets: readonly CapacityProviderTarget[]): Promise<CapacityProviderOutcome[]>;
}
