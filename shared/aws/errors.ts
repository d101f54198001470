/** How the adapters put an AWS SDK error into words for failures[] entries and per-read errors. */

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
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
  const status = e.$metadata?.httpStatusCode;
  const label = typeof status === "number" && status >= 500 ? `${name} (HTTP ${status})` : name;
  const message = typeof e.message === "string" && e.message !== "" && e.message !== name ? e.message : "";
  return message ? `${label}: ${message}` : label;
}

/** Whether `error` is the SDK error named `name` (by name, so it works across SDK copies and mocks). */
export function isAwsError(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as SdkErrorLike).name === name;
}
