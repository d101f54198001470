/**
 * For tests that need DynamoDB: a client for the dynalite server started by the global setup, and a
 * state table of their own (unique name) so test files never see each other's items.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { createStateTable } from "../../shared/aws/dynamodb-state-table.ts";

/** A client for the suite's dynalite (dummy credentials; the SDK still signs requests). */
export function localDynamoDb(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject("dynamodbEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/** Creates an empty state table with the production key schema; returns its name. */
export async function freshStateTable(client: DynamoDBClient, prefix = "state"): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  await createStateTable(client, name, { ttl: false });
  return name;
}
