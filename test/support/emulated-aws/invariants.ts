/**
 * The fault suite's invariants, checked over what a run left behind: the decisions the sink got, the
 * writes dynalite accepted, the UpdateService calls ECS applied, and the table at the end. Each
 * checker returns its violations (empty when the invariant held), so a planted violation shows
 * that it can fail (test/aws/fault-injection.test.ts).
 */
import { isDeepStrictEqual } from "node:util";
import type { Config } from "../../../shared/config/config-file.ts";
import { scaleEventHorizon } from "../../../shared/engine/history.ts";
import type { ScaleEvent } from "../../../shared/engine/types.ts";
import type { DecisionRecord } from "../../../shared/ports/decision-sink.ts";
import type { AppliedUpdate } from "./ecs.ts";
import type { LandedSave } from "./server.ts";

/** What a run left behind. */
export interface Trace {
  /** `cluster/service` → the policy's bounds and how long its history keeps a scale event. */
  bounds: Map<string, ServiceBounds>;
  decisions: readonly DecisionRecord[];
  saves: readonly LandedSave[];
  applied: readonly AppliedUpdate[];
  /** The state table at the end, by `pk`. */
  finalItems: Map<string, Record<string, unknown>>;
}

export interface Violation {
  key: string;
  detail: string;
}

export interface ServiceBounds {
  min: number;
  max: number;
  /**
   * The engine keeps a scale event for its policy's longest rate-limit period
   * (`scaleEventHorizon`): one missing from a save made sooner than that after it was erased, not pruned.
   */
  horizonMs: number;
  /** The KEDA-style fallback's threshold: more consecutive failed reads than this run the fallback. */
  fallbackAfter?: number;
}

/** The bounds of every configured service. */
export function boundsOf(config: Config): Map<string, ServiceBounds> {
  return new Map(
    config.services.map((s) => [
      `${s.cluster}/${s.service}`,
      {
        min: s.policy.minTasks,
        max: s.policy.maxTasks,
        horizonMs: scaleEventHorizon(s.policy) * 1000,
        ...(s.policy.fallback ? { fallbackAfter: s.policy.fallback.failureThreshold } : {}),
      },
    ]),
  );
}

const keyOf = (d: DecisionRecord) => `${d.ref.cluster}/${d.ref.service}`;

/** Decisions, and counts ECS was set to, outside the policy's minTasks … maxTasks. */
export function decisionsOutsideBounds(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const outside = (key: string, n: number) => {
    const b = trace.bounds.get(key);
    return b !== undefined && (n < b.min || n > b.max);
  };
  for (const d of trace.decisions) if (outside(keyOf(d), d.decision.desiredCount)) out.push({ key: keyOf(d), detail: `decided ${d.decision.desiredCount} (${d.decision.reason})` });
  for (const u of trace.applied) if (outside(u.key, u.desiredCount)) out.push({ key: u.key, detail: `ECS set to ${u.desiredCount}` });
  return out;
}

/**
 * Decisions that lowered the count while a trigger's read had failed, the configured fallback aside:
 * past its threshold of consecutive failures the fallback's count is the decision's input by design
 * (KEDA's fallback), and later rules may name the result ScaleDown rather than FallbackApplied.
 */
export function scaleDownsOnFailedRead(trace: Trace): Violation[] {
  const underFallback = (d: DecisionRecord) => {
    const after = trace.bounds.get(keyOf(d))?.fallbackAfter;
    return after !== undefined && d.decision.history.failures > after;
  };
  return trace.decisions
    .filter((d) => d.decision.desiredCount < d.from && d.decision.proposals.some((p) => p.tasks === null) && !underFallback(d))
    .map((d) => ({ key: keyOf(d), detail: `${d.from} → ${d.decision.desiredCount} (${d.decision.reason})` }));
}

/**
 * Versions of each record must land one after the other (a version written twice or going back is
 * a rolled-back record), and the table must end holding the last landed write of each (else it was lost).
 */
export function lostOrRolledBackState(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const last = new Map<string, LandedSave>();
  for (const s of trace.saves) {
    if (!trace.bounds.has(s.key)) continue;
    const before = last.get(s.key);
    const expected = (before?.version ?? 0) + 1;
    if (s.version !== expected) out.push({ key: s.key, detail: `version ${s.version} landed after ${before?.version ?? "none"}` });
    last.set(s.key, s);
  }
  for (const [key, s] of last) {
    const stored = trace.finalItems.get(key);
    if (!stored) out.push({ key, detail: `version ${s.version} landed, the table has no item` });
    else if (!isDeepStrictEqual(stored, s.item)) out.push({ key, detail: `table holds version ${String(stored.version)}, last landed ${s.version}` });
  }
  return out;
}

