/**
 * Act and confirm: the UpdateService calls of one saved decision, then what the record must say about
 * them (confirmed with the landing time, taken back, or left pending for the next pass to settle; see
 * ./pending-update.ts).
 */
import type { DecisionSink } from "../ports/decision-sink.ts";
import { failureOf, type PortFailure } from "../ports/failure.ts";
import {
  mayHaveApplied,
  type ServiceRef,
  type ServiceSnapshot,
  type ServicesPort,
} from "../ports/services.ts";
import type { ServiceRecord, StateStore } from "../ports/state-store.ts";
import { withoutScaleEventAt } from "./overrides.ts";
import { confirmedRecord } from "./pending-update.ts";
import type { Split } from "./spot.ts";

/** The ports acting needs. */
export interface ApplyDeps {
  services: ServicesPort;
  state: StateStore;
  sink: DecisionSink;
  dryRun: boolean;
}

/** What came of a decision's changes. */
export interface Applied {
  /** Some desired count differs from the split (applied, or would have been in dry run). */
  changed: boolean;
  /** UpdateService was called for every change. */
  applied: boolean;
  failure: PortFailure | undefined;
}

/** One UpdateService to make: the service, its count now, and the count decided. */
export interface Change {
  ref: ServiceRef;
  from: number;
  to: number;
}

/**
 * The services whose count changes, increases first (a failed raise must not be followed by a cut):
 * the Spot service (or the service alone) to `split.spot`, its on-demand sibling to `floor + split.onDemand`.
 */
export function changesOf(
  primary: ServiceSnapshot,
  onDemand: ServiceSnapshot | undefined,
  split: Split,
  floor: number,
): Change[] {
  const changes: Change[] = [{ ref: primary, from: primary.desiredCount, to: split.spot }];
  // The sibling runs the pair's share on top of its own floor, and never goes below the floor.
  if (onDemand) changes.push({ ref: onDemand, from: onDemand.desiredCount, to: floor + split.onDemand });
  return changes.filter((c) => c.to !== c.from).sort((a, b) => b.to - b.from - (a.to - a.from));
}

/** The pending mark's view of the changes. */
export function pendingOf(changes: readonly Change[]): { service: string; to: number }[] {
  return changes.map((c) => ({ service: c.ref.service, to: c.to }));
}

/**
 * UpdateService for each change, in order, stopping at the first failure, each served by its
 * shortfall while the budget binds and none sent after the pending mark's `sendBy`. All landed: the
 * record is confirmed. A failure that certainly changed nothing, before anything landed: the saved
 * scale event is taken back. Otherwise (a lost response, or a pair half applied) the mark stays for
 * the next pass to settle from DescribeServices.
 */
export async function applyChanges(
  deps: ApplyDeps,
  primary: ServiceRef,
  changes: readonly Change[],
  saved: ServiceRecord,
  now: Date,
): Promise<Applied> {
  const changed = changes.length > 0;
  if (!changed || deps.dryRun) return { changed, applied: false, failure: undefined };
  const by = saved.pendingUpdate ? new Date(saved.pendingUpdate.sendBy) : undefined;
  let landedAt: Date | undefined;
  let landedAny = false;
  try {
    for (const change of changes) {
      const need = Math.max(0, change.to - change.from);
      const landed = await deps.services.setDesiredCount(refOf(change.ref), change.to, { need, by });
      landedAny = true;
      if (landed instanceof Date) landedAt = landed;
    }
  } catch (error) {
    const failure = failureOf(error);
    deps.sink.failure(refOf(primary), "update", failure);
    if (!landedAny && !mayHaveApplied(failure)) await forgetScaleEvent(deps.state, saved, now.toISOString());
    return { changed, applied: false, failure };
  }
  // A port that reports no landing time applies at once (the simulator): the next pass settles the mark.
  if (landedAt) await confirm(deps.state, saved, landedAt);
  return { changed, applied: true, failure: undefined };
}

/**
 * After a failed UpdateService the saved history claims a scale event that did not happen; put the
 * history back so the next decision's rate limits do not count it. Best effort: if another writer
 * got there first, its record stands and the stale event ages out within the longest period.
 */
async function forgetScaleEvent(state: StateStore, saved: ServiceRecord, nowIso: string): Promise<void> {
  if (!saved.history) return;
  const { pendingUpdate: _forgotten, ...rest } = saved;
  try {
    await state.save({
      ...rest,
      version: saved.version + 1,
      history: withoutScaleEventAt(saved.history, nowIso),
    });
  } catch {
    // The update's failure is already reported; this repair is not worth a second one.
  }
}

/**
 * Every call landed: stamp the scale event with when (the rate limits' periods count from the
 * change, not from the pass that decided it) and drop the pending mark. Best effort: if this save is
 * lost or another writer got there first, the next pass settles the mark from DescribeServices.
 */
async function confirm(state: StateStore, saved: ServiceRecord, landedAt: Date): Promise<void> {
  try {
    await state.save(confirmedRecord(saved, landedAt));
  } catch {
    // Nothing is lost: the mark stays and the next pass settles it.
  }
}

function refOf(ref: ServiceRef): ServiceRef {
  return { cluster: ref.cluster, service: ref.service };
}
