/**
 * `npm run bench:pass`: how long one evaluation pass takes with the real runtime and the real AWS
 * adapters and SDK clients, every AWS call answered by aws-sdk-client-mock after a seeded 30–80 ms
 * (ECS, SQS, CloudWatch, and DynamoDB from an in-memory table with the same conditional writes).
 *
 * For each fleet size (default 100, 500 and 2,000 services over 4 clusters, each service scaled on
 * its own SQS queue, every fourth on a CloudWatch metric too) it runs a first pass (records created),
 * then `--passes` steady passes (nothing to change), and prints their times. Then two hung calls,
 * counting the services decided within 5 s (the hung call is left hanging; a real client's request
 * timeout would end it): 100 services with the DescribeServices call of the first 10 never answering,
 * and 400 services with the record load (GetItem or BatchGetItem) of `cluster-0/svc-0` never answering.
 *
 * What it is not: AWS's own latency distribution or throttling; the wall time includes this machine's
 * CPU, shared with whatever else runs.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from "@aws-sdk/client-cloudwatch";
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  ECSClient,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { Command } from "commander";
import { CloudWatchMetrics } from "../shared/aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore } from "../shared/aws/dynamodb-state-store.ts";
import { EcsServices } from "../shared/aws/ecs-services.ts";
import { SqsQueues } from "../shared/aws/sqs-queues.ts";
import { type Config, checkConfig } from "../shared/config/index.ts";
import type { DecisionSink } from "../shared/ports/decision-sink.ts";
import { type EvaluationDeps, runEvaluationPass } from "../shared/runtime/evaluation-pass.ts";
import { seededRandom } from "../test/support/emulated-aws/rng.ts";

const options = new Command("bench:pass")
  .option("--sizes <list>", "fleet sizes, comma-separated", "100,500,2000")
  .option("--passes <n>", "steady passes measured per size", "2")
  .option("--seed <n>", "latency seed", "1")
  .option("--skip-hung", "leave out the hung-call cases")
  .option("--only-hung", "run only the hung-call cases")
  .parse()
  .opts<{ sizes: string; passes: string; seed: string; skipHung?: boolean; onlyHung?: boolean }>();

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const CLUSTERS = 4;
const clientConfig = {
  region: REGION,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
};

const queueUrl = (i: number) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs-${i}`;
const clusterOf = (i: number) => `cluster-${i % CLUSTERS}`;

function fleetConfig(size: number): Config {
  const services = Array.from({ length: size }, (_, i) => ({
    cluster: clusterOf(i),
    service: `svc-${i}`,
    policy: {
      minTasks: 1,
      maxTasks: 50,
      triggers: [
        { type: "sqs", queueUrl: queueUrl(i), includeInFlight: false },
        ...(i % 4 === 0
          ? [
              {
                type: "metric",
                metric: {
                  namespace: "AWS/ApplicationELB",
                  name: "RequestCountPerTarget",
                  dimensions: [{ name: "TargetGroup", value: `tg-${i}` }],
                },
                target: 1000,
              },
            ]
          : []),
      ],
    },
  }));
  const checked = checkConfig({ services });
  if (!checked.config) throw new Error(JSON.stringify(checked.problems));
  return checked.config;
}

/** The mocked account: every service at 4 tasks with 20 visible messages (5 per task: steady). */
/** Which calls never answer: a DescribeServices input, a DynamoDB record load by the keys it names. */
interface Hangs {
  describe?: (input: DescribeServicesCommandInput) => boolean;
  load?: (keys: string[]) => boolean;
}

