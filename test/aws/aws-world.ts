/**
 * The runtime on the real adapters, for the few end-to-end checks of what the SDK's requests and
 * errors become (test/aws/runtime-on-aws.test.ts): ECS, SQS and CloudWatch clients mocked with
 * aws-sdk-client-mock (so every SDK command and its input can be asserted), and the DynamoDB state
 * store against dynalite. The mocks answer from a small, explicit account state the test sets up:
 * services with counts and deployments, queue depths, metric datapoints.
 */
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { DeleteItemCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DescribeServicesCommand, type DescribeServicesCommandInput, ECSClient, ServiceNotFoundException, UpdateServiceCommand, type UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, type GetQueueAttributesCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchMetrics } from "../../shared/aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore } from "../../shared/aws/dynamodb-state-store.ts";
import { EcsServices } from "../../shared/aws/ecs-services.ts";
import { SqsQueues } from "../../shared/aws/sqs-queues.ts";
import type { EvaluationDeps } from "../../shared/runtime/evaluation-pass.ts";
import { recordingSink, type ServiceState } from "../runtime/memory-world.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";
import { type VirtualClock, virtualClock } from "./virtual-clock.ts";

export { configOf, queueUrl, recordingSink, workerService } from "../runtime/memory-world.ts";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
const clientConfig = { region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };

export type AwsWorld = Awaited<ReturnType<typeof awsWorld>>;

/**
 * A fresh world: mocked ECS/SQS/CloudWatch answering from `services`, `queues` and `datapoints`,
 * a fresh dynalite state table, a virtual clock at `start`.
 */
