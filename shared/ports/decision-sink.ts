/** Port: where decisions go (structured logs and metrics on AWS, a timeline in the simulator). */
import type { ServiceRef } from "./services.ts";
import type { Decision } from "../engine/types.ts";

export interface DecisionRecord {
  at: Date;
  ref: ServiceRef;
  from: number;
  running: number;
  decision: Decision;
  /** Total backlog across sqs triggers, when there are any. */
  backlog?: number;
  /** Whether UpdateService was called (false in dry run, when unchanged, or when it failed). */
  applied: boolean;
  dryRun: boolean;
}

export interface DecisionSink {
  decision(record: DecisionRecord): void;
  /** A service's pass failed (describe, read, state or update); the others go on. */
  failure(ref: ServiceRef, stage: string, error: unknown): void;
}
