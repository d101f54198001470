/**
 * How a port says a call failed, in the terms the runtime decides on: retry later (transient,
 * throttled) or not (the thing is gone, access is denied, the request or the answer is invalid).
 * Adapters classify their platform's errors into this once (shared/aws/errors.ts for the AWS SDK),
 * so the runtime never looks inside an SDK error.
 */

/** What kind of failure: the first two are worth retrying, the others are not. */
export type FailureKind = "transient" | "throttled" | "notFound" | "denied" | "invalid";

export interface PortFailure {
  kind: FailureKind;
  /** One line for logs and explanations, e.g. `ThrottlingException: Rate exceeded`. */
  message: string;
  /** The platform's own error, for debugging only: the runtime never inspects it. */
  cause?: unknown;
}

/** The outcome of something that may fail as expected: its value, or why not. */
export type Result<T, E = PortFailure> = { ok: true; value: T } | { ok: false; error: E };

/** What an adapter throws when a call fails: the classified failure, as an Error. */
export class PortError extends Error {
  constructor(readonly failure: PortFailure) {
    super(failure.message, failure.cause === undefined ? undefined : { cause: failure.cause });
    this.name = "PortError";
  }
}

/** Whether retrying later could succeed. */
export function isRetryable(failure: PortFailure): boolean {
  return failure.kind === "transient" || failure.kind === "throttled";
}

/**
 * The failure a thrown value stands for: a {@link PortError}'s own, or (anything else: a port that
 * throws plain errors, such as the simulator's, or a bug) an "invalid" failure named after it,
 * `<name>: <message>`. Unknown errors are never retryable (no retry storm).
 */
export function failureOf(error: unknown): PortFailure {
  if (error instanceof PortError) return error.failure;
  return { kind: "invalid", message: errorText(error), cause: error };
}

/** `<name>: <message>` of an Error-like value (the name alone when the message adds nothing). */
export function errorText(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const { name, message } = error as { name?: unknown; message?: unknown };
  const label = typeof name === "string" && name !== "" ? name : "Error";
  const text = typeof message === "string" && message !== "" && message !== label ? message : "";
  return text ? `${label}: ${text}` : label;
}
