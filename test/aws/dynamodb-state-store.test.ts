/**
 * The DynamoDB state store against dynalite (a real DynamoDB wire-protocol server started by the
 * global setup): round trip, versions, conditional writes, TTL attribute, and malformed items.
 */
import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, DynamoDBClient as MockableDynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDbStateStore, saveInput, stateTableNameFrom } from "../../shared/aws/dynamodb-state-store.ts";
import { ValidationError } from "../../shared/config/issues.ts";
import { emptyRecord, PASS_READ, type ServiceRecord } from "../../shared/ports/state-store.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";

let client: DynamoDBClient;
let table: string;
let store: DynamoDbStateStore;

beforeAll(async () => {
  client = localDynamoDb();
  table = await freshStateTable(client);
  store = new DynamoDbStateStore(client, table);
});
afterAll(() => client.destroy());

/** A record with every field the runtime keeps, so a round trip covers them all. */
function fullRecord(key: string): ServiceRecord {
  return {
    key,
    version: 0,
    history: {
      recommendations: [{ at: "2026-03-02T11:59:30Z", tasks: 5 }],
      scaleEvents: [{ at: "2026-03-02T11:59:50Z", from: 4, to: 8 }],
      lastActiveAt: "2026-03-02T11:59:00Z",
      failures: 1,
    },
    learned: { startupSeconds: 61.5, startupSamples: 7, processingRatePerTask: 2.25, processingRateSampleAt: "2026-03-02T11:59:00Z" },
    deployment: { inProgress: true, deploymentId: "ecs-svc/123", updatedAt: "2026-03-02T11:58:00Z", receivedAt: "2026-03-02T11:58:01Z" },
    spot: { shiftedTasks: 3, since: "2026-03-02T11:50:00Z", steadySince: "2026-03-02T11:55:00Z", returningSince: "2026-03-02T11:58:00Z" },
    crashLoop: { recentFailures: ["2026-03-02T11:57:00Z", "2026-03-02T11:57:30Z"], tripped: false },
    seen: [{ id: "event-1", at: "2026-03-02T11:59:59Z" }],
    pendingUpdate: { at: "2026-03-02T11:59:50Z", sendBy: "2026-03-02T11:59:55Z", changes: [{ service: "svc", to: 8 }] },
    expiresAt: 1_780_000_000,
  };
}

