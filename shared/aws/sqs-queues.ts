/**
 * QueuesPort on Amazon SQS: one GetQueueAttributes call per queue asking for exactly the three
 * approximate counts, parsed strictly (as KEDA's SQS scaler does): an attribute that is missing or
 * not an integer is an error naming it, never a silent zero.
 */
import {
  GetQueueAttributesCommand,
  type GetQueueAttributesCommandInput,
  type GetQueueAttributesCommandOutput,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { QueueDepth, QueuesPort } from "../ports/queues.ts";
import type { UsageMeter } from "../ports/usage.ts";
import { sdkCall } from "./errors.ts";

/** The attributes the port reports, by the QueueDepth field they fill. */
export const DEPTH_ATTRIBUTES = {
  visible: "ApproximateNumberOfMessages",
  inFlight: "ApproximateNumberOfMessagesNotVisible",
  delayed: "ApproximateNumberOfMessagesDelayed",
} as const satisfies Record<keyof QueueDepth, string>;

/** Parse: the GetQueueAttributes input for one queue. */
export function depthRequest(queueUrl: string): GetQueueAttributesCommandInput {
  return { QueueUrl: queueUrl, AttributeNames: Object.values(DEPTH_ATTRIBUTES) };
}

/**
 * One count as SQS sends it: a decimal string of digits. Values beyond 2^31 are valid (a 64-bit
 * count); a value beyond 2^53 could not be held exactly in a number and is refused rather than rounded.
 */
export function parseCount(queueUrl: string, attribute: string, raw: string | undefined): number {
  if (raw === undefined) {
    throw new Error(`SQS queue ${queueUrl}: attribute ${attribute} is missing from GetQueueAttributes`);
  }
  if (!/^\d+$/.test(raw)) {
    throw new Error(
      `SQS queue ${queueUrl}: attribute ${attribute} is ${JSON.stringify(raw)}, not a non-negative integer`,
    );
  }
  const value = BigInt(raw);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(
      `SQS queue ${queueUrl}: attribute ${attribute} is ${raw}, beyond the largest exact integer`,
    );
  }
  return Number(value);
}

/** Process: the three counts of a GetQueueAttributes response. */
export function processDepthOutput(
  queueUrl: string,
  output: Pick<GetQueueAttributesCommandOutput, "Attributes">,
): QueueDepth {
  const attributes = output.Attributes ?? {};
  return {
    visible: parseCount(queueUrl, DEPTH_ATTRIBUTES.visible, attributes[DEPTH_ATTRIBUTES.visible]),
    inFlight: parseCount(queueUrl, DEPTH_ATTRIBUTES.inFlight, attributes[DEPTH_ATTRIBUTES.inFlight]),
    delayed: parseCount(queueUrl, DEPTH_ATTRIBUTES.delayed, attributes[DEPTH_ATTRIBUTES.delayed]),
  };
}

/** {@link QueuesPort} backed by SQS. */
export class SqsQueues implements QueuesPort {
  /** `meter` counts the calls made (for the own bill). */
  constructor(
    private readonly sqs: SQSClient,
    private readonly meter?: UsageMeter,
  ) {}

  /**
   * Reads one queue's depth; a failed call (throttling, access denied, missing queue) or a bad
   * attribute throws a PortError.
   */
  depth(queueUrl: string): Promise<QueueDepth> {
    return sdkCall(async () => {
      this.meter?.call("sqs:GetQueueAttributes");
      const output = await this.sqs.send(new GetQueueAttributesCommand(depthRequest(queueUrl)));
      return processDepthOutput(queueUrl, output);
    });
  }
}