/** Scale events of a landed item. */
function eventsOf(save: LandedSave): ScaleEvent[] {
  const history = save.item.history as { scaleEvents?: ScaleEvent[] } | undefined;
  return history?.scaleEvents ?? [];
}

/** Each applied update with the save that decided it: the latest earlier save whose last scale event goes to its count. */
function decidingSaves(trace: Trace): { update: AppliedUpdate; save?: LandedSave; event?: ScaleEvent }[] {
  const byKey = new Map<string, LandedSave[]>();
  for (const s of trace.saves) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
  return trace.applied.map((update) => {
    const earlier = (byKey.get(update.key) ?? []).filter((s) => s.at <= update.at);
    for (let i = earlier.length - 1; i >= 0; i--) {
      const event = eventsOf(earlier[i]!).at(-1);
      if (event?.to === update.desiredCount) return { update, save: earlier[i], event };
    }
    return { update };
  });
}

/** Decisions (saved scale events) that ECS applied more than once, with how many times. */
export function updatesPerDecision(trace: Trace): Violation[] {
  const counts = new Map<string, { key: string; event: ScaleEvent; n: number }>();
  for (const { update, event } of decidingSaves(trace)) {
    if (!event) continue;
    const id = `${update.key}@${event.at}`;
    const entry = counts.get(id) ?? { key: update.key, event, n: 0 };
    entry.n += 1;
    counts.set(id, entry);
  }
  return [...counts.values()].filter((c) => c.n > 1).map((c) => ({ key: c.key, detail: `${c.event.from} → ${c.event.to} at ${c.event.at}: ${c.n} UpdateService calls` }));
}

/**
 * UpdateService calls that took effect but are not in the record's history: never saved as a scale
 * event, or erased from a later save made within the history's horizon ({@link ServiceBounds}).
 */
export function appliedUpdatesMissingFromHistory(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const { update, save, event } of decidingSaves(trace)) {
    // One violation per scale event, however many calls applied it (counted by updatesPerDecision).
    const id = `${update.key}@${event?.at ?? `update ${update.at}`}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!save || !event) {
      out.push({ key: update.key, detail: `${update.from} → ${update.desiredCount} applied, no saved scale event` });
      continue;
    }
    const horizonMs = trace.bounds.get(update.key)?.horizonMs ?? 0;
    // A save's decision was made before the save landed, so a save sooner than the horizon kept it.
    const later = trace.saves.filter((s) => s.key === update.key && s.version > save.version && s.at - Date.parse(event.at) < horizonMs);
    const erasing = later.find((s) => !eventsOf(s).some((e) => sameScaleEvent(e, event)));
    if (erasing)
      out.push({
        key: update.key,
        detail: `${event.from} → ${event.to} at ${event.at} applied, gone from version ${erasing.version}`,
      });
  }
  return out;
}

/**
 * How long after its decision a scale event may be stamped again with the time its UpdateService
 * landed (the runtime saves the change as pending, sends it within 5 s of that save, and confirms it
 * with the landing time).
 */
export const LANDING_RESTAMP_MS = 15_000;

/** The same scale event, possibly re-stamped later with its landing time. */
function sameScaleEvent(e: { at: string; to: number }, event: { at: string; to: number }): boolean {
  const shift = Date.parse(e.at) - Date.parse(event.at);
  return e.to === event.to && shift >= 0 && shift <= LANDING_RESTAMP_MS;
}

/** Every checker by the name the bench prints. */
export const CHECKERS = {
  "decisions outside bounds": decisionsOutsideBounds,
  "scale-downs on a failed read": scaleDownsOnFailedRead,
  "lost or rolled-back state records": lostOrRolledBackState,
  "decisions with more than one UpdateService": updatesPerDecision,
  "applied updates missing from history": appliedUpdatesMissingFromHistory,
} as const;

export type CheckerName = keyof typeof CHECKERS;

/** Runs every checker. */
export function checkAll(trace: Trace): Record<CheckerName, Violation[]> {
  return Object.fromEntries(Object.entries(CHECKERS).map(([name, check]) => [name, check(trace)])) as Record<CheckerName, Violation[]>;
}