describe("DynamoDbStateStore against dynalite", () => {
  it("loads nothing for a service never saved", async () => {
    // Act
    const loaded = await store.load("cluster-a/never-saved");
    // Assess
    expect(loaded).toBeUndefined();
  });

  it("round-trips every field of a record and stores it as version 1", async () => {
    // Prepare
    const record = fullRecord("cluster-a/round-trip");
    // Act
    const result = await store.save(record);
    const loaded = await store.load(record.key);
    // Assess
    expect(result).toBe("saved");
    expect(loaded).toEqual({ ...record, version: 1 });
  });

  it("increments the version on every save from the loaded version", async () => {
    // Prepare
    const key = "cluster-a/versions";
    expect(await store.save(emptyRecord(key))).toBe("saved");
    // Act
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) {
      const loaded = (await store.load(key)) as ServiceRecord;
      expect(await store.save({ ...loaded, learned: { startupSamples: i } })).toBe("saved");
      versions.push(((await store.load(key)) as ServiceRecord).version);
    }
    // Assess
    expect(versions).toEqual([2, 3, 4]);
    expect((await store.load(key))?.learned).toEqual({ startupSamples: 2 });
  });

  it("lets exactly one of two concurrent first writers create the record", async () => {
    // Prepare
    const key = "cluster-a/concurrent-create";
    // Act
    const results = await Promise.all([store.save({ ...emptyRecord(key), learned: { startupSamples: 1 } }), store.save({ ...emptyRecord(key), learned: { startupSamples: 2 } })]);
    // Assess
    expect([...results].sort()).toEqual(["conflict", "saved"]);
    const winner = results.indexOf("saved") + 1;
    expect(await store.load(key)).toMatchObject({ version: 1, learned: { startupSamples: winner } });
  });

  it("lets exactly one of two concurrent writers of the same version win", async () => {
    // Prepare
    const key = "cluster-a/concurrent-update";
    await store.save(emptyRecord(key));
    const a = (await store.load(key)) as ServiceRecord;
    const b = (await store.load(key)) as ServiceRecord;
    // Act
    const results = await Promise.all([
      store.save({
        ...a,
        history: {
          recommendations: [{ at: "2026-03-02T12:00:00Z", tasks: 3 }],
          scaleEvents: [],
          failures: 0,
        },
      }),
      store.save({
        ...b,
        history: {
          recommendations: [{ at: "2026-03-02T12:00:00Z", tasks: 9 }],
          scaleEvents: [],
          failures: 0,
        },
      }),
    ]);
    // Assess
    expect([...results].sort()).toEqual(["conflict", "saved"]);
    const stored = (await store.load(key)) as ServiceRecord;
    expect(stored.version).toBe(2);
    expect(stored.history?.recommendations[0]?.tasks).toBe(results[0] === "saved" ? 3 : 9);
  });

  it("reports a conflict for a stale version and leaves the stored record alone", async () => {
    // Prepare
    const key = "cluster-a/stale";
    await store.save(emptyRecord(key));
    const stale = (await store.load(key)) as ServiceRecord;
    await store.save({ ...stale, learned: { startupSeconds: 30 } });
    // Act
    const result = await store.save({ ...stale, learned: { startupSeconds: 99 } });
    // Assess
    expect(result).toBe("conflict");
    expect(await store.load(key)).toMatchObject({ version: 2, learned: { startupSeconds: 30 } });
  });

  it("reports a conflict when a version-0 record meets an existing item", async () => {
    // Prepare
    const key = "cluster-a/exists";
    await store.save(emptyRecord(key));
    // Act
    const result = await store.save(emptyRecord(key));
    // Assess
    expect(result).toBe("conflict");
  });

  it("reports a conflict when the record was deleted (e.g. by TTL) after it was loaded", async () => {
    // Prepare
    const key = "cluster-a/deleted";
    await store.save(emptyRecord(key));
    const loaded = (await store.load(key)) as ServiceRecord;
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: key } } }));
    // Act
    const result = await store.save(loaded);
    // Assess
    expect(result).toBe("conflict");
  });

  it("writes expiresAt as a top-level number attribute for DynamoDB's TTL, and pk as the key", async () => {
    // Prepare
    const key = "cluster-b/ttl";
    // Act
    await store.save({ ...emptyRecord(key), expiresAt: 1_790_000_123 });
    const raw = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key } } }));
    // Assess
    expect(raw.Item?.expiresAt).toEqual({ N: "1790000123" });
    expect(raw.Item?.pk).toEqual({ S: key });
    expect(raw.Item?.version).toEqual({ N: "1" });
    expect(raw.Item).not.toHaveProperty("key");
  });

  it("keeps attributes it does not know, so a newer runtime's fields survive an older one", async () => {
    // Prepare
    const key = "cluster-b/unknown-fields";
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: key }, version: { N: "4" }, learned: { M: {} }, futureField: { S: "kept" } },
      }),
    );
    // Act
    const loaded = (await store.load(key)) as ServiceRecord & { futureField?: string };
    const result = await store.save(loaded);
    const raw = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key } } }));
    // Assess
    expect(loaded.futureField).toBe("kept");
    expect(result).toBe("saved");
    expect(raw.Item?.futureField).toEqual({ S: "kept" });
    expect(raw.Item?.version).toEqual({ N: "5" });
  });

  it("rejects a malformed item with an error naming the bad field", async () => {
    // Prepare
    const key = "cluster-b/malformed";
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: key }, version: { N: "2" }, learned: { M: { startupSeconds: { S: "soon" } } } },
      }),
    );
    // Act
    const loading = store.load(key);
    // Assess
    await expect(loading).rejects.toMatchObject({ failure: { kind: "invalid", cause: expect.any(ValidationError) } });
    await expect(store.load(key)).rejects.toThrow(/learned\.startupSeconds/);
  });

  it("reports a write that landed as saved when the SDK retries it after a lost response (5xx)", async () => {
    // Prepare: a client that retries; its first PutItem reaches dynalite, then the response is lost.
    const retrying = new MockableDynamoDBClient({ endpoint: inject("dynamodbEndpoint"), region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 2 });
    let lost = false;
    retrying.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === "PutItemCommand" && !lost) {
          lost = true;
          throw Object.assign(new Error("We encountered an internal error. Please try again."), { name: "InternalServerError", $fault: "server", $metadata: { httpStatusCode: 500 } });
        }
        return result;
      },
      { step: "deserialize", name: "loseFirstPutResponse" },
    );
    const retryingStore = new DynamoDbStateStore(retrying, table);
    const record: ServiceRecord = { ...emptyRecord("prod/retried"), learned: { startupSeconds: 30 } };
    // Act
    const result = await retryingStore.save(record);
    // Assess
    expect(lost).toBe(true);
    expect(result).toBe("saved");
    expect(await store.load("prod/retried")).toEqual({ ...record, version: 1 });
    retrying.destroy();
  });

  it("propagates errors other than a failed condition (here: a missing table)", async () => {
    // Prepare
    const missing = new DynamoDbStateStore(client, "no-such-table");
    // Act
    const saving = missing.save(emptyRecord("cluster-c/any"));
    // Assess
    await expect(saving).rejects.toMatchObject({ name: "PortError", failure: { kind: "notFound", cause: { name: "ResourceNotFoundException" } } });
  });
});

