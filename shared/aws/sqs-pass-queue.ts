/**
 * PassQueuePort on Amazon SQS: the minute's later passes as delayed messages (`DelaySeconds` per
 * message), sent with SendMessageBatch, at most 10 entries a call (SQS's limit), in as few calls as
 * that allows. An entry SQS refuses for its own reasons (`SenderFault: false`: throttled, internal
 * error) is sent once more; one refused as the sender's fault, or refused twice, comes back as failed,
 * classified. A call that fails as a whole (after the SDK's own retries) fails its entries. Nothing
 * is thrown: the caller runs whatever could not be queued itself.
 *
 * The message body is this adapter's wire format ({@link passMessageBody}); the evaluate function's
 * handler reads it back (functions/evaluate/pass-event.ts).
 */
import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { PortFailure } from "../ports/failure.ts";
import type { PassQueuePort, PlannedPass, ScheduleOutcome } from "../ports/pass-queue.ts";
import type { UsageMeter } from "../ports/usage.ts";
import { classify } from "./errors.ts";

/** The environment variable that names the pass queue's URL (serverless.yml sets it on the evaluator). */
export const PASS_QUEUE_ENV = "PASS_QUEUE_URL";

/** Entries per SendMessageBatch call: SQS's maximum. */
export const MAX_BATCH_ENTRIES = 10;

/** SQS's largest DelaySeconds (15 minutes). */
export const MAX_DELAY_SECONDS = 900;

/** The `kind` every pass message carries, so a stray message on the queue is recognised as one. */
export const PASS_MESSAGE_KIND = "ecs-autoscaler.pass";

/** The body of one pass message, as JSON. */
export interface PassMessage {
  kind: typeof PASS_MESSAGE_KIND;
  /** When the pass was due, ISO 8601. */
  plannedAt: string;
  shard: number;
  shards: number;
}

/** The message body of `pass`. */
export function passMessageBody(pass: PlannedPass): string {
  const message: PassMessage = {
    kind: PASS_MESSAGE_KIND,
    plannedAt: new Date(pass.plannedAtMs).toISOString(),
    shard: pass.shard.index,
    shards: pass.shard.count,
  };
  return JSON.stringify(message);
}

/** The batch entry of `pass`, `id` unique within its call. */
export function passEntry(pass: PlannedPass, id: string): SendMessageBatchRequestEntry {
  const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(pass.delaySeconds)));
  return { Id: id, MessageBody: passMessageBody(pass), DelaySeconds: delay };
}

/** The port-level failure of an entry SQS refused. */
export function entryFailure(entry: BatchResultErrorEntry): PortFailure {
  const code = entry.Code ?? "UnknownError";
  const message = entry.Message ? `${code}: ${entry.Message}` : code;
  return { kind: entry.SenderFault ? "invalid" : "transient", message, cause: entry };
}

/** {@link PassQueuePort} backed by one SQS standard queue. */
export class SqsPassQueue implements PassQueuePort {
  /** `meter` counts the calls made (for the own bill). */
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly meter?: UsageMeter,
  ) {}

  async schedule(passes: readonly PlannedPass[]): Promise<ScheduleOutcome> {
    const chunks: PlannedPass[][] = [];
    for (let i = 0; i < passes.length; i += MAX_BATCH_ENTRIES)
      chunks.push(passes.slice(i, i + MAX_BATCH_ENTRIES));
    const outcomes = await Promise.all(chunks.map((chunk) => this.sendWithOneRetry(chunk)));
    return {
      sent: outcomes.flatMap((o) => o.sent),
      failed: outcomes.flatMap((o) => o.failed),
    };
  }

  /** One call for `chunk`; the entries refused for a retryable reason once more. */
  private async sendWithOneRetry(chunk: readonly PlannedPass[]): Promise<ScheduleOutcome> {
    const first = await this.send(chunk);
    const retryable = first.failed.filter(
      (f) => f.failure.kind === "transient" || f.failure.kind === "throttled",
    );
    if (retryable.length === 0 || !first.partial) return first;
    const second = await this.send(retryable.map((f) => f.pass));
    return {
      sent: [...first.sent, ...second.sent],
      failed: [...first.failed.filter((f) => !retryable.includes(f)), ...second.failed],
    };
  }

  /** One SendMessageBatch call; `partial` says whether SQS answered entry by entry (not a whole-call failure). */
  private async send(chunk: readonly PlannedPass[]): Promise<ScheduleOutcome & { partial: boolean }> {
    const entries = chunk.map((pass, i) => passEntry(pass, `pass-${i}`));
    this.meter?.call("sqs:SendMessageBatch");
    try {
      const output = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      const refused = new Map((output.Failed ?? []).map((e) => [e.Id, e]));
      const accepted = new Set((output.Successful ?? []).map((e) => e.Id));
      const sent: PlannedPass[] = [];
      const failed: ScheduleOutcome["failed"] = [];
      chunk.forEach((pass, i) => {
        const id = entries[i]!.Id;
        const error = refused.get(id);
        if (error) failed.push({ pass, failure: entryFailure(error) });
        else if (accepted.has(id)) sent.push(pass);
        // Neither accepted nor refused: SQS's answer left it out, so it may not be queued.
        else
          failed.push({
            pass,
            failure: { kind: "invalid", message: `SendMessageBatch did not answer entry ${id}` },
          });
      });
      return { sent, failed, partial: true };
    } catch (error) {
      const failure = classify(error);
      return { sent: [], failed: chunk.map((pass) => ({ pass, failure })), partial: false };
    }
  }
}
