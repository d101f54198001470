/**
 * The account-wide UpdateService budget ({@link UpdateBudget}) kept in the state table, so every
 * evaluator invocation and the task-events function draw from one count.
 *
 * ECS meters UpdateService per account and Region with a token bucket (5 per second sustained, burst
 * 50; "Request throttling for the Amazon ECS API" in the ECS API reference). The budget here is a
 * counter item per wall-clock second, `~budget/ecs-update/<epochSecond>`, taken with one conditional
 * UpdateItem (`ADD n 1` only while `n < limit`); the item expires through the table's TTL. At the
 * default 4 per second the writers together stay a call per second under ECS's rate, which leaves
 * deployments and other callers in the account their room (and ECS's burst absorbs the edge where two
 * seconds' calls meet).
 *
 * Each process keeps its own waiters and serves them by need (largest shortfall first) while the
 * budget binds; across processes the count is first come, first served. When the table call fails
 * (throttled, unreachable, access denied) the budget falls back to a local token bucket for a while,
 * counting each fallback and reporting the first one.
 */
import {
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { PortFailure } from "../ports/failure.ts";
import type { UpdateBudget, UpdateRequest } from "../ports/update-budget.ts";
import { STATE_KEY_ATTRIBUTE, STATE_TTL_ATTRIBUTE } from "./dynamodb-state-store.ts";
import { classify, isAwsError } from "./errors.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Key prefix of the budget's counter items (a cluster name cannot contain `~` or start a key with it). */
export const BUDGET_KEY_PREFIX = "~budget/ecs-update/";
/** UpdateService calls per second for all writers together (ECS allows 5/s per account and Region). */
export const DEFAULT_SHARED_UPDATES_PER_SECOND = 4;
/** How long a counter item is kept (TTL): only the current second's item is ever read. */
export const BUDGET_ITEM_TTL_SECONDS = 120;
/**
 * The local bucket a process falls back to when the table cannot be reached: a quarter of the
 * configured rate, burst the rate plus one (1 per second, burst 5 at the default 4), so four
 * processes falling back at once still stay within the rate the deployment was given.
 */
export function fallbackBucket(perSecond: number): { ratePerSecond: number; burst: number } {
  return { ratePerSecond: perSecond / 4, burst: perSecond + 1 };
}
/** After a failed table call, the local bucket serves this long before the table is tried again. */
export const FALLBACK_SECONDS = 30;

/** The key of the counter item of one epoch second. */
export function budgetKey(epochSecond: number): string {
  return `${BUDGET_KEY_PREFIX}${epochSecond}`;
}

/** Parse: the conditional UpdateItem that takes one call from the second's budget of `limit`. */
export function takeSlotInput(tableName: string, epochSecond: number, limit: number): UpdateItemCommandInput {
  return {
    TableName: tableName,
    Key: { [STATE_KEY_ATTRIBUTE]: { S: budgetKey(epochSecond) } },
    UpdateExpression: "ADD #n :one SET #ttl = :ttl",
    ConditionExpression: "attribute_not_exists(#n) OR #n < :limit",
    ExpressionAttributeNames: { "#n": "n", "#ttl": STATE_TTL_ATTRIBUTE },
    ExpressionAttributeValues: {
      ":one": { N: "1" },
      ":limit": { N: String(limit) },
      ":ttl": { N: String(epochSecond + BUDGET_ITEM_TTL_SECONDS) },
    },
  };
}

/** Where calls come from: 0 when one was taken now, otherwise the milliseconds until one may be free. */
export interface SlotSource {
  tryTake(): number | Promise<number>;
}

/** The per-second counters in the table. A failed call (other than "this second is full") throws. */
export class TableSlots implements SlotSource {
  /** The latest second known to be full: no call is spent on it again. */
  private fullSecond = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  async tryTake(): Promise<number> {
    const nowMs = this.clock.now().getTime();
    const second = Math.floor(nowMs / 1000);
    const untilNext = (second + 1) * 1000 - nowMs;
    if (second <= this.fullSecond) return untilNext;
    try {
      await this.dynamodb.send(new UpdateItemCommand(takeSlotInput(this.tableName, second, this.perSecond)));
      return 0;
    } catch (error) {
      if (!isAwsError(error, "ConditionalCheckFailedException")) throw error;
      this.fullSecond = second;
      return untilNext;
    }
  }
}

export interface NeedOrderedBudgetOptions {
  slots: SlotSource;
  /** Serves while `slots` fails (see {@link FALLBACK_SECONDS}); without one a failure is thrown to the waiter. */
  fallback?: SlotSource;
  clock?: Clock;
  /** Told about the first fallback only (the count goes on in {@link NeedOrderedBudget.fallbacks}). */
  onFirstFallback?: (failure: PortFailure) => void;
  /** Told about every fallback (each starts {@link FALLBACK_SECONDS} of local pacing), to count it. */
  onFallback?: () => void;
}

/** {@link NeedOrderedBudget}'s tryTake: the waiter got the error, the next one goes. */
const REJECTED = -1;

interface Waiter extends UpdateRequest {
  seq: number;
  resolve: (granted: boolean) => void;
  reject: (error: unknown) => void;
}

/** Serves waiting requests largest need first (ties: first come), one call at a time from its slots. */
export class NeedOrderedBudget implements UpdateBudget {
  /** Times a call to the slots failed and the fallback took over (for {@link FALLBACK_SECONDS} each). */
  fallbacks = 0;
  private readonly clock: Clock;
  private readonly waiters: Waiter[] = [];
  private seq = 0;
  private pumping = false;
  private fallbackUntilMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: NeedOrderedBudgetOptions) {
    this.clock = options.clock ?? systemClock;
  }

  take(request: UpdateRequest): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ ...request, seq: this.seq++, resolve, reject });
      void this.pump();
    });
  }

  /** One loop at a time hands out calls; waiters arriving meanwhile join the queue and are ranked on the next turn. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        this.dropExpired();
        const next = this.best();
        if (!next) break;
        const waitMs = await this.tryTake(next);
        if (waitMs === REJECTED) continue;
        if (waitMs === 0) {
          this.waiters.splice(this.waiters.indexOf(next), 1);
          next.resolve(true);
        } else {
          await this.clock.sleep(Math.min(waitMs, this.msToEarliestDeadline()));
        }
      }
    } catch (error) {
      // A failing clock: no waiter may hang on a loop that stopped.
      for (const w of this.waiters.splice(0)) w.reject(error);
    } finally {
      this.pumping = false;
    }
  }

  /** A call from the slots, or from the fallback while the slots fail; a waiter whose call cannot be had gets the error. */
  private async tryTake(waiter: Waiter): Promise<number> {
    const { fallback } = this.options;
    if (fallback && this.clock.now().getTime() < this.fallbackUntilMs) return fallback.tryTake();
    try {
      return await this.options.slots.tryTake();
    } catch (error) {
      if (!fallback) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.reject(error);
        return REJECTED;
      }
      if (this.fallbacks === 0) this.options.onFirstFallback?.(classify(error));
      this.fallbacks += 1;
      this.options.onFallback?.();
      this.fallbackUntilMs = this.clock.now().getTime() + FALLBACK_SECONDS * 1000;
      return fallback.tryTake();
    }
  }

  private best(): Waiter | undefined {
    let best: Waiter | undefined;
    for (const w of this.waiters) {
      if (!best || w.need > best.need || (w.need === best.need && w.seq < best.seq)) best = w;
    }
    return best;
  }

  private dropExpired(): void {
    const now = this.clock.now().getTime();
    for (const w of [...this.waiters]) {
      if (w.by !== undefined && w.by.getTime() <= now) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(false);
      }
    }
  }

  private msToEarliestDeadline(): number {
    const now = this.clock.now().getTime();
    const deadlines = this.waiters.flatMap((w) => (w.by ? [w.by.getTime() - now] : []));
    return Math.max(1, Math.min(Number.POSITIVE_INFINITY, ...deadlines));
  }
}

