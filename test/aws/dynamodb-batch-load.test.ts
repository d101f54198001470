/**
 * DynamoDbStateStore.loadMany: BatchGetItem against dynalite (found, missing, malformed, more than
 * one batch) and, through aws-sdk-client-mock, the exact commands and the UnprocessedKeys retries.
 */
import { BatchGetItemCommand, type DynamoDBClient, DynamoDBClient as MockableDynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbStateStore, saveInput } from "../../shared/aws/dynamodb-state-store.ts";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import { emptyRecord, PASS_READ, type ServiceRecord } from "../../shared/ports/state-store.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";

let client: DynamoDBClient;
let table: string;
let store: DynamoDbStateStore;

beforeAll(async () => {
  client = localDynamoDb();
  table = await freshStateTable(client, "batch");
  store = new DynamoDbStateStore(client, table);
});
afterAll(() => client.destroy());

const withStartup = (key: string, startupSeconds: number): ServiceRecord => ({ ...emptyRecord(key), learned: { startupSeconds } });

describe("DynamoDbStateStore.loadMany against dynalite", () => {
  it("returns each saved record, undefined for a key never saved, and fails only a malformed item", async () => {
    // Prepare
    await store.save(withStartup("c/a", 10));
    await store.save(withStartup("c/b", 20));
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: "c/bad" }, version: { N: "2" }, learned: { M: { startupSeconds: { S: "soon" } } } } }));
    // Act
    const loaded = await store.loadMany(["c/a", "c/missing", "c/bad", "c/b"]);
    // Assess
    expect(loaded.get("c/a")).toEqual({ ok: true, value: { ...withStartup("c/a", 10), version: 1 } });
    expect(loaded.get("c/b")).toEqual({ ok: true, value: { ...withStartup("c/b", 20), version: 1 } });
    expect(loaded.get("c/missing")).toEqual({ ok: true, value: undefined });
    expect(loaded.get("c/bad")).toMatchObject({ ok: false, error: { kind: "invalid", message: expect.stringMatching(/learned\.startupSeconds/) } });
  });

  it("loads more keys than one BatchGetItem takes (250: three calls)", async () => {
    // Prepare
    const keys = Array.from({ length: 250 }, (_, i) => `many/svc-${i}`);
    for (const key of keys.slice(0, 5)) await store.save(emptyRecord(key));
    // Act
    const loaded = await store.loadMany(keys);
    // Assess
    expect(loaded.size).toBe(250);
    expect([...loaded.values()].filter((r) => r.ok && r.value !== undefined)).toHaveLength(5);
    expect([...loaded.values()].every((r) => r.ok)).toBe(true);
  });

  it("counts one BatchGetItem call per 100 keys and a consistent read of every key, found or not", async () => {
    // Prepare
    const counter = new UsageCounter();
    const metered = new DynamoDbStateStore(client, table, counter);
    await store.save(emptyRecord("metered/a"));
    // Act
    await metered.loadMany(["metered/a", ...Array.from({ length: 100 }, (_, i) => `metered/none-${i}`)]);
    // Assess
    expect(counter.calls).toEqual({ "dynamodb:BatchGetItem": 2 });
    expect(counter.dynamodbReadUnits).toBe(101);
  });

  it("counts half a read unit a key when a pass reads eventually consistent", async () => {
    // Prepare
    const counter = new UsageCounter();
    const metered = new DynamoDbStateStore(client, table, counter);
    await store.save(emptyRecord("metered-eventual/a"));
    // Act
    const loaded = await metered.loadMany(["metered-eventual/a", "metered-eventual/none"], PASS_READ);
    // Assess
    expect(loaded.get("metered-eventual/a")).toMatchObject({ ok: true, value: { key: "metered-eventual/a", version: 1 } });
    expect(counter.dynamodbReadUnits).toBe(1);
  });

  it("fails every key of a batch whose call fails (here: a missing table), without throwing", async () => {
    // Prepare
    const missing = new DynamoDbStateStore(client, "no-such-table");
    // Act
    const loaded = await missing.loadMany(["c/x", "c/y"]);
    // Assess
    expect([...loaded.values()]).toEqual([
      { ok: false, error: expect.objectContaining({ kind: "notFound" }) },
      { ok: false, error: expect.objectContaining({ kind: "notFound" }) },
    ]);
  });
});

