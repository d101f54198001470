/**
 * StateStore on DynamoDB: one item per service, keyed `pk` = `cluster/service`, holding the
 * serialized {@link ServiceRecord} and its `version`. Saves are conditional on the version that was
 * loaded, so of two evaluators that overlap, exactly one applies its decision and the other sees
 * "conflict". `expiresAt` (epoch seconds) is the table's TTL attribute, so records of services that
 * left the config disappear on their own.
 */

import { isDeepStrictEqual } from "node:util";
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import pMap from "p-map";
import {
  bool,
  isoInstant,
  list,
  num,
  object,
  optional,
  record,
  runCheck,
  text,
  union,
  withDefault,
} from "../config/checks.ts";
import { ValidationError } from "../config/issues.ts";
import { itemBytes } from "../cost/item-size.ts";
import type { PortFailure } from "../ports/failure.ts";
import {
  isDedupeRecordKey,
  type LoadResult,
  type ReadOptions,
  type SaveResult,
  type ServiceRecord,
  STRONG_READ,
  type StateStore,
} from "../ports/state-store.ts";
import type { UsageMeter } from "../ports/usage.ts";
import { classify, isAwsError, sdkCall } from "./errors.ts";

/** The partition key attribute (string, HASH): `cluster/service`. */
export const STATE_KEY_ATTRIBUTE = "pk";
/** The TTL attribute (number, epoch seconds). */
export const STATE_TTL_ATTRIBUTE = "expiresAt";
/** The environment variable the functions read the table name from. */
export const STATE_TABLE_ENV = "STATE_TABLE_NAME";

/** The table name from the environment, or an error naming the variable. */
export function stateTableNameFrom(env: Readonly<Record<string, string | undefined>>): string {
  const name = env[STATE_TABLE_ENV];
  if (name === undefined || name.trim() === "") {
    throw new Error(`${STATE_TABLE_ENV} is not set: it must name the DynamoDB state table`);
  }
  return name;
}

const count = num({ int: true, min: 0 });
const nonNegative = num({ min: 0 });
const anyNumber = num();
const anyText = text();

/**
 * The decide request's history (shared/config/request.ts's `historySchema`) as a plain check: the
 * same values pass, with the same defaults, so a stored history reads as the engine's `History`.
 */
export const storedHistory = object(
  {
    recommendations: withDefault(list(object({ at: isoInstant, tasks: count }, "reject")), () => []),
    scaleEvents: withDefault(list(object({ at: isoInstant, from: count, to: count }, "reject")), () => []),
    idleSince: optional(isoInstant),
    lastActiveAt: optional(isoInstant),
    failures: withDefault(count, () => 0),
  },
  "reject",
);

/**
 * What a stored item must look like. Unknown attributes pass through untouched, so a field a newer
 * runtime adds to ServiceRecord survives a round trip through an older one.
 */
export const storedItem = object({
  [STATE_KEY_ATTRIBUTE]: text({ min: 1 }),
  version: num({ int: true, min: 1 }),
  history: optional(storedHistory),
  learned: withDefault(
    object({
      startupSeconds: optional(nonNegative),
      startupSamples: optional(count),
      processingRatePerTask: optional(nonNegative),
      processingRateSampleAt: optional(anyText),
      deletedPerMinute: optional(nonNegative),
      inFlightAverage: optional(nonNegative),
      ratesReadAt: optional(anyText),
    }),
    () => ({}),
  ),
  arrivalProfile: optional(
    object({
      g: num({ int: true, min: 1 }),
      r: list(nonNegative),
      n: text({ refine: [(v) => /^[0-9]*$/.test(v), "Invalid input: expected digits"] }),
      a: optional(object({ s: count, sum: nonNegative, k: count, m: count })),
    }),
  ),
  deployment: optional(
    object({
      inProgress: bool,
      deploymentId: optional(anyText),
      updatedAt: anyText,
      receivedAt: optional(anyText),
    }),
  ),
  spot: optional(
    object({
      shiftedTasks: count,
      since: anyText,
      steadySince: optional(anyText),
      returningSince: optional(anyText),
      failedReturns: optional(count),
      total: optional(count),
    }),
  ),
  crashLoop: optional(
    object({
      recentFailures: list(anyText),
      tripped: bool,
      since: optional(anyText),
      lastFailureAt: optional(anyText),
      runningSince: optional(anyText),
    }),
  ),
  metrics: optional(
    record(
      union(
        object({ q: anyText, v: anyNumber, t: anyNumber, r: anyNumber, u: optional(anyNumber) }),
        object({ q: anyText, e: anyNumber, r: anyNumber }),
      ),
    ),
  ),
  arrivals: optional(object({ t: anyNumber, n: nonNegative, f: nonNegative, r: optional(nonNegative) })),
  seen: optional(list(object({ id: anyText, at: anyText }))),
  pendingUpdate: optional(
    object({ at: anyText, sendBy: anyText, changes: list(object({ service: anyText, to: count })) }),
  ),
  [STATE_TTL_ATTRIBUTE]: optional(num({ int: true })),
});

