/** The state table's definition: the key schema and TTL the store and the infra rely on. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createStateTable } from "../../shared/aws/dynamodb-state-table.ts";

const ddbMock = mockClient(DynamoDBClient);
afterEach(() => ddbMock.reset());

describe("createStateTable", () => {
  it("creates pk (string, HASH) on demand, waits for ACTIVE, then turns TTL on for expiresAt", async () => {
    // Prepare
    ddbMock.on(CreateTableCommand).resolves({});
    ddbMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    ddbMock.on(UpdateTimeToLiveCommand).resolves({});
    // Act
    await createStateTable(new DynamoDBClient({ region: "eu-west-1" }), "ecs-autoscaler-dev-state");
    // Assess
    expect(ddbMock.commandCalls(CreateTableCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        TableName: "ecs-autoscaler-dev-state",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      },
    ]);
    expect(ddbMock.commandCalls(DescribeTableCommand).length).toBeGreaterThan(0);
    expect(ddbMock.commandCalls(UpdateTimeToLiveCommand).map((c) => c.args[0].input)).toStrictEqual([
      { TableName: "ecs-autoscaler-dev-state", TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" } },
    ]);
  });

  it("skips TTL when asked (dynalite has no UpdateTimeToLive)", async () => {
    ddbMock.on(CreateTableCommand).resolves({});
    ddbMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    await createStateTable(new DynamoDBClient({ region: "eu-west-1" }), "t", { ttl: false });
    expect(ddbMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });
});
