/**
 * Port: the autoscaler's memory across invocations, one record per service.
 * Adapter: shared/aws/dynamodb-state-store.ts (conditional writes on `version`); simulator: in memory.
 */
import type { History } from "../engine/types.ts";
import type { Result } from "./failure.ts";

export interface ServiceRecord {
  /** `cluster/service`. */
  key: string;
  /** Incremented on every save; 0 for a record that was never saved. */
  version: number;
  /** The engine's history, as the last applied decision returned it. */
  history?: History;
  /** What the runtime learned from events and observations. */
  learned: {
    /** Smoothed UpdateService → RUNNING time of new tasks, seconds. */
    startupSeconds?: number;
    startupSamples?: number;
    /** Messages per second one busy task completes, as the last sample left it (for explain and logs). */
    processingRatePerTask?: number;
    /**
     * Smoothed AWS/SQS NumberOfMessagesDeleted per minute and ApproximateNumberOfMessagesNotVisible
     * (minute average) of the sampled minutes: their ratio is the processing rate per in-flight message.
     */
    deletedPerMinute?: number;
    inFlightAverage?: number;
    /** Start of the CloudWatch minute the last processing-rate sample came from (each minute counts once). */
    processingRateSampleAt?: string;
    /**
     * When the AWS/SQS rate metrics were last read (as a series of the minutes since the last sample),
     * so they are read every few minutes rather than every pass (shared/runtime/rate-reads.ts).
     */
    ratesReadAt?: string;
  };
  /**
   * The queue snapshot the arrival rate is measured from, replaced every few minutes
   * (shared/runtime/snapshot-arrivals.ts).
   */
  arrivals?: ArrivalAnchor;
  /**
   * Predictive scaling: the queue's smoothed arrival rate per half hour of a weekday and of a weekend
   * day (shared/runtime/arrival-profile.ts). Kept only while the policy's `predictive` is not `off`.
   */
  arrivalProfile?: ArrivalProfile;
  /** Scale-in is held while a deployment is in progress (from ECS Deployment State Change events). */
  deployment?: {
    inProgress: boolean;
    deploymentId?: string;
    /** The event's own time (detail.updatedAt), for ordering unordered events. */
    updatedAt: string;
    /** When the runtime handled the event, for bounding how long an event alone may hold. */
    receivedAt?: string;
  };
  /** Spot fallback: tasks currently shifted to the on-demand sibling. */
  spot?: {
    shiftedTasks: number;
    since: string;
    steadySince?: string;
    /** Set once the cool-off passed: Spot is back to the full count, on-demand covers only what Spot does not run yet. */
    returningSince?: string;
    /** Returns that Spot failed in a row (a shortage while returning); each doubles the next cool-off. */
    failedReturns?: number;
    /**
     * The pair's total as last decided. While returning, Spot is asked for the total and on-demand
     * keeps an overlap on top, so the sum of desired counts overstates the pair: this is its count.
     */
    total?: number;
  };
  /**
   * Spot fallback: the on-demand sibling's own tasks, which no Spot shortage explains (its desired
   * count when the pair was first seen, less the shifted tasks; lowered only when something else
   * lowers the sibling). The sibling never goes below it: the pair's share comes on top.
   */
  onDemandFloor?: number;
  /** Crash-loop guard: recent start failures and whether scale-up is currently capped. */
  crashLoop?: {
    recentFailures: string[];
    tripped: boolean;
    since?: string;
    /** The latest start failure, kept while tripped even after it left the window. */
    lastFailureAt?: string;
    /** startedAt of a task that reached RUNNING after the latest failure: the guard clears once it ran minUptimeSeconds. */
    runningSince?: string;
  };
  /**
   * The latest datapoint of each CloudWatch metric the service reads, by request (`sent`, `deleted`,
   * `inFlight`, `trigger<i>`): read again only once a newer one can exist (shared/runtime/metric-carry.ts).
   */
  metrics?: Record<string, CarriedReading>;
  /**
   * Event ids / task versions already handled, for at-least-once dedupe (pruned by age). Kept in a
   * small record of each task or event ({@link dedupeKeyOf}), which only the event handler reads and
   * writes, so the record every pass loads and saves does not grow with events; a service record
   * from before that split may still hold a list here until it ages out.
   */
  seen?: { id: string; at: string }[];
  /**
   * A decision saved but not confirmed applied: its UpdateService calls may be in flight, their
   * responses lost, or never sent (the save's own response lost, the function stopped). The next pass
   * reconciles it from DescribeServices (shared/runtime/pending-update.ts); a confirmed one is removed.
   */
  pendingUpdate?: PendingUpdate;
  /** Epoch seconds after which DynamoDB's TTL may delete the record. */
  expiresAt?: number;
}

