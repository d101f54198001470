/**
 * The AWS SDK v3 clients the adapters use, built once per container. Handlers call
 * {@link awsClients} at module scope so warm invocations reuse connections and credentials.
 *
 * Retries: `standard` mode (exponential backoff with jitter, a retry quota). Chosen by measurement
 * (test/aws/clients.test.ts): after a single throttle, `adaptive` mode's client-side rate limiter holds
 * the next requests of that client to about 0.5 per second, so one throttled call costs ~2 s and a pass
 * of many services several more; standard mode retries it in ~0.1 s. Pacing against ECS's account-wide
 * budgets is the adapters' job (a token bucket), not the retry strategy's. An error still left after
 * `maxAttempts` propagates to the adapter's caller, which counts it.
 *
 * Timeouts: the SDK's socket defaults allow a hung call minutes, long enough to stall a pass that repeats
 * every few seconds. Every client has a connection timeout and a per-attempt request timeout
 * ({@link REQUEST_TIMEOUTS}), so a hung call fails within `maxAttempts` × the request timeout plus
 * backoff, and the pass goes on with the other services.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SQSClient } from "@aws-sdk/client-sqs";

export interface AwsClients {
  ecs: ECSClient;
  /**
   * ECS without SDK retries, for UpdateService only: a retry after a lost response would send a second
   * UpdateService for one decision. The adapter retries a throttled call once itself, paced by the
   * budget, and after any other failure only checks DescribeServices (shared/aws/ecs-services.ts).
   */
  ecsUpdates: ECSClient;
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

/**
 * Milliseconds to establish a connection, and for one attempt's response, per client. The calls are
 * small (DescribeServices of 10, GetQueueAttributes, GetItem/PutItem of a record under 4 KB) and
 * answer in tens of milliseconds; GetMetricData pages of up to 500 queries take longer.
 */
export const REQUEST_TIMEOUTS = {
  connectionMs: 1_000,
  requestMs: { ecs: 2_000, sqs: 2_000, dynamodb: 2_000, cloudwatch: 4_000 },
} as const;

/** Builds the clients with standard retries (none for UpdateService, see `ecsUpdates`) and timeouts. */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  const base = (endpoint: string | undefined, requestTimeout: number, attempts = maxAttempts) => ({
    retryMode: "standard" as const,
    maxAttempts: attempts,
    // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes.
    requestHandler: {
      connectionTimeout: REQUEST_TIMEOUTS.connectionMs,
      requestTimeout,
      throwOnRequestTimeout: true,
    },
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
  return {
    ecs: new ECSClient(base(options.endpoints?.ecs, REQUEST_TIMEOUTS.requestMs.ecs)),
    ecsUpdates: new ECSClient(base(options.endpoints?.ecs, REQUEST_TIMEOUTS.requestMs.ecs, 1)),
    sqs: new SQSClient(base(options.endpoints?.sqs, REQUEST_TIMEOUTS.requestMs.sqs)),
    cloudwatch: new CloudWatchClient(
      base(options.endpoints?.cloudwatch, REQUEST_TIMEOUTS.requestMs.cloudwatch),
    ),
    // Endpoint discovery is optional for DynamoDB; off, the Lambda bundles can leave its cache out.
    dynamodb: new DynamoDBClient({
      ...base(options.endpoints?.dynamodb, REQUEST_TIMEOUTS.requestMs.dynamodb),
      endpointDiscoveryEnabled: false,
    }),
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
