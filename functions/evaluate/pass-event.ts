/**
 * The pass queue's SQS event (Lambda's event source mapping, batch size 1) → the passes it asks for.
 * Parsed as the runtime parses EventBridge events (shared/runtime/parse-event.ts): sizes bounded,
 * every problem named by its JSON path, a bad record malformed rather than thrown, so one stray message
 * costs a log line and a count, not a retry loop. The body is the adapter's wire format
 * (shared/aws/sqs-pass-queue.ts).
 */
import { MAX_DELAY_SECONDS, PASS_MESSAGE_KIND } from "../../shared/aws/sqs-pass-queue.ts";
import { num, object, optional, runCheck, text } from "../../shared/config/checks.ts";
import { type ConfigProblem, ValidationError } from "../../shared/config/issues.ts";
import type { Result } from "../../shared/ports/failure.ts";
import type { ShardRef } from "../../shared/ports/pass-queue.ts";

/** Records per event: SQS event source mappings deliver at most 10 per batch unless a batching window is set. */
export const MAX_RECORDS = 10;
/** Longest pass message body accepted: a pass message is under 100 bytes. */
export const MAX_BODY_LENGTH = 1024;
/** Most shards a pass message may name (a fleet of 250,000 services at 250 a shard). */
export const MAX_SHARDS = 1000;

/** One pass asked for by a record. */
export interface PassRequest {
  messageId?: string;
  plannedAt: Date;
  shard: ShardRef;
}

/** A string that must be exactly `expected` (zod's literal message). */
const exactly = (expected: string) =>
  text({ refine: [(v) => v === expected, `Invalid input: expected "${expected}"`] });

// Plain checks (shared/config/checks.ts), not zod: the evaluate bundle loads no schema library.
const recordCheck = object({
  messageId: optional(text({ max: 128 })),
  eventSource: exactly("aws:sqs"),
  body: text({ max: MAX_BODY_LENGTH }),
});

const bodyCheck = object({
  kind: exactly(PASS_MESSAGE_KIND),
  plannedAt: text({ max: 64, refine: [(v) => !Number.isNaN(Date.parse(v)), "not a timestamp"] }),
  shard: num({ int: true, min: 0 }),
  shards: num({ int: true, min: 1 }),
});

/** The body's fields, or its problems (paths relative to the body): the checks, then the shard bounds. */
function checkBody(
  json: unknown,
):
  | { ok: true; value: { plannedAt: string; shard: number; shards: number } }
  | { ok: false; problems: ConfigProblem[] } {
  const body = runCheck(bodyCheck, json);
  if (!body.ok) return body;
  const problems: ConfigProblem[] = [];
  if (body.value.shards > MAX_SHARDS)
    problems.push({ path: "shards", message: `Too big: expected number to be <=${MAX_SHARDS}` });
  if (body.value.shard >= body.value.shards)
    problems.push({ path: "shard", message: "shard must be below shards" });
  return problems.length > 0 ? { ok: false, problems } : body;
}

/** Whether `event` is an SQS event (a `Records` array whose first record says `aws:sqs`). */
export function isSqsEvent(event: unknown): boolean {
  if (typeof event !== "object" || event === null) return false;
  const records = (event as { Records?: unknown }).Records;
  return (
    Array.isArray(records) && (records[0] as { eventSource?: unknown } | undefined)?.eventSource === "aws:sqs"
  );
}

/**
 * Each record of an SQS event, parsed on its own: the pass it asks for, or a {@link ValidationError}
 * naming every problem (`Records[i].…`). An event with more than {@link MAX_RECORDS} records is
 * refused whole.
 */
export function parsePassEvent(event: unknown): Result<PassRequest, ValidationError>[] {
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX_RECORDS) {
    const count = Array.isArray(records) ? `${records.length} records` : "no Records array";
    return [invalid([{ path: "Records", message: `expected 1 to ${MAX_RECORDS} records, got ${count}` }])];
  }
  return records.map((record, i) => parseRecord(record, `Records[${i}]`));
}

function parseRecord(raw: unknown, at: string): Result<PassRequest, ValidationError> {
  const record = runCheck(recordCheck, raw);
  if (!record.ok) return invalid(prefixed(at, record.problems));
  let json: unknown;
  try {
    json = JSON.parse(record.value.body);
  } catch (error) {
    return invalid([{ path: `${at}.body`, message: `not JSON: ${(error as Error).message}` }]);
  }
  const body = checkBody(json);
  if (!body.ok) return invalid(prefixed(`${at}.body`, body.problems));
  return {
    ok: true,
    value: {
      ...(record.value.messageId !== undefined ? { messageId: record.value.messageId } : {}),
      plannedAt: new Date(body.value.plannedAt),
      shard: { index: body.value.shard, count: body.value.shards },
    },
  };
}

/**
 * Whether a pass planned at `plannedAt` is still worth running at `now`: not more than one interval
 * late (the next pass comes anyway), and not planned further ahead than SQS can delay a message
 * (a message from a wrong clock or not from this tick).
 */
export function passTiming(plannedAt: Date, now: Date, intervalSeconds: number): "due" | "late" | "future" {
  const lateMs = now.getTime() - plannedAt.getTime();
  if (lateMs > intervalSeconds * 1000) return "late";
  if (-lateMs > MAX_DELAY_SECONDS * 1000) return "future";
  return "due";
}

function prefixed(at: string, problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({ ...p, path: p.path === "$" ? at : `${at}.${p.path}` }));
}

function invalid(problems: ConfigProblem[]): { ok: false; error: ValidationError } {
  return { ok: false, error: new ValidationError("pass queue message", problems) };
}
