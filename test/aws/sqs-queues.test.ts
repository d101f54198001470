/**
 * SQS adapter: one GetQueueAttributes per queue with exactly the three counts, parsed strictly
 * (KEDA semantics: a missing or non-integer attribute is an error naming it, never a zero).
 */
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCount, processDepthOutput, SqsQueues } from "../../shared/aws/sqs-queues.ts";
import { serverError, throttling } from "./sdk-errors.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: "eu-west-1" });
beforeEach(() => sqsMock.reset());
afterEach(() => sqsMock.reset());

const attributes = (over: Record<string, string | undefined> = {}) =>
  Object.fromEntries(
    Object.entries({
      ApproximateNumberOfMessages: "200",
      ApproximateNumberOfMessagesNotVisible: "100",
      ApproximateNumberOfMessagesDelayed: "50",
      ...over,
    }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;

describe("SqsQueues.depth", () => {
  it("asks GetQueueAttributes for exactly the three approximate counts", async () => {
    // Prepare
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: attributes() });
    // Act
    const depth = await new SqsQueues(sqs).depth(URL);
    // Assess
    expect(sqsMock.commandCalls(GetQueueAttributesCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        QueueUrl: URL,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      },
    ]);
    expect(depth).toEqual({ visible: 200, inFlight: 100, delayed: 50 });
  });

  it.each([
    { kind: "throttling", error: throttling(), failureKind: "throttled", name: "ThrottlingException" },
    { kind: "a 5xx", error: serverError(), failureKind: "transient", name: "InternalFailure" },
    {
      kind: "a queue that does not exist",
      error: Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" }),
      failureKind: "notFound",
      name: "QueueDoesNotExist",
    },
  ])("throws $kind as a classified PortError so the runtime records a failed read", async ({ error, failureKind, name }) => {
    sqsMock.on(GetQueueAttributesCommand).rejects(error);
    await expect(new SqsQueues(sqs).depth(URL)).rejects.toMatchObject({ name: "PortError", failure: { kind: failureKind, message: expect.stringMatching(new RegExp(`^${name}`)), cause: error } });
  });

  it("rejects a response with a bad attribute, naming the queue and the attribute", async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: attributes({ ApproximateNumberOfMessagesNotVisible: "NotInt" }) });
    await expect(new SqsQueues(sqs).depth(URL)).rejects.toMatchObject({
      failure: { kind: "invalid", message: `Error: SQS queue ${URL}: attribute ApproximateNumberOfMessagesNotVisible is "NotInt", not a non-negative integer` },
    });
  });
});

describe("count parsing", () => {
  it.each([
    { raw: "0", value: 0 },
    { raw: "7", value: 7 },
    { raw: "2147483647", value: 2_147_483_647 },
    { raw: "2147483648", value: 2_147_483_648 },
    { raw: "9007199254740991", value: Number.MAX_SAFE_INTEGER },
    { raw: "007", value: 7 },
  ])("reads $raw as $value", ({ raw, value }) => {
    expect(parseCount(URL, "ApproximateNumberOfMessages", raw)).toBe(value);
  });

  it.each([
    { raw: "NotInt", why: /"NotInt", not a non-negative integer/ },
    { raw: "", why: /"", not a non-negative integer/ },
    { raw: "-1", why: /"-1", not a non-negative integer/ },
    { raw: "1.5", why: /"1.5", not a non-negative integer/ },
    { raw: "1e3", why: /"1e3", not a non-negative integer/ },
    { raw: " 3", why: /" 3", not a non-negative integer/ },
    { raw: "9007199254740993", why: /9007199254740993, beyond the largest exact integer/ },
  ])("refuses $raw", ({ raw, why }) => {
    expect(() => parseCount(URL, "ApproximateNumberOfMessages", raw)).toThrow(why);
  });

  it.each(["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"])("refuses a response without %s, naming it", (missing) => {
    expect(() => processDepthOutput(URL, { Attributes: attributes({ [missing]: undefined }) })).toThrow(`SQS queue ${URL}: attribute ${missing} is missing from GetQueueAttributes`);
  });

  it("refuses a response without Attributes at all", () => {
    expect(() => processDepthOutput(URL, {})).toThrow(/ApproximateNumberOfMessages is missing/);
  });
});