export async function awsWorld(options: { start?: Date; dryRun?: boolean; dynamodb?: DynamoDBClient } = {}) {
  const clock: VirtualClock = virtualClock(options.start ?? new Date("2026-03-02T12:00:00Z"));
  const ecsClient = new ECSClient(clientConfig);
  const sqsClient = new SQSClient(clientConfig);
  const cwClient = new CloudWatchClient(clientConfig);
  const ecs = mockClient(ecsClient);
  const sqs = mockClient(sqsClient);
  const cloudwatch = mockClient(cwClient);
  const dynamodb = options.dynamodb ?? localDynamoDb();
  const table = await emptyTable(dynamodb);

  /** `cluster/service` → state. */
  const services = new Map<string, ServiceState>();
  /** queue URL → depth. */
  const queues = new Map<string, { visible: number; inFlight: number; delayed: number }>();
  /** `namespace/name/dimension values` → the latest complete datapoint. */
  const datapoints = new Map<string, { value: number; at: Date }>();
  /** One-shot faults: the next call of that API for that key throws this error, later calls behave. */
  const faults = {
    describe: new Map<string, unknown>(),
    update: new Map<string, unknown>(),
  };
  /** One-shot hooks run right after the state store's GetItem of a key has returned (another writer). */
  const afterLoad = new Map<string, () => Promise<void>>();
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const key = (args.input as { Key?: { pk?: { S?: string } } }).Key?.pk?.S;
      const hook = context.commandName === "GetItemCommand" && key !== undefined ? afterLoad.get(key) : undefined;
      if (hook) {
        afterLoad.delete(key!);
        await hook();
      }
      return result;
    },
    { step: "initialize", name: "afterLoadHooks" },
  );

  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    const found = [];
    const failures = [];
    const fault = faults.describe.get(input.cluster ?? "");
    if (fault !== undefined) {
      faults.describe.delete(input.cluster ?? "");
      throw fault;
    }
    for (const name of input.services ?? []) {
      const s = services.get(`${input.cluster}/${name}`);
      const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${input.cluster}/${name}`;
      if (!s) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      found.push({
        serviceName: name,
        serviceArn: arn,
        status: s.status ?? "ACTIVE",
        desiredCount: s.desired,
        runningCount: s.running,
        pendingCount: s.pending,
        deployments: [{ status: "PRIMARY", rolloutState: s.deploying ? "IN_PROGRESS" : "COMPLETED" }],
      });
    }
    return { services: found, failures };
  });
  ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
    const fault = faults.update.get(`${input.cluster}/${input.service}`);
    if (fault !== undefined) {
      faults.update.delete(`${input.cluster}/${input.service}`);
      throw fault;
    }
    const s = services.get(`${input.cluster}/${input.service}`);
    if (!s) throw new ServiceNotFoundException({ message: "Service not found.", $metadata: { httpStatusCode: 400 } });
    s.desired = input.desiredCount ?? s.desired;
    return { service: { serviceName: input.service, desiredCount: s.desired } };
  });
  sqs.on(GetQueueAttributesCommand).callsFake((input: GetQueueAttributesCommandInput) => {
    const q = queues.get(input.QueueUrl ?? "");
    if (!q) throw Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist", $metadata: { httpStatusCode: 400 } });
    return {
      Attributes: {
        ApproximateNumberOfMessages: String(q.visible),
        ApproximateNumberOfMessagesNotVisible: String(q.inFlight),
        ApproximateNumberOfMessagesDelayed: String(q.delayed),
      },
    };
  });
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const results: MetricDataResult[] = (input.MetricDataQueries ?? []).map((q) => {
      const m = q.MetricStat?.Metric;
      const key = m
        ? metricKey(
            m.Namespace!,
            m.MetricName!,
            (m.Dimensions ?? []).map((d) => d.Value!),
          )
        : `expr:${q.Expression}`;
      const point = datapoints.get(key);
      return point ? { Id: q.Id, Timestamps: [point.at], Values: [point.value], StatusCode: "Complete" } : { Id: q.Id, Timestamps: [], Values: [], StatusCode: "Complete" };
    });
    return { MetricDataResults: results };
  });

  const sink = recordingSink();
  const store = new DynamoDbStateStore(dynamodb, table);
  const deps: EvaluationDeps & { clock: VirtualClock } = {
    services: new EcsServices(ecsClient, { clock }),
    queues: new SqsQueues(sqsClient),
    metrics: new CloudWatchMetrics(cwClient),
    state: store,
    sink,
    dryRun: options.dryRun ?? false,
    clock,
  };

  return {
    deps,
    clock,
    ecs,
    sqs,
    cloudwatch,
    dynamodb,
    table,
    store,
    sink,
    services,
    queues,
    datapoints,
    faults,
    afterLoad,
    /** The UpdateService inputs sent so far, in order. */
    updates: () => ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input),
    /** The UpdateService inputs sent so far, sorted by cluster/service (services are decided concurrently). */
    updatesByService: () =>
      ecs
        .commandCalls(UpdateServiceCommand)
        .map((c) => c.args[0].input)
        .sort((a, b) => `${a.cluster}/${a.service}`.localeCompare(`${b.cluster}/${b.service}`)),
    /** Sets a service's counts (running defaults to desired). */
    service(ref: string, state: Partial<ServiceState> & { desired: number }) {
      services.set(ref, { running: state.desired, pending: 0, ...state });
    },
    /** Sets a CloudWatch metric's latest complete datapoint (a minute before now unless `at`). */
    metric(namespace: string, name: string, dimensionValues: string[], value: number, at?: Date) {
      datapoints.set(metricKey(namespace, name, dimensionValues), { value, at: at ?? new Date(clock.now().getTime() - 120_000) });
    },
    /** Closes the clients this world made. */
    close() {
      ecs.restore();
      sqs.restore();
      cloudwatch.restore();
      dynamodb.middlewareStack.remove("afterLoadHooks");
      if (!options.dynamodb) dynamodb.destroy();
    },
  };
}

let sharedTable: Promise<string> | undefined;

/**
 * The test file's state table, emptied: creating a table per test costs up to a second of the
 * SDK waiter's polling, and the tests of a file run one after another.
 */
async function emptyTable(dynamodb: DynamoDBClient): Promise<string> {
  sharedTable ??= freshStateTable(dynamodb);
  const table = await sharedTable;
  const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: table, ProjectionExpression: "pk" }));
  for (const item of Items) await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: item.pk! } }));
  return table;
}

function metricKey(namespace: string, name: string, dimensionValues: string[]): string {
  return [namespace, name, ...dimensionValues].join("/");
}
