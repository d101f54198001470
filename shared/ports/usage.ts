/**
 * Port: what the runtime's ports did, counted where it happened, so the autoscaler's own AWS bill can
 * be computed from a real run (the Lambda adapters) or a simulated one (the in-memory ports) alike.
 * The counter behind it and the prices are shared/cost; a port given no meter counts nothing.
 */

/** The AWS APIs the ports call, `service:Action`. */
export type AwsApi =
  | "ecs:DescribeServices"
  | "ecs:UpdateService"
  | "ecs:DescribeCapacityProviders"
  | "ecs:UpdateCapacityProvider"
  | "sqs:GetQueueAttributes"
  | "sqs:SendMessageBatch"
  | "cloudwatch:GetMetricData"
  | "dynamodb:GetItem"
  | "dynamodb:BatchGetItem"
  | "dynamodb:PutItem";

/** Which kind of record a stored item is (shared/ports/state-store.ts). */
export type StoredItem = "state" | "dedupe";

export interface UsageMeter {
  /** One call of `api` (a retried call counts once: AWS bills the request that answered). */
  call(api: AwsApi): void;
  /** Metrics requested in one GetMetricData call (CloudWatch bills per metric, not per datapoint). */
  metricsRequested(count: number): void;
  /**
   * A DynamoDB item of `bytes` (as DynamoDB sizes it) read; 0 for a key without an item (still
   * billed). `item`: a service's state record, or one of its small dedupe records.
   */
  itemRead(bytes: number, consistent: boolean, item: StoredItem): void;
  /** A DynamoDB item of `bytes` written (PutItem bills the larger of the old and new item). */
  itemWritten(bytes: number, item: StoredItem): void;
  /** One datapoint of a custom metric; `identity` is its namespace, name and dimensions. */
  customMetric(identity: string): void;
  /** Bytes written to the function's log (CloudWatch Logs ingests them). */
  logBytes(bytes: number): void;
}
