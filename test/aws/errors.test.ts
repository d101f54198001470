/**
 * Classifying AWS SDK failures into port-level failures: the SDK's own throttling and transient
 * rules (@smithy/service-error-classification), then not-found, denied and invalid by name and
 * status; the message keeps the error's name first and the HTTP status of server errors.
 */
import { describe, expect, it } from "vitest";
import { classify, describeError, kindOf, sdkCall } from "../../shared/aws/errors.ts";
import { PortError } from "../../shared/ports/failure.ts";
import { ecsServerException, serverError, throttling } from "./sdk-errors.ts";

const named = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

describe("kind of an SDK error", () => {
  it.each([
    { what: "ThrottlingException (HTTP 400)", error: throttling(), kind: "throttled" },
    { what: "DynamoDB's ProvisionedThroughputExceededException", error: named("ProvisionedThroughputExceededException", 400), kind: "throttled" },
    { what: "any HTTP 429", error: named("SomethingElse", 429), kind: "throttled" },
    { what: "a throttling retry trait", error: named("Odd", 400, { $retryable: { throttling: true } }), kind: "throttled" },
    { what: "an HTTP 500 server fault", error: serverError(), kind: "transient" },
    { what: "ECS's modeled ServerException", error: ecsServerException(), kind: "transient" },
    { what: "an HTTP 501 (a 5xx the SDK does not retry)", error: named("NotImplemented", 501), kind: "transient" },
    { what: "a server fault without a status", error: named("InternalFailure", undefined, { $fault: "server" }), kind: "transient" },
    { what: "a client-side timeout", error: named("TimeoutError"), kind: "transient" },
    { what: "a reset connection", error: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), kind: "transient" },
    { what: "ServiceNotFoundException", error: named("ServiceNotFoundException", 400), kind: "notFound" },
    { what: "SQS QueueDoesNotExist", error: named("QueueDoesNotExist", 400), kind: "notFound" },
    { what: "DynamoDB ResourceNotFoundException", error: named("ResourceNotFoundException", 400), kind: "notFound" },
    { what: "AccessDeniedException", error: named("AccessDeniedException", 400), kind: "denied" },
    { what: "an expired signature", error: named("SignatureDoesNotMatch", 403), kind: "denied" },
    { what: "a validation error", error: named("InvalidParameterException", 400), kind: "invalid" },
    { what: "a plain Error (a bug, not the SDK)", error: new Error("boom"), kind: "invalid" },
    { what: "a thrown string", error: "boom", kind: "invalid" },
  ])("$what → $kind", ({ error, kind }) => {
    expect(kindOf(error)).toBe(kind);
  });
});

describe("message of an SDK error", () => {
  it.each([
    { error: throttling(), message: "ThrottlingException: Rate exceeded" },
    { error: serverError(), message: "InternalFailure (HTTP 500): We encountered an internal error." },
    { error: Object.assign(new Error(""), { name: "InternalFailure", $metadata: { httpStatusCode: 503 } }), message: "InternalFailure (HTTP 503)" },
    { error: new Error("boom"), message: "Error: boom" },
    { error: 42, message: "42" },
  ])("$message", ({ error, message }) => {
    expect(describeError(error)).toBe(message);
  });
});

describe("adapter calls", () => {
  it("turn what the SDK throws into a PortError carrying the classified failure and the SDK error", async () => {
    const error = throttling();
    const calling = sdkCall(() => Promise.reject(error));
    await expect(calling).rejects.toBeInstanceOf(PortError);
    await expect(calling).rejects.toMatchObject({ message: "ThrottlingException: Rate exceeded", failure: { kind: "throttled", cause: error } });
  });

  it("pass a PortError through unchanged", async () => {
    const inner = new PortError({ kind: "notFound", message: "gone" });
    await expect(sdkCall(() => Promise.reject(inner))).rejects.toBe(inner);
    expect(classify(inner)).toBe(inner.failure);
  });

  it("return the call's value when it succeeds", async () => {
    await expect(sdkCall(async () => 7)).resolves.toBe(7);
  });
});