describe("DynamoDbStateStore.loadMany commands", () => {
  // Mocking the class mocks every client of it, the dynalite one included: only inside these tests.
  let mock: ReturnType<typeof mockClient>;
  beforeEach(() => {
    mock = mockClient(MockableDynamoDBClient);
  });
  afterEach(() => mock.restore());
  const keyOf = (key: string) => ({ pk: { S: key } });
  const itemOf = (key: string) => saveInput("t", emptyRecord(key)).Item!;

  function mockedStore(waits: number[], maxAttempts = 5) {
    return new DynamoDbStateStore(new MockableDynamoDBClient({ region: "us-east-1" }), "t", undefined, {
      maxAttempts,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  }

  it.each([
    ["strongly consistent by default", undefined, true],
    ["eventually consistent for a pass", PASS_READ, false],
  ])("asks for at most 100 keys a call, each key once, %s", async (_name, read, consistent) => {
    // Prepare
    mock.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
    const keys = Array.from({ length: 101 }, (_, i) => `c/s${i}`);
    // Act
    await mockedStore([]).loadMany([...keys, "c/s0"], read);
    // Assess
    const inputs = mock.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { RequestItems: { t: { Keys: keys.slice(0, 100).map(keyOf), ConsistentRead: consistent } } },
      { RequestItems: { t: { Keys: [keyOf("c/s100")], ConsistentRead: consistent } } },
    ]);
  });

  it("asks again for UnprocessedKeys only, after a growing backoff", async () => {
    // Prepare
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { t: [itemOf("c/a")] }, UnprocessedKeys: { t: { Keys: [keyOf("c/b"), keyOf("c/c")] } } })
      .resolvesOnce({ Responses: { t: [itemOf("c/b")] }, UnprocessedKeys: { t: { Keys: [keyOf("c/c")] } } })
      .resolvesOnce({ Responses: { t: [itemOf("c/c")] } });
    const waits: number[] = [];
    // Act
    const loaded = await mockedStore(waits).loadMany(["c/a", "c/b", "c/c"]);
    // Assess
    const asked = mock.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems?.t?.Keys);
    expect(asked).toEqual([[keyOf("c/a"), keyOf("c/b"), keyOf("c/c")], [keyOf("c/b"), keyOf("c/c")], [keyOf("c/c")]]);
    expect(waits).toEqual([50, 100]);
    expect([...loaded.entries()].map(([k, r]) => [k, r.ok && r.value?.version])).toEqual([
      ["c/a", 1],
      ["c/b", 1],
      ["c/c", 1],
    ]);
  });

  it("fails as throttled the keys still unprocessed after the last attempt, and only those", async () => {
    // Prepare
    mock.on(BatchGetItemCommand).resolves({ Responses: { t: [itemOf("c/a")] }, UnprocessedKeys: { t: { Keys: [keyOf("c/b")] } } });
    const waits: number[] = [];
    // Act
    const loaded = await mockedStore(waits, 3).loadMany(["c/a", "c/b"]);
    // Assess
    expect(mock.commandCalls(BatchGetItemCommand)).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
    expect(loaded.get("c/a")).toMatchObject({ ok: true, value: { key: "c/a" } });
    expect(loaded.get("c/b")).toMatchObject({ ok: false, error: { kind: "throttled", message: expect.stringMatching(/unprocessed after 3 attempts/) } });
  });

  it("classifies a throttled call once, for the keys of its batch", async () => {
    // Prepare
    mock.on(BatchGetItemCommand).rejects(Object.assign(new Error("Rate of requests exceeds the allowed throughput."), { name: "ProvisionedThroughputExceededException" }));
    // Act
    const loaded = await mockedStore([]).loadMany(["c/a"]);
    // Assess
    expect(loaded.get("c/a")).toMatchObject({ ok: false, error: { kind: "throttled", message: expect.stringMatching(/^ProvisionedThroughputExceededException/) } });
  });
});
