/**
 * `ecs-autoscaler explain`: live state through the real adapters (ECS/SQS/CloudWatch mocked per client
 * class, the state table on dynalite), each service's would-be decision printed, nothing changed.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateCapacityProviderCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createAwsClients } from "../../shared/aws/clients.ts";
import { DynamoDbStateStore } from "../../shared/aws/dynamodb-state-store.ts";
import { runExplain } from "../../shared/cli/commands/explain.ts";
import { writeConfig } from "../functions/lambda-harness.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";
import { runCli } from "./run-cli.ts";

const queue = (name: string) => `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}`;
const now = new Date("2026-03-02T12:00:00Z");
const config = writeConfig({
  services: [
    { cluster: "prod", service: "worker", policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: queue("jobs"), includeInFlight: false }] } },
    { cluster: "prod", service: "gone", policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl: queue("gone-jobs") }] } },
  ],
  capacityProviders: [{ name: "cp-ec2", managedScaling: { targetCapacity: 90 } }],
});

let ecs: ReturnType<typeof mockClient>;
let sqs: ReturnType<typeof mockClient>;
let cloudwatch: ReturnType<typeof mockClient>;
beforeEach(() => {
  ecs = mockClient(ECSClient);
  sqs = mockClient(SQSClient);
  cloudwatch = mockClient(CloudWatchClient);
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: "worker", status: "ACTIVE", desiredCount: 2, runningCount: 2, pendingCount: 0, deployments: [] }],
    failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/gone", reason: "MISSING" }],
  });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: "30", ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" },
  });
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
});
afterEach(() => {
  ecs.restore();
  sqs.restore();
  cloudwatch.restore();
});

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env, now: () => now } };
}

function clients() {
  return createAwsClients({
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    endpoints: { dynamodb: inject("dynamodbEndpoint") },
    maxAttempts: 1,
  });
}

describe("explain", () => {
  it("prints each service's would-be decision and why, and changes nothing", async () => {
    const { out, err, io: streams } = io();
    const code = await runExplain({ config }, streams, clients());
    const text = out.join("");
    expect(text).toContain("prod/worker: would go 2 → 6 (ScaleUp; running 2, backlog 30)");
    expect(text).toContain("sqs[0] backlog 30 at 5 per task");
    expect(text).toContain("capacity provider cp-ec2: targetCapacity 90 (baseline)");
    expect(text).toContain("No state table given");
    expect(err.join("")).toContain("prod/gone: describe failed: prod/gone: MISSING");
    expect(code).toBe(1);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
  });

  it("says how many tasks are draining when more run than desired after a scale-in", async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: "worker", status: "ACTIVE", desiredCount: 6, runningCount: 9, pendingCount: 0, deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }] }],
      failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/gone", reason: "MISSING" }],
    });
    const { out, io: streams } = io();
    await runExplain({ config }, streams, clients());
    const text = out.join("");
    expect(text).toContain("prod/worker: stays at 6 (NoChange; running 9 (3 draining), backlog 30)");
    expect(text).toContain("3 tasks draining (running 9 > desired 6");
    const json = io();
    await runExplain({ config, json: true }, json.io, clients());
    expect(JSON.parse(json.out.join("")).decisions[0]).toMatchObject({ service: "prod/worker", running: 9, draining: 3 });
  });

  it("reads the deployment's history from the state table but never writes it", async () => {
    const dynamodb = localDynamoDb();
    const table = await freshStateTable(dynamodb);
    const store = new DynamoDbStateStore(dynamodb, table);
    // The deployed evaluator recommended 10 a minute ago: the scale-down window keeps it there.
    await store.save({
      key: "prod/worker",
      version: 0,
      learned: {},
      history: { recommendations: [{ at: "2026-03-02T11:59:00Z", tasks: 10 }], scaleEvents: [], failures: 0 },
    });
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: "worker", status: "ACTIVE", desiredCount: 10, runningCount: 10, pendingCount: 0, deployments: [] }],
      failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/gone", reason: "MISSING" }],
    });
    const { out, io: streams } = io({ STATE_TABLE_NAME: table });
    await runExplain({ config, json: true }, streams, clients());
    const report = JSON.parse(out.join(""));
    expect(report.history).toBe("state table");
    expect(report.decisions).toEqual([expect.objectContaining({ service: "prod/worker", from: 10, to: 10, reason: "ScaleDownStabilized" })]);
    expect((await store.load("prod/worker"))?.version).toBe(1);
    dynamodb.destroy();
  });

  it("refuses an invalid config with every problem and exit code 2 (the real command)", () => {
    const bad = writeConfig({ services: [{ cluster: "prod", service: "w", policy: { maxTasks: 0, triggers: [] } }] });
    const result = runCli(["explain", "--config", bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("services[0].policy.maxTasks");
    expect(result.stderr).toContain("services[0].policy.triggers");
    expect(result.stdout).toBe("");
  });

  it("requires --config (the real command)", () => {
    const result = runCli(["explain"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--config <file>");
  });
});
