/**
 * The pass queue's SQS event (Lambda's event source mapping, batch size 1) → the passes it asks for.
 * Parsed as the runtime parses EventBridge events (shared/runtime/parse-event.ts): sizes bounded,
 * every problem named by its JSON path, a bad record malformed rather than thrown, so one stray message
 * costs a log line and a count, not a retry loop. The body is the adapter's wire format
 * (shared/aws/sqs-pass-queue.ts).
 */
import { z } from "zod";
import { MAX_DELAY_SECONDS, PASS_MESSAGE_KIND } from "../../shared/aws/sqs-pass-queue.ts";
import { type ConfigProblem, problemsOf, ValidationError } from "../../shared/config/issues.ts";
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

const recordSchema = z.looseObject({
  messageId: z.string().max(128).optional(),
  eventSource: z.literal("aws:sqs"),
  body: z.string().max(MAX_BODY_LENGTH),
});

const bodySchema = z
  .looseObject({
    kind: z.literal(PASS_MESSAGE_KIND),
    plannedAt: z
      .string()
      .max(64)
      .refine((s) => !Number.isNaN(Date.parse(s)), "not a timestamp"),
    shard: z.number().int().min(0),
    shards: z.number().int().min(1).max(MAX_SHARDS),
  })
  .refine((b) => b.shard < b.shards, { message: "shard must be below shards", path: ["shard"] });

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
  const record = recordSchema.safeParse(raw);
  if (!record.success) return invalid(prefixed(at, problemsOf(record.error)));
  let json: unknown;
  try {
    json = JSON.parse(record.data.body);
  } catch (error) {
    return invalid([{ path: `${at}.body`, message: `not JSON: ${(error as Error).message}` }]);
  }
  const body = bodySchema.safeParse(json);
  if (!body.success) return invalid(prefixed(`${at}.body`, problemsOf(body.error)));
  return {
    ok: true,
    value: {
      ...(record.data.messageId !== undefined ? { messageId: record.data.messageId } : {}),
      plannedAt: new Date(body.data.plannedAt),
      shard: { index: body.data.shard, count: body.data.shards },
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