export interface SharedBudgetOptions {
  /** Calls per second for all writers together; default {@link DEFAULT_SHARED_UPDATES_PER_SECOND}. */
  perSecond?: number;
  clock?: Clock;
  onFirstFallback?: (failure: PortFailure) => void;
  onFallback?: () => void;
}

/** The budget shared through the state table `tableName`, falling back to {@link fallbackBucket}. */
export function sharedUpdateBudget(
  dynamodb: DynamoDBClient,
  tableName: string,
  options: SharedBudgetOptions = {},
): NeedOrderedBudget {
  const clock = options.clock ?? systemClock;
  const perSecond = options.perSecond ?? DEFAULT_SHARED_UPDATES_PER_SECOND;
  if (!Number.isInteger(perSecond) || perSecond < 1) {
    throw new RangeError(`perSecond must be an integer >= 1, got ${perSecond}`);
  }
  return new NeedOrderedBudget({
    slots: new TableSlots(dynamodb, tableName, perSecond, clock),
    fallback: new TokenBucket({ ...fallbackBucket(perSecond), clock }),
    clock,
    onFirstFallback: options.onFirstFallback,
    ...(options.onFallback ? { onFallback: options.onFallback } : {}),
  });
}

/** A budget of this process only (a token bucket), served by need: for tests and local runs. */
export function localUpdateBudget(
  ratePerSecond: number,
  burst: number,
  clock: Clock = systemClock,
): NeedOrderedBudget {
  return new NeedOrderedBudget({ slots: new TokenBucket({ ratePerSecond, burst, clock }), clock });
}
