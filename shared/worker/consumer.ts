/**
 * An SQS queue worker whose task is protected from ECS scale-in while it works on messages: the
 * `sqs-consumer` library's {@link Consumer}, with every handler call wrapped in a
 * {@link ScaleInProtection} hold. Protection is in place before the handler starts and lasts until the
 * handler is done plus the idle time (which covers the message's delete); a failed protection call is
 * reported and the message is processed all the same — it is never dropped or delayed past the call's
 * timeout.
 */
import type { Message } from "@aws-sdk/client-sqs";
import { Consumer, type ConsumerOptions } from "sqs-consumer";
import { ScaleInProtection, type ScaleInProtectionOptions } from "./scale-in-protection.ts";

export interface ProtectedConsumerOptions extends ConsumerOptions {
  /** The protection to hold around handlers; default: one built from `protectionOptions`. */
  protection?: ScaleInProtection;
  /**
   * Options for the default protection. Unless set, `expiresInMinutes` covers the consumer's
   * `visibilityTimeout` (whole minutes, at least 1) plus a minute.
   */
  protectionOptions?: ScaleInProtectionOptions;
}

/** A consumer and the protection it holds; stop both with {@link ProtectedConsumer.stop}. */
export interface ProtectedConsumer {
  consumer: Consumer;
  protection: ScaleInProtection;
  start(): void;
  /** Stops polling, waits up to `drainMs` (default 30 s) for the messages in hand, then unprotects the task. */
  stop(drainMs?: number): Promise<void>;
}

/** Creates a `sqs-consumer` Consumer whose handlers run under scale-in protection. */
export function createProtectedConsumer(options: ProtectedConsumerOptions): ProtectedConsumer {
  const { protection: given, protectionOptions, ...consumerOptions } = options;
  const protection =
    given ?? new ScaleInProtection(defaultProtectionOptions(consumerOptions, protectionOptions));
  const wrapped: ConsumerOptions = { ...consumerOptions };
  const { handleMessage, handleMessageBatch } = consumerOptions;
  if (handleMessage)
    wrapped.handleMessage = (message: Message) => underProtection(protection, () => handleMessage(message));
  if (handleMessageBatch) {
    wrapped.handleMessageBatch = (messages: Message[]) =>
      underProtection(protection, () => handleMessageBatch(messages));
  }
  const consumer = Consumer.create(wrapped);
  return {
    consumer,
    protection,
    start: () => consumer.start(),
    stop: async (drainMs = 30_000) => {
      if (consumer.status.isRunning) {
        const stopped = new Promise<void>((resolve) => consumer.once("stopped", () => resolve()));
        consumer.stop();
        await stopped;
      }
      await protection.drained(drainMs);
      await protection.close();
    },
  };
}

/** Runs `work` holding the protection; the hold is released however the work ends. */
export async function underProtection<T>(protection: ScaleInProtection, work: () => Promise<T>): Promise<T> {
  await protection.hold();
  try {
    return await work();
  } finally {
    protection.release();
  }
}

function defaultProtectionOptions(
  consumer: ConsumerOptions,
  given: ScaleInProtectionOptions | undefined,
): ScaleInProtectionOptions {
  // sqs-consumer's default visibility is the queue's own; 30 s is SQS's default for a queue.
  const visibilitySeconds = consumer.visibilityTimeout ?? 30;
  return { expiresInMinutes: Math.ceil(visibilitySeconds / 60) + 1, ...given };
}
