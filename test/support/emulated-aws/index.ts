/**
 * An emulated AWS account for the real SDK v3 clients: ECS, SQS and CloudWatch answered in process,
 * DynamoDB by dynalite, all behind one loopback endpoint that adds latency and injects faults (see
 * server.ts). Evaluators get the clients `createAwsClients` builds (standard retries, the production
 * timeouts) and the adapters wired as `functions/lib/lambda-setup.ts` wires them.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AttributeValue, DynamoDBClient, GetItemCommand, paginateScan } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import dynalite from "dynalite";
import { type AwsRuntimeDeps, awsRuntimeDeps } from "../../../functions/lib/lambda-setup.ts";
import { type AwsClients, createAwsClients } from "../../../shared/aws/clients.ts";
import { createStateTable } from "../../../shared/aws/dynamodb-state-table.ts";
import type { DecisionSink } from "../../../shared/ports/decision-sink.ts";
import { type EcsConsistency, EmulatedEcs, REGION } from "./ecs.ts";
import { FaultPlan, type FaultRates } from "./faults.ts";
import { EmulatedCloudWatch, EmulatedSqs } from "./queues-metrics.ts";
import { type Emulator, startEmulator } from "./server.ts";

export { ACCOUNT, ECS_LIMITS, type EcsConsistency, EmulatedEcs, REGION } from "./ecs.ts";
export { type FaultKind, FaultPlan, type FaultRates, type Lane } from "./faults.ts";
export type { LandedSave } from "./server.ts";

export interface EmulatedAwsOptions {
  /** Seed of latency and fault draws. */
  seed?: number;
  /** Fault rates per lane (none by default; change `faults.rates` later to start them). */
  faults?: FaultRates;
  latencyMs?: { min: number; max: number };
  /** How far behind ECS's stale reads and late landings run (ecs.ts; seeded from `seed` unless given). */
  ecs?: EcsConsistency;
}

export type EmulatedAws = Awaited<ReturnType<typeof startEmulatedAws>>;

const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** A container's clients, as `createAwsClients` builds them, pointed at the emulation's `endpoint`. */
export function emulatedClients(endpoint: string): AwsClients {
  return createAwsClients({
    region: REGION,
    credentials: CREDENTIALS,
    endpoints: { ecs: endpoint, sqs: endpoint, cloudwatch: endpoint, dynamodb: endpoint },
  });
}

/** Starts dynalite and the endpoint, and creates the state table (without faults). */
export async function startEmulatedAws(options: EmulatedAwsOptions = {}) {
  const dynamo: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", () => resolve()));
  const dynamodbUpstream = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  // Reads for the checkers go straight to dynalite: no latency, no faults.
  const direct = new DynamoDBClient({ endpoint: dynamodbUpstream, region: REGION, credentials: CREDENTIALS });
  const readItem = async (table: string, key: Record<string, AttributeValue>) => {
    const { Item } = await direct.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item ? (unmarshall(Item) as Record<string, unknown>) : undefined;
  };
  const ecs = new EmulatedEcs({ seed: (options.seed ?? 1) * 104_729, ...options.ecs });
  const sqs = new EmulatedSqs();
  const cloudwatch = new EmulatedCloudWatch();
  // One object the endpoint reads on every request, so a caller may change it between phases.
  const latencyMs = { ...(options.latencyMs ?? { min: 30, max: 80 }) };
  const faults = new FaultPlan(options.faults ?? {}, (options.seed ?? 1) * 7919);
  const emulator: Emulator = await startEmulator({
    ecs,
    sqs,
    cloudwatch,
    dynamodbUpstream,
    readItem,
    faults,
    seed: options.seed ?? 1,
    latencyMs,
  });
  const tableName = "emulated-state";
  await createStateTable(direct, tableName, { ttl: false });
  const made: AwsClients[] = [];

  return {
    ecs,
    sqs,
    cloudwatch,
    faults,
    tableName,
    /** Latency range per request (ms); set both to 0 to seed a large fleet quickly. */
    latencyMs,
    endpoint: emulator.endpoint,
    /** Every item a write dynalite accepted stored, in order (PutItem, UpdateItem, batches, transactions). */
    saves: emulator.saves,
    /** Requests that arrived, by `lane:operation`. */
    requests: emulator.requests,
    /** A container's clients, as `createAwsClients` builds them, pointed at the emulation. */
    clients(): AwsClients {
      const clients = emulatedClients(emulator.endpoint);
      made.push(clients);
      return clients;
    },
    /** One evaluator's deps (its own clients and adapters, live, not dry run). */
    evaluator(sink: DecisionSink): AwsRuntimeDeps {
      return awsRuntimeDeps(this.clients(), { configPath: "-", tableName, dryRun: false }, sink);
    },
    /** Every item in the state table, by `pk`. */
    async storedItems(): Promise<Map<string, Record<string, unknown>>> {
      const items = new Map<string, Record<string, unknown>>();
      for await (const page of paginateScan({ client: direct }, { TableName: tableName, ConsistentRead: true }))
        for (const raw of page.Items ?? []) {
          const item = unmarshall(raw) as Record<string, unknown>;
          items.set(String(item.pk), item);
        }
      return items;
    },
    async close(): Promise<void> {
      for (const c of made) for (const client of Object.values(c)) client.destroy();
      direct.destroy();
      ecs.close();
      await emulator.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