function mockedAccount(seed: number, hangs: Hangs = {}) {
  const random = seededRandom(seed);
  const later = <T>(answer: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setTimeout(
        () => {
          try {
            resolve(answer());
          } catch (error) {
            reject(error);
          }
        },
        30 + random() * 50,
      ),
    );
  const clients = {
    ecs: new ECSClient(clientConfig),
    sqs: new SQSClient(clientConfig),
    cloudwatch: new CloudWatchClient(clientConfig),
    dynamodb: new DynamoDBClient(clientConfig),
  };
  const calls = { describe: 0, update: 0, queue: 0, metrics: 0, getItem: 0, batchGet: 0, putItem: 0 };
  mockClient(clients.ecs)
    .on(DescribeServicesCommand)
    .callsFake((input: DescribeServicesCommandInput) => {
      calls.describe++;
      if (hangs.describe?.(input)) return new Promise(() => {});
      return later(() => ({
        services: (input.services ?? []).map((name) => ({
          serviceName: name,
          serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${input.cluster}/${name}`,
          status: "ACTIVE",
          desiredCount: 4,
          runningCount: 4,
          pendingCount: 0,
          deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }],
        })),
        failures: [],
      }));
    })
    .on(UpdateServiceCommand)
    .callsFake(() => {
      calls.update++;
      return later(() => ({}));
    });
  mockClient(clients.sqs)
    .on(GetQueueAttributesCommand)
    .callsFake(() => {
      calls.queue++;
      return later(() => ({
        Attributes: {
          ApproximateNumberOfMessages: "20",
          ApproximateNumberOfMessagesNotVisible: "0",
          ApproximateNumberOfMessagesDelayed: "0",
        },
      }));
    });
  mockClient(clients.cloudwatch)
    .on(GetMetricDataCommand)
    .callsFake((input: GetMetricDataCommandInput) => {
      calls.metrics++;
      const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
      return later(() => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
          Id: q.Id,
          Timestamps: [at],
          Values: [4000],
          StatusCode: "Complete",
        })),
      }));
    });
  mockDynamoDb(clients.dynamodb, later, calls, hangs.load ?? (() => false));
  return { clients, calls };
}

/** A DynamoDB table in memory behind the mock: GetItem, BatchGetItem, and PutItem with the adapter's two conditions. */
function mockDynamoDb(
  client: DynamoDBClient,
  later: <T>(answer: () => T) => Promise<T>,
  calls: Record<string, number>,
  hung: (keys: string[]) => boolean,
): void {
  const items = new Map<string, Record<string, AttributeValue>>();
  const conditionFailed = () =>
    Object.assign(new Error("The conditional request failed"), {
      name: "ConditionalCheckFailedException",
      $metadata: { httpStatusCode: 400 },
    });
  mockClient(client)
    .on(GetItemCommand)
    .callsFake((input: GetItemCommandInput) => {
      calls.getItem!++;
      if (hung([input.Key?.pk?.S ?? ""])) return new Promise(() => {});
      return later(() => ({ Item: items.get(input.Key?.pk?.S ?? "") }));
    })
    .on(BatchGetItemCommand)
    .callsFake((input: BatchGetItemCommandInput) => {
      calls.batchGet!++;
      const [[table, request]] = Object.entries(input.RequestItems ?? {}) as [
        [string, { Keys?: Record<string, AttributeValue>[] }],
      ];
      if (hung((request.Keys ?? []).map((k) => k.pk?.S ?? ""))) return new Promise(() => {});
      return later(() => ({
        Responses: {
          [table]: (request.Keys ?? [])
            .map((k) => items.get(k.pk?.S ?? ""))
            .filter((item) => item !== undefined),
        },
      }));
    })
    .on(PutItemCommand)
    .callsFake((input: PutItemCommandInput) => {
      calls.putItem!++;
      return later(() => {
        const key = input.Item?.pk?.S ?? "";
        const stored = items.get(key);
        if (input.ConditionExpression?.startsWith("attribute_not_exists") && stored) throw conditionFailed();
        const expected = input.ExpressionAttributeValues?.[":expected"]?.N;
        if (expected !== undefined && stored?.version?.N !== expected) throw conditionFailed();
        items.set(key, input.Item ?? {});
        return {};
      });
    });
}

function countingSink(): DecisionSink & { decided: number; failed: number } {
  return {
    decided: 0,
    failed: 0,
    decision() {
      this.decided++;
    },
    failure() {
      this.failed++;
    },
  };
}

function depsOf(clients: ReturnType<typeof mockedAccount>["clients"], sink: DecisionSink): EvaluationDeps {
  return {
    services: new EcsServices(clients.ecs),
    queues: new SqsQueues(clients.sqs),
    metrics: new CloudWatchMetrics(clients.cloudwatch),
    state: new DynamoDbStateStore(clients.dynamodb, "state"),
    sink,
    dryRun: false,
  };
}

async function timedPass(deps: EvaluationDeps, config: Config) {
  const started = performance.now();
  const summary = await runEvaluationPass(deps, config, new Date());
  return { ms: performance.now() - started, summary };
}

async function steady(size: number, passes: number, seed: number): Promise<void> {
  const config = fleetConfig(size);
  const { clients, calls } = mockedAccount(seed);
  const sink = countingSink();
  const deps = depsOf(clients, sink);
  const first = await timedPass(deps, config);
  const before = { ...calls };
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const pass = await timedPass(deps, config);
    if (pass.summary.evaluated !== size) throw new Error(`${size}: evaluated ${pass.summary.evaluated}`);
    times.push(pass.ms);
  }
  const perPass = Object.fromEntries(
    Object.entries(calls).map(([api, n]) => [api, (n - before[api as keyof typeof calls]) / passes]),
  );
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `| ${size} | ${fmt(first.ms)} | ${times.map(fmt).join(", ")} | ${Object.entries(perPass)
      .filter(([, n]) => n > 0)
      .map(([api, n]) => `${api} ${n}`)
      .join(", ")} |`,
  );
}

/** Starts a pass over `size` services with `hangs`, and counts the services decided within 5 s. */
async function decidedWithin5s(seed: number, size: number, hangs: Hangs): Promise<string> {
  const config = fleetConfig(size);
  const { clients } = mockedAccount(seed, hangs);
  const sink = countingSink();
  const deps = depsOf(clients, sink);
  void runEvaluationPass(deps, config, new Date());
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  return `${sink.decided} of ${size} decided within 5 s`;
}

/** A predicate true for the first call only that names `cluster-0/svc-0`. */
function firstNaming<T>(names: (input: T) => boolean): (input: T) => boolean {
  let hung = false;
  return (input) => {
    if (hung || !names(input)) return false;
    hung = true;
    return true;
  };
}

async function hungCalls(seed: number): Promise<void> {
  const describe = firstNaming<DescribeServicesCommandInput>(
    (input) => input.cluster === "cluster-0" && (input.services?.includes("svc-0") ?? false),
  );
  console.log(
    `one DescribeServices hung (100 services, 10 in the hung call): ${await decidedWithin5s(seed, 100, { describe })}`,
  );
  const load = firstNaming<string[]>((keys) => keys.includes("cluster-0/svc-0"));
  console.log(
    `the record load of cluster-0/svc-0 hung (400 services, 100 a cluster): ${await decidedWithin5s(seed, 400, { load })}`,
  );
}

const seed = Number(options.seed);
console.log(`Steady pass, ${CLUSTERS} clusters, every call answered after 30–80 ms (seed ${seed})\n`);
if (!options.onlyHung) {
  console.log("| services | first pass | steady passes | calls per steady pass |\n|---|---|---|---|");
  for (const size of options.sizes.split(",").map(Number)) await steady(size, Number(options.passes), seed);
  console.log("");
}
if (!options.skipHung) await hungCalls(seed);
process.exit(0);
