/**
 * The items a DynamoDB write that dynalite accepted left in the table, for the invariant checkers:
 * PutItem, the Put requests of BatchWriteItem (less its UnprocessedItems) and TransactWriteItems are
 * read from the request; UpdateItem (and a transaction's Update) is read back, since its request
 * holds only the change. Whatever write the state store uses, the trace sees every landed version.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";

type Item = Record<string, AttributeValue>;

/** Reads one item back, strongly consistent. */
export type ReadItem = (table: string, key: Item) => Promise<Record<string, unknown> | undefined>;

interface WriteRequest {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  RequestItems?: Record<string, { PutRequest?: { Item: Item } }[]>;
  TransactItems?: { Put?: { TableName: string; Item: Item }; Update?: { TableName: string; Key: Item } }[];
}

/** The items `operation` (answered 200 with `responseText`) stored. */
export async function landedItems(operation: string, body: Buffer, responseText: string, readItem: ReadItem): Promise<Record<string, unknown>[]> {
  const input = JSON.parse(body.toString("utf8")) as WriteRequest;
  switch (operation) {
    case "PutItem":
      return input.Item ? [unmarshall(input.Item)] : [];
    case "UpdateItem":
      return input.TableName && input.Key ? present([await readItem(input.TableName, input.Key)]) : [];
    case "BatchWriteItem":
      return batchPuts(input, responseText);
    case "TransactWriteItems":
      return present(await Promise.all((input.TransactItems ?? []).map((t) => (t.Put ? unmarshall(t.Put.Item) : t.Update ? readItem(t.Update.TableName, t.Update.Key) : undefined))));
    default:
      return [];
  }
}

function batchPuts(input: WriteRequest, responseText: string): Record<string, unknown>[] {
  const unprocessed = (JSON.parse(responseText || "{}") as WriteRequest & { UnprocessedItems?: WriteRequest["RequestItems"] }).UnprocessedItems;
  const left = new Set(Object.values(unprocessed ?? {}).flatMap((list) => list.map((r) => JSON.stringify(r.PutRequest?.Item))));
  return Object.values(input.RequestItems ?? {})
    .flatMap((list) => list.map((r) => r.PutRequest?.Item))
    .filter((item): item is Item => item !== undefined && !left.has(JSON.stringify(item)))
    .map((item) => unmarshall(item));
}

function present(items: (Record<string, unknown> | undefined)[]): Record<string, unknown>[] {
  return items.filter((i): i is Record<string, unknown> => i !== undefined);
}
