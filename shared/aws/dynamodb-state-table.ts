/**
 * The state table's shape, in one place for the store, the tests and the docs (infra declares the
 * same in serverless.yml): partition key `pk` (string, HASH), no sort key, on-demand billing, TTL on
 * `expiresAt` (number, epoch seconds).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { STATE_KEY_ATTRIBUTE, STATE_TTL_ATTRIBUTE } from "./dynamodb-state-store.ts";

/** CreateTable input for the state table. */
export function stateTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: STATE_KEY_ATTRIBUTE, AttributeType: "S" }],
    KeySchema: [{ AttributeName: STATE_KEY_ATTRIBUTE, KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  };
}

/** UpdateTimeToLive input turning TTL on for `expiresAt`. */
export function stateTableTtl(tableName: string): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { Enabled: true, AttributeName: STATE_TTL_ATTRIBUTE },
  };
}

/**
 * Creates the state table, waits until it is ACTIVE, then turns TTL on. `ttl: false` skips the last
 * step for local servers without UpdateTimeToLive (dynalite has none).
 */
export async function createStateTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  options: { ttl?: boolean } = {},
): Promise<void> {
  await dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
  await waitUntilTableExists(
    { client: dynamodb, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
    { TableName: tableName },
  );
  if (options.ttl ?? true) await dynamodb.send(new UpdateTimeToLiveCommand(stateTableTtl(tableName)));
}
