/** Port: where decisions go (structured logs and metrics on AWS, a timeline in the simulator). */

import type { Decision } from "../engine/types.ts";
import type { PortFailure } from "./failure.ts";
import type { ServiceRef } from "./services.ts";

export interface DecisionRecord {
  at: Date;
  ref: ServiceRef;
  from: number;
  running: number;
  /**
   * Running tasks above the desired count outside a deployment: scale-in protected tasks finishing their
   * work (absent when none). Not counted as capacity; they stop by themselves.
   */
  draining?: number;
  decision: Decision;
  /** Total backlog across sqs triggers, when there are any. */
  backlog?: number;
  /** Whether UpdateService was called (false in dry run, when unchanged, or when it failed). */
  applied: boolean;
  dryRun: boolean;
  /**
   * A runtime guard that overrode the engine's count: scale-in held during a deployment, or scale-up
   * capped while tasks crash-loop. `decision.desiredCount` is the count after the guard.
   */
  guard?: "DeploymentHold" | "CrashLoopGuard";
  /** For a Spot service with an on-demand sibling: how the total splits between the two. */
  split?: { spot: number; onDemand: number; onDemandService: string; fromSpot: number; fromOnDemand: number };
  /** The crash-loop guard changed state in this pass (it clears as failures age out of its window). */
  crashLoop?: "tripped" | "cleared";
}

export interface DecisionSink {
  decision(record: DecisionRecord): void;
  /** A service's pass failed (describe, read, state or update); the others go on. */
  failure(ref: ServiceRef, stage: string, failure: PortFailure): void;
}