/** Parse: the GetItem input for one record, strongly consistent unless `read` says otherwise. */
export function loadInput(
  tableName: string,
  key: string,
  read: ReadOptions = STRONG_READ,
): GetItemCommandInput {
  return {
    TableName: tableName,
    Key: { [STATE_KEY_ATTRIBUTE]: { S: key } },
    ConsistentRead: read.consistent,
  };
}

/** Process: a stored item back into a record; a malformed item is a {@link ValidationError} naming its fields. */
export function recordFromItem(key: string, item: Record<string, AttributeValue>): ServiceRecord {
  const parsed = runCheck(storedItem, unmarshall(item));
  if (!parsed.ok) throw new ValidationError(`state item ${JSON.stringify(key)}`, parsed.problems);
  const { [STATE_KEY_ATTRIBUTE]: pk, ...rest } = parsed.value;
  return { ...rest, key: pk } as ServiceRecord;
}

/**
 * Parse: the conditional PutItem that stores `record` as version + 1. A never-saved record
 * (version 0) may only create the item; any other must find the version it was loaded at.
 */
export function saveInput(tableName: string, record: ServiceRecord): PutItemCommandInput {
  if (!Number.isInteger(record.version) || record.version < 0) {
    throw new RangeError(
      `state record ${record.key}: version must be an integer >= 0, got ${record.version}`,
    );
  }
  const { key, version, ...fields } = record;
  const Item = marshall(
    { ...fields, [STATE_KEY_ATTRIBUTE]: key, version: version + 1 },
    { removeUndefinedValues: true },
  );
  if (version === 0) {
    return {
      TableName: tableName,
      Item,
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": STATE_KEY_ATTRIBUTE },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    };
  }
  return {
    TableName: tableName,
    Item,
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    ConditionExpression: "#v = :expected",
    ExpressionAttributeNames: { "#v": "version" },
    ExpressionAttributeValues: { ":expected": { N: String(version) } },
  };
}

/** Parse: the BatchGetItem input for up to {@link BATCH_GET_MAX_KEYS} records, read as {@link loadInput}. */
export function loadManyInput(
  tableName: string,
  keys: readonly string[],
  read: ReadOptions = STRONG_READ,
): BatchGetItemCommandInput {
  return {
    RequestItems: {
      [tableName]: {
        Keys: keys.map((key) => ({ [STATE_KEY_ATTRIBUTE]: { S: key } })),
        ConsistentRead: read.consistent,
      },
    },
  };
}

/** BatchGetItem's limit: "A single operation can retrieve up to 16 MB of data, which can contain as many as 100 items." */
export const BATCH_GET_MAX_KEYS = 100;

/** How {@link DynamoDbStateStore.loadMany} batches and retries. */
export interface BatchLoadOptions {
  /** BatchGetItem calls in flight at once. */
  concurrency?: number;
  /** Calls per batch, the first included, before keys DynamoDB left unprocessed fail as throttled. */
  maxAttempts?: number;
  /** Wait before the retry after `attempt` (1-based) of the unprocessed keys. */
  backoffMs?: (attempt: number) => number;
  /** Waits `ms`; real time by default, virtual in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * AWS asks for exponential backoff before retrying UnprocessedKeys (they are left when a partition's
 * throughput is exceeded): 50, 100, 200, 400 ms over five attempts, under a second in all.
 */
export const BATCH_LOAD_DEFAULTS: Required<BatchLoadOptions> = {
  concurrency: 4,
  maxAttempts: 5,
  backoffMs: (attempt) => 50 * 2 ** (attempt - 1),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const itemKind = (key: string) => (isDedupeRecordKey(key) ? "dedupe" : "state");

/** {@link StateStore} backed by one DynamoDB table. */
export class DynamoDbStateStore implements StateStore {
  private readonly batch: Required<BatchLoadOptions>;

  /** `meter` counts the calls and capacity units by item size (for the own bill). */
  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
    private readonly meter?: UsageMeter,
    batch: BatchLoadOptions = {},
  ) {
    this.batch = { ...BATCH_LOAD_DEFAULTS, ...batch };
  }

  /**
   * The record of `key` (`cluster/service`), or undefined if none was saved yet. A failed call or a
   * malformed item throws a PortError.
   */
  load(key: string, read: ReadOptions = STRONG_READ): Promise<ServiceRecord | undefined> {
    return sdkCall(async () => {
      this.meter?.call("dynamodb:GetItem");
      const output = await this.dynamodb.send(new GetItemCommand(loadInput(this.tableName, key, read)));
      if (this.meter)
        this.meter.itemRead(
          output.Item ? itemBytes(unmarshall(output.Item)) : 0,
          read.consistent,
          itemKind(key),
        );
      return output.Item ? recordFromItem(key, output.Item) : undefined;
    });
  }

  /**
   * The records of `keys` by BatchGetItem, {@link BATCH_GET_MAX_KEYS} keys a call. Keys DynamoDB
   * leaves unprocessed are asked again after a backoff, a bounded number of times; a failed call
   * fails its batch's keys, and a malformed item only its own key. Never throws.
   */
  async loadMany(keys: readonly string[], read: ReadOptions = STRONG_READ): Promise<Map<string, LoadResult>> {
    const unique = [...new Set(keys)];
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS)
      batches.push(unique.slice(i, i + BATCH_GET_MAX_KEYS));
    const results = new Map<string, LoadResult>();
    await pMap(batches, (batch) => this.loadBatch(batch, read, results), {
      concurrency: this.batch.concurrency,
    });
    return results;
  }

  /** One batch of at most 100 keys, retrying what DynamoDB left unprocessed; fills `results`. */
  private async loadBatch(
    keys: string[],
    read: ReadOptions,
    results: Map<string, LoadResult>,
  ): Promise<void> {
    let pending = keys;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > this.batch.maxAttempts) {
        const failure: PortFailure = {
          kind: "throttled",
          message: `BatchGetItem left the key unprocessed after ${this.batch.maxAttempts} attempts`,
        };
        for (const key of pending) results.set(key, { ok: false, error: failure });
        return;
      }
      if (attempt > 1) await this.batch.sleep(this.batch.backoffMs(attempt - 1));
      let found: Record<string, AttributeValue>[];
      try {
        this.meter?.call("dynamodb:BatchGetItem");
        const output = await this.dynamodb.send(
          new BatchGetItemCommand(loadManyInput(this.tableName, pending, read)),
        );
        found = output.Responses?.[this.tableName] ?? [];
        const unprocessed = new Set(
          (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []).map((k) => k[STATE_KEY_ATTRIBUTE]?.S ?? ""),
        );
        this.settle(pending, found, unprocessed, read, results);
        pending = pending.filter((key) => unprocessed.has(key));
      } catch (error) {
        const failure = classify(error);
        for (const key of pending) results.set(key, { ok: false, error: failure });
        return;
      }
    }
  }

  /** Records the answered keys of one call: a found item, a missing one (never saved), or a malformed one. */
  private settle(
    asked: readonly string[],
    found: Record<string, AttributeValue>[],
    unprocessed: ReadonlySet<string>,
    read: ReadOptions,
    results: Map<string, LoadResult>,
  ): void {
    const items = new Map(found.map((item) => [item[STATE_KEY_ATTRIBUTE]?.S ?? "", item]));
    for (const key of asked) {
      if (unprocessed.has(key)) continue;
      const item = items.get(key);
      if (this.meter)
        this.meter.itemRead(item ? itemBytes(unmarshall(item)) : 0, read.consistent, itemKind(key));
      if (item === undefined) {
        results.set(key, { ok: true, value: undefined });
        continue;
      }
      try {
        results.set(key, { ok: true, value: recordFromItem(key, item) });
      } catch (error) {
        results.set(key, { ok: false, error: classify(error) });
      }
    }
  }

  /**
   * Stores `record` as version `record.version + 1` if the stored version is still `record.version`;
   * "conflict" when another writer saved first. `record` itself is not changed: load again before the
   * next save. Other failures (throttling, 5xx, a missing table) throw a PortError.
   */
  save(record: ServiceRecord): Promise<SaveResult> {
    const input = saveInput(this.tableName, record);
    return sdkCall(async () => {
      try {
        // Billed by the larger of the old and new item; the new one is what this adapter knows.
        this.meter?.call("dynamodb:PutItem");
        if (this.meter) this.meter.itemWritten(itemBytes(unmarshall(input.Item ?? {})), itemKind(record.key));
        await this.dynamodb.send(new PutItemCommand(input));
        return "saved";
      } catch (error) {
        if (!isAwsError(error, "ConditionalCheckFailedException")) throw error;
        return (await this.landedEarlier(input, error)) ? "saved" : "conflict";
      }
    });
  }

  /**
   * Whether a failed condition is this very write, landed by an earlier attempt: the SDK retries a
   * PutItem whose response was lost (a 5xx or a timeout after DynamoDB applied it), and the retry
   * then finds the version it wrote itself. Reported as a conflict, the caller would not apply a
   * decision it has already recorded. DynamoDB returns the stored item with the failure
   * (ALL_OLD); without it (older emulators), a retried write is read back (strongly consistent).
   */
  private async landedEarlier(input: PutItemCommandInput, error: unknown): Promise<boolean> {
    const failure = error as { Item?: Record<string, AttributeValue>; $metadata?: { attempts?: number } };
    let stored = failure.Item;
    if (stored === undefined) {
      if ((failure.$metadata?.attempts ?? 1) <= 1) return false;
      const key = input.Item?.[STATE_KEY_ATTRIBUTE]?.S ?? "";
      stored = (await this.dynamodb.send(new GetItemCommand(loadInput(this.tableName, key)))).Item;
    }
    return stored !== undefined && isDeepStrictEqual(unmarshall(stored), unmarshall(input.Item ?? {}));
  }
}
