/**
 * The AWS SDK v3 clients the adapters use, built once per container. Handlers call
 * {@link awsClients} at module scope so warm invocations reuse connections and credentials.
 *
 * Retries: `adaptive` mode is the SDK's standard retry (exponential backoff with jitter, a retry quota)
 * plus a client-side rate limiter that slows down after throttling errors, which is what a loop that
 * calls ECS every few seconds within account-wide budgets needs. An error still left after
 * `maxAttempts` propagates to the adapter's caller, which counts it.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SQSClient } from "@aws-sdk/client-sqs";

export interface AwsClients {
  ecs: ECSClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  dynamodb: DynamoDBClient;
}

export interface AwsClientOptions {
  /** Region; default: the SDK's chain (AWS_REGION in Lambda). */
  region?: string;
  /**
   * Attempts per call including the first. 4 keeps a throttled call within a few seconds, short
   * enough for a pass that repeats every `intervalSeconds`; the next pass tries again anyway.
   */
  maxAttempts?: number;
  /** Endpoint overrides, e.g. dynalite or LocalStack in tests and local runs. */
  endpoints?: Partial<Record<keyof AwsClients, string>>;
  /** Static credentials, for local endpoints only; default: the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Attempts per call (first try + retries) unless the caller says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** Builds the four clients with adaptive retries. */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  const base = (endpoint: string | undefined) => ({
    retryMode: "adaptive" as const,
    maxAttempts,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
  return {
    ecs: new ECSClient(base(options.endpoints?.ecs)),
    sqs: new SQSClient(base(options.endpoints?.sqs)),
    cloudwatch: new CloudWatchClient(base(options.endpoints?.cloudwatch)),
    dynamodb: new DynamoDBClient(base(options.endpoints?.dynamodb)),
  };
}

let shared: AwsClients | undefined;

/**
 * The container's clients: built on the first call, the same objects afterwards. Options only
 * matter on the first call.
 */
export function awsClients(options?: AwsClientOptions): AwsClients {
  shared ??= createAwsClients(options);
  return shared;
}