describe("DynamoDbStateStore commands", () => {
  it("creates with attribute_not_exists(pk) at version 0 and checks version = expected after", () => {
    // Act
    const create = saveInput("t", emptyRecord("c/s"));
    const update = saveInput("t", { ...emptyRecord("c/s"), version: 7 });
    // Assess
    expect(create).toMatchObject({
      TableName: "t",
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": "pk" },
      Item: { pk: { S: "c/s" }, version: { N: "1" }, learned: { M: {} } },
    });
    expect(create).not.toHaveProperty("ExpressionAttributeValues");
    expect(update).toMatchObject({
      ConditionExpression: "#v = :expected",
      ExpressionAttributeNames: { "#v": "version" },
      ExpressionAttributeValues: { ":expected": { N: "7" } },
      Item: { version: { N: "8" } },
    });
  });

  it.each([
    ["strongly consistent by default", undefined, true],
    ["eventually consistent for a pass", PASS_READ, false],
  ])("loads with a read %s", async (_name, read, consistent) => {
    // Prepare
    const mock = mockClient(MockableDynamoDBClient);
    mock.on(GetItemCommand).resolves({});
    const mocked = new DynamoDbStateStore(new MockableDynamoDBClient({ region: "us-east-1" }), "t");
    // Act
    await mocked.load("c/s", read);
    // Assess
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: "t",
      Key: { pk: { S: "c/s" } },
      ConsistentRead: consistent,
    });
    mock.restore();
  });

  it.each([
    ["the stored item is exactly what this save wrote (an earlier attempt landed): saved", true, "saved"],
    ["the stored item is another writer's: conflict", false, "conflict"],
  ])("on a failed condition with the stored item returned, %s", async (_name, same, expected) => {
    // Prepare
    const record: ServiceRecord = { ...emptyRecord("c/s"), version: 3, learned: { startupSeconds: 12 } };
    const written = saveInput("t", record).Item!;
    const other = saveInput("t", { ...record, learned: { startupSeconds: 99 } }).Item!;
    const mock = mockClient(MockableDynamoDBClient);
    mock.on(PutItemCommand).rejects(Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException", Item: same ? written : other }));
    const mocked = new DynamoDbStateStore(new MockableDynamoDBClient({ region: "us-east-1" }), "t");
    // Act
    const result = await mocked.save(record);
    // Assess
    expect(result).toBe(expected);
    expect(mock.commandCalls(PutItemCommand)[0]?.args[0].input.ReturnValuesOnConditionCheckFailure).toBe("ALL_OLD");
    expect(mock.commandCalls(GetItemCommand)).toHaveLength(0);
    mock.restore();
  });

  it("propagates throttling from PutItem instead of calling it a conflict", async () => {
    // Prepare
    const mock = mockClient(MockableDynamoDBClient);
    mock.on(PutItemCommand).rejects(
      Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
        name: "ProvisionedThroughputExceededException",
      }),
    );
    const mocked = new DynamoDbStateStore(new MockableDynamoDBClient({ region: "us-east-1" }), "t");
    // Act
    const saving = mocked.save(emptyRecord("c/s"));
    // Assess
    await expect(saving).rejects.toMatchObject({ name: "PortError", failure: { kind: "throttled", cause: { name: "ProvisionedThroughputExceededException" } } });
    mock.restore();
  });

  it.each([
    { env: {}, error: /STATE_TABLE_NAME is not set/ },
    { env: { STATE_TABLE_NAME: "  " }, error: /STATE_TABLE_NAME is not set/ },
  ])("refuses a missing table name in the environment: $env", ({ env, error }) => {
    expect(() => stateTableNameFrom(env)).toThrow(error);
  });

  it("takes the table name from STATE_TABLE_NAME", () => {
    expect(stateTableNameFrom({ STATE_TABLE_NAME: "ecs-autoscaler-state" })).toBe("ecs-autoscaler-state");
  });
});
