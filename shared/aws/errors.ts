/**
 * Every AWS SDK failure, classified once into the port-level {@link PortFailure} the runtime decides
 * on, with the SDK's own classification (@smithy/service-error-classification: the same rules its
 * retry strategy uses). Adapters throw {@link PortError}s (or return the failure), never SDK errors.
 */
import {
  isClockSkewError,
  isServerError,
  isThrottlingError,
  isTransientError,
} from "@smithy/service-error-classification";
import { type FailureKind, PortError, type PortFailure } from "../ports/failure.ts";

/** The fields of an SDK v3 service error this module reads. */
interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

// The classifiers' parameter type is the SDK's error class; they only read these fields.
type SdkError = Parameters<typeof isThrottlingError>[0];

function statusOf(error: SdkErrorLike): number | undefined {
  const status = error.$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

/** The kind of one SDK error: throttling and transient by the SDK's rules, the rest by name and status. */
export function kindOf(error: unknown): FailureKind {
  if (typeof error !== "object" || error === null) return "invalid";
  const e = error as SdkErrorLike;
  const sdk = error as SdkError;
  const status = statusOf(e);
  if (isThrottlingError(sdk)) return "throttled";
  // Any 5xx counts (isServerError covers the ones isTransientError leaves out), as does a fault the
  // service itself declared.
  if (isTransientError(sdk) || isServerError(sdk) || e.$fault === "server" || (status ?? 0) >= 500)
    return "transient";
  const name = typeof e.name === "string" ? e.name : "";
  if (/NotFound|DoesNotExist|NonExistent/.test(name) || status === 404) return "notFound";
  // Clock-skew errors are retried by the SDK with a corrected clock; one left after that is an
  // authentication failure (AccessDeniedException, SignatureDoesNotMatch, …).
  if (
    isClockSkewError(sdk) ||
    /AccessDenied|Unauthorized|Forbidden/.test(name) ||
    status === 401 ||
    status === 403
  )
    return "denied";
  return "invalid";
}

/**
 * `"<ErrorName>: <message>"`, with the HTTP status for server errors, e.g.
 * `ThrottlingException: Rate exceeded` or `InternalFailure (HTTP 500): …`. The name comes first
 * because it is what callers (and the engine's failed-read observations) key on.
 */
export function describeError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as SdkErrorLike;
  const name = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
  const status = statusOf(e);
  const label = status !== undefined && status >= 500 ? `${name} (HTTP ${status})` : name;
  const message = typeof e.message === "string" && e.message !== "" && e.message !== name ? e.message : "";
  return message ? `${label}: ${message}` : label;
}

/** The port-level failure of one SDK error (a {@link PortError} is passed through). */
export function classify(error: unknown): PortFailure {
  if (error instanceof PortError) return error.failure;
  return { kind: kindOf(error), message: describeError(error), cause: error };
}

/** Runs one SDK call (or a few) and turns whatever it throws into a {@link PortError}. */
export async function sdkCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof PortError ? error : new PortError(classify(error));
  }
}

/** Whether `error` is the SDK error named `name` (by name, so it works across SDK copies and mocks). */
export function isAwsError(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as SdkErrorLike).name === name;
}