/**
 * The stored arrival profile of predictive scaling (shared/runtime/arrival-profile.ts keeps it); short
 * field names, since it is saved with the record.
 */
export interface ArrivalProfile {
  /** Slot length, minutes; a profile of another grain is started afresh. */
  g: number;
  /** Per slot: smoothed messages per minute (weekday slots from 00:00 UTC, then weekend-day slots). */
  r: number[];
  /** Per slot: the days it has seen, one digit each. */
  n: string;
  /** The slot being measured: absolute slot number, sum of the per-minute rates, minutes, last minute (epoch minutes). */
  a?: { s: number; sum: number; k: number; m: number };
}

/** The UpdateService calls one saved decision stands for. */
export interface PendingUpdate {
  /** The decision's time: its scale event's `at`. */
  at: string;
  /** No UpdateService of this decision is sent after this time. */
  sendBy: string;
  /** Each service whose count changes, and to what. */
  changes: { service: string; to: number }[];
}

/**
 * A metric's latest datapoint carried across passes, or how long it has had none; short names, since
 * it is stored on every save.
 */
export type CarriedReading = CarriedDatapoint | CarriedMissing;

export interface CarriedDatapoint {
  /** Fingerprint of the query it answers. */
  q: string;
  /** The datapoint's value. */
  v: number;
  /** The datapoint's time (its period's start), epoch ms. */
  t: number;
  /** The latest read that returned it, epoch ms. */
  r: number;
  /** The latest time it is known not to have been published yet, epoch ms (absent for the first one read). */
  u?: number;
}

/** A GetQueueAttributes snapshot kept across passes; short names, since it is stored on every save. */
export interface ArrivalAnchor {
  /** When it was read (the pass's time), epoch ms. */
  t: number;
  /** Messages in the queue: visible + in flight + delayed. */
  n: number;
  /** Messages in flight. */
  f: number;
  /** The arrival rate over the window that ended with this snapshot, messages per second (absent: none). */
  r?: number;
}

/** A metric that had no datapoint (an idle queue's metrics stop) since `e`, last read at `r`, epoch ms. */
export interface CarriedMissing {
  q: string;
  e: number;
  r: number;
}

export type SaveResult = "saved" | "conflict";

/** One key's outcome in {@link StateStore.loadMany}: its record (undefined if none was saved yet), or why not. */
export type LoadResult = Result<ServiceRecord | undefined>;

/**
 * How a load reads. Strongly consistent by default. A pass may read eventually consistent (half the
 * read units on DynamoDB): its saves are conditional on the version it read, so a stale read ends in
 * a conflict and a strongly consistent reload, never in a change applied twice.
 */
export interface ReadOptions {
  consistent: boolean;
}

/** The default read: strongly consistent. */
export const STRONG_READ: ReadOptions = { consistent: true };

/** An evaluation pass's read of its records: eventually consistent (see {@link ReadOptions}). */
export const PASS_READ: ReadOptions = { consistent: false };

export interface StateStore {
  load(key: string, read?: ReadOptions): Promise<ServiceRecord | undefined>;
  /**
   * The records of many keys at once, read as `read` says (strongly consistent by default). Never throws: a
   * key that could not be read (a failed call, a malformed item) gets its own failure, and the other
   * keys are unaffected. Optional: a pass reads a store without it key by key (shared/runtime/load-records.ts).
   */
  loadMany?(keys: readonly string[], read?: ReadOptions): Promise<Map<string, LoadResult>>;
  /**
   * Saves `record` (whose version is the one loaded) as version + 1, only if the stored version is
   * still `record.version`. Returns "conflict" when another writer got there first.
   */
  save(record: ServiceRecord): Promise<SaveResult>;
}

/**
 * The key of the record that remembers one task's events (`task` = its ARN) or one event (`event` =
 * its id) of the service whose state record is `key`: what was handled, and the task's markers.
 */
export function dedupeRecordKey(key: string, of: { task: string } | { event: string }): string {
  return "task" in of ? `${key}#task:${of.task.split("/").pop()}` : `${key}#event:${of.event}`;
}

/** Whether `key` names a dedupe record rather than a service's state record (`cluster/service` has no `#`). */
export function isDedupeRecordKey(key: string): boolean {
  return key.includes("#");
}

/** A record for a service never seen before. */
export function emptyRecord(key: string): ServiceRecord {
  return { key, version: 0, learned: {} };
}
