/**
 * Save-then-apply across lost responses. A decision that changes a count is saved with its scale
 * event and a {@link PendingUpdate} before any UpdateService goes; once every call landed, a second
 * save stamps the scale event with the time the last one landed and drops the pending mark. A record
 * that still carries the mark on a later pass was not confirmed (the save's response was lost after it
 * landed, an UpdateService's response was lost, or the function stopped in between), and
 * DescribeServices tells what happened. Pure.
 */
import type { ServiceSnapshot } from "../ports/services.ts";
import type { PendingUpdate, ServiceRecord } from "../ports/state-store.ts";
import { withoutScaleEventAt } from "./overrides.ts";

/**
 * The writer sends no UpdateService later than this after its save (a call that waits longer for the
 * budget is not sent, and the decision is forgotten): a reader then knows when to stop waiting.
 */
export const SEND_WINDOW_SECONDS = 5;
/**
 * How long after it reached ECS a call whose response was lost may still take effect: a timed-out or
 * reset request can be applied after the client gave up. ECS documents no bound; 5 s is assumed (the
 * fault bench's emulated ECS lands such calls 0.5–5 s late).
 */
export const LATE_LANDING_SECONDS = 5;
/**
 * How far behind DescribeServices may run (ECS's reads are eventually consistent): assumed, as
 * above, 5 s (the emulated ECS answers some describes 1–5 s stale).
 */
export const DESCRIBE_STALENESS_SECONDS = 5;
/**
 * A call sent just before `sendBy` may land {@link LATE_LANDING_SECONDS} later and be shown
 * {@link DESCRIBE_STALENESS_SECONDS} after that; one more second for clocks that differ between
 * containers. Settling a mark from the old count sooner takes out a decision whose call still lands,
 * and the decision made again sends a second UpdateService.
 */
export const LANDING_MARGIN_SECONDS = LATE_LANDING_SECONDS + DESCRIBE_STALENESS_SECONDS + 1;

/**
 * The pending mark of the decision made at `decidedAt` (its scale event's time), saved at `savedAt`
 * (later, when the pass read for a while), that changes `changes`.
 */
export function pendingUpdate(
  decidedAt: Date,
  savedAt: Date,
  changes: PendingUpdate["changes"],
): PendingUpdate {
  return {
    at: decidedAt.toISOString(),
    sendBy: new Date(savedAt.getTime() + SEND_WINDOW_SECONDS * 1000).toISOString(),
    changes,
  };
}

/**
 * The record with its pending mark settled by what DescribeServices shows (`described`, read at `now`):
 * - a change shows (some service has its target count): the update landed, the scale event stays;
 * - none shows and the writer may still be sending: "inFlight", the service waits for the next pass;
 * - none shows and no call can still go: it did not land, the scale event is taken out.
 */
export function reconcilePending(
  record: ServiceRecord,
  described: readonly ServiceSnapshot[],
  now: Date,
): ServiceRecord | "inFlight" {
  const pending = record.pendingUpdate;
  if (!pending) return record;
  const { pendingUpdate: _settled, ...settled } = record;
  const landed = pending.changes.some(
    (c) => described.find((s) => s.service === c.service)?.desiredCount === c.to,
  );
  if (landed) return settled;
  const quietAt = Date.parse(pending.sendBy) + LANDING_MARGIN_SECONDS * 1000;
  if (now.getTime() < quietAt) return "inFlight";
  return settled.history
    ? { ...settled, history: withoutScaleEventAt(settled.history, pending.at) }
    : settled;
}

/** The record confirming that the decision of `pending` landed at `landedAt`: its scale event restamped, the mark gone. */
export function confirmedRecord(saved: ServiceRecord, landedAt: Date): ServiceRecord {
  const { pendingUpdate: pending, ...confirmed } = saved;
  const next: ServiceRecord = { ...confirmed, version: saved.version + 1 };
  if (!pending || !saved.history) return next;
  const landedIso = landedAt.toISOString();
  next.history = {
    ...saved.history,
    scaleEvents: saved.history.scaleEvents.map((e) => (e.at === pending.at ? { ...e, at: landedIso } : e)),
  };
  return next;
}
