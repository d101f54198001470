/**
 * At-least-once delivery, in any order: which events were already handled. Task events are keyed by
 * task ARN and `detail.version` ("Duplicate events have the same version in the detail object"; it
 * goes up by one on every state change), so a lower version is stale; other events by their id.
 * The list lives in a small record per task (or per event id) beside the service's state record
 * (see task-events.ts), pruned by age and size. Pure.
 */
import type { ServiceRecord } from "../ports/state-store.ts";
import { EVENT_MAX_AGE_SECONDS, EVENT_MAX_FUTURE_SECONDS } from "./event-bounds.ts";
import type { ParsedEvent } from "./parse-event.ts";

export type SeenEntry = NonNullable<ServiceRecord["seen"]>[number];

/** How an event relates to what was handled before. */
export type Freshness = "new" | "duplicate" | "stale";

/**
 * How long a handled event is remembered: as long as it can come again and still be acted on. An
 * event is acted on until {@link EVENT_MAX_AGE_SECONDS} after its time, and may be handled first up to
 * {@link EVENT_MAX_FUTURE_SECONDS} before it; a redelivery is then either remembered or too old.
 */
export const SEEN_RETENTION_SECONDS = EVENT_MAX_AGE_SECONDS + EVENT_MAX_FUTURE_SECONDS + 3600;
/** Keeps a record well inside DynamoDB's 400 KB item limit (an entry is ~150 bytes). */
export const SEEN_MAX_ENTRIES = 500;

export type DedupeKey = { kind: "task"; taskArn: string; version: number } | { kind: "id"; id: string };

/** The key an event is deduplicated on, or undefined when it carries neither a task version nor an id. */
export function dedupeKeyOf(event: ParsedEvent): DedupeKey | undefined {
  if (event.kind === "unknown") return undefined;
  if (event.kind === "task" && event.detail.taskArn !== undefined && event.detail.version !== undefined) {
    return { kind: "task", taskArn: event.detail.taskArn, version: event.detail.version };
  }
  return event.id !== undefined ? { kind: "id", id: event.id } : undefined;
}

const taskPrefix = (taskArn: string) => `task:${taskArn}#`;

function entryId(key: DedupeKey): string {
  return key.kind === "task" ? `${taskPrefix(key.taskArn)}${key.version}` : `event:${key.id}`;
}

/** Whether `key` is new, a duplicate, or (a task version below one already handled) stale. */
export function freshness(seen: readonly SeenEntry[] | undefined, key: DedupeKey): Freshness {
  if (key.kind === "id") return (seen ?? []).some((e) => e.id === entryId(key)) ? "duplicate" : "new";
  const prefix = taskPrefix(key.taskArn);
  for (const entry of seen ?? []) {
    if (!entry.id.startsWith(prefix)) continue;
    const version = Number(entry.id.slice(prefix.length));
    if (version === key.version) return "duplicate";
    if (version > key.version) return "stale";
  }
  return "new";
}

/** Whether a marker (e.g. "this task's Spot interruption was counted") is in the list. */
export function hasMarker(seen: readonly SeenEntry[] | undefined, marker: string): boolean {
  return (seen ?? []).some((e) => e.id === `mark:${marker}`);
}

/**
 * The list with `key` (and markers) added and entries past {@link SEEN_RETENTION_SECONDS} or beyond
 * {@link SEEN_MAX_ENTRIES} (oldest first) dropped. A task keeps only its highest version.
 */
export function remember(
  seen: readonly SeenEntry[] | undefined,
  now: Date,
  key: DedupeKey | undefined,
  markers: readonly string[] = [],
): SeenEntry[] {
  const at = now.toISOString();
  const cutoff = now.getTime() - SEEN_RETENTION_SECONDS * 1000;
  let entries = (seen ?? []).filter((e) => Date.parse(e.at) > cutoff);
  if (key?.kind === "task") entries = entries.filter((e) => !e.id.startsWith(taskPrefix(key.taskArn)));
  if (key) entries.push({ id: entryId(key), at });
  for (const marker of markers) if (!hasMarker(entries, marker)) entries.push({ id: `mark:${marker}`, at });
  return entries.length > SEEN_MAX_ENTRIES ? entries.slice(entries.length - SEEN_MAX_ENTRIES) : entries;
}
