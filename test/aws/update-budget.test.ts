/**
 * The shared UpdateService budget: per-second counters in the state table (dynalite), taken by
 * several budgets at once; need order while it binds; deadlines; the local fallback.
 */
import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_KEY_PREFIX, localUpdateBudget, type NeedOrderedBudget, sharedUpdateBudget, takeSlotInput } from "../../shared/aws/update-budget.ts";
import type { Clock } from "../../shared/ports/clock.ts";
import type { PortFailure } from "../../shared/ports/failure.ts";
import { freshStateTable, localDynamoDb } from "../setup/dynamodb.ts";
import { virtualClock } from "./virtual-clock.ts";

let client: DynamoDBClient;
beforeAll(() => {
  client = localDynamoDb();
});
afterAll(() => client.destroy());

/** Real time running `speed` times faster: several budgets see the same seconds, and tests stay short. */
function fastClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => new Date(origin + (Date.now() - origin) * speed),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / speed)),
  };
}

/** Every counter item of the table: its second and how many calls it granted. */
async function counters(table: string): Promise<{ second: number; n: number }[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
  return Items.map((item) => unmarshall(item))
    .filter((item) => String(item.pk).startsWith(BUDGET_KEY_PREFIX))
    .map((item) => ({ second: Number(String(item.pk).slice(BUDGET_KEY_PREFIX.length)), n: item.n as number }));
}

/** Takes `count` calls from `budget`, each with the need given; returns the order (by need label) they were granted in. */
async function grantOrder(budget: NeedOrderedBudget, needs: number[]): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(
    needs.map(async (need, i) => {
      expect(await budget.take({ need })).toBe(true);
      order.push(`#${i} need ${need}`);
    }),
  );
  return order;
}

describe("takeSlotInput", () => {
  it("adds one to the second's counter only while it is under the limit, and sets its TTL", () => {
    expect(takeSlotInput("state", 1_780_000_000, 4)).toStrictEqual({
      TableName: "state",
      Key: { pk: { S: "~budget/ecs-update/1780000000" } },
      UpdateExpression: "ADD #n :one SET #ttl = :ttl",
      ConditionExpression: "attribute_not_exists(#n) OR #n < :limit",
      ExpressionAttributeNames: { "#n": "n", "#ttl": "expiresAt" },
      ExpressionAttributeValues: { ":one": { N: "1" }, ":limit": { N: "4" }, ":ttl": { N: "1780000120" } },
    });
  });
});

describe("shared budget on one table", () => {
  it.each([
    { budgets: 2, perSecond: 4, callsEach: 12 },
    { budgets: 3, perSecond: 4, callsEach: 10 },
    { budgets: 4, perSecond: 5, callsEach: 10 },
  ])("$budgets budgets at $perSecond/s: no second grants more than the limit, and every grant is counted", async ({ budgets, perSecond, callsEach }) => {
    // Prepare
    const table = await freshStateTable(client, "budget");
    const clock = fastClock(10);
    const all = Array.from({ length: budgets }, () => sharedUpdateBudget(client, table, { perSecond, clock }));
    // Act
    const started = clock.now().getTime();
    const grants = await Promise.all(all.flatMap((b) => Array.from({ length: callsEach }, (_, i) => b.take({ need: i % 3 }))));
    const elapsedSeconds = (clock.now().getTime() - started) / 1000;
    // Assess
    const items = await counters(table);
    const busiest = Math.max(...items.map((c) => c.n));
    // One object, so a failure shows every figure (a table call failing under load would show as fallbacks).
    expect({
      granted: grants.filter((g) => g).length,
      counted: items.reduce((sum, c) => sum + c.n, 0),
      withinLimit: busiest <= perSecond,
      fallbacks: all.map((b) => b.fallbacks),
    }).toEqual({ granted: budgets * callsEach, counted: budgets * callsEach, withinLimit: true, fallbacks: all.map(() => 0) });
    // The grants span at least ⌈calls / limit⌉ distinct seconds; the first may start late in its second.
    expect(elapsedSeconds).toBeGreaterThan(Math.ceil((budgets * callsEach) / perSecond) - 2);
  });

  it("serves the waiting calls largest need first once the second is spent (the first call goes alone)", async () => {
    // Prepare
    const table = await freshStateTable(client, "budget");
    const budget = sharedUpdateBudget(client, table, { perSecond: 1, clock: virtualClock(new Date("2026-03-02T12:00:00Z")) });
    // Act
    const order = await grantOrder(budget, [1, 5, 3, 0, 5, 2]);
    // Assess
    expect(order).toEqual(["#0 need 1", "#1 need 5", "#4 need 5", "#2 need 3", "#5 need 2", "#3 need 0"]);
    expect((await counters(table)).map((c) => c.n)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("gives up at `by` without taking a call, and still serves the next caller", async () => {
    // Prepare
    const table = await freshStateTable(client, "budget");
    const clock = virtualClock(new Date("2026-03-02T12:00:00.500Z"));
    const budget = sharedUpdateBudget(client, table, { perSecond: 1, clock });
    await budget.take({ need: 1 });
    // Act
    const late = await budget.take({ need: 9, by: new Date("2026-03-02T12:00:00.900Z") });
    const next = await budget.take({ need: 0 });
    // Assess
    expect(late).toBe(false);
    expect(next).toBe(true);
    expect(clock.now().toISOString()).toBe("2026-03-02T12:00:01.000Z");
    expect((await counters(table)).reduce((sum, c) => sum + c.n, 0)).toBe(2);
  });
});

describe("fallback when the table cannot be reached", () => {
  it.each([
    // perSecond, calls, seconds: the burst (perSecond + 1) at once, then a quarter of perSecond a second
    [4, 8, 3],
    [1, 4, 8],
  ])("at %i per second, falls back to a local bucket of a quarter of that: %i calls take %i s; counts every fallback and reports the first one only", async (perSecond, calls, seconds) => {
    // Prepare
    const clock = virtualClock();
    const reported: PortFailure[] = [];
    let counted = 0;
    const budget = sharedUpdateBudget(client, "no-such-table", { clock, perSecond, onFirstFallback: (f) => reported.push(f), onFallback: () => counted++ });
    // Act
    const grants = await Promise.all(Array.from({ length: calls }, () => budget.take({ need: 1 })));
    // Assess: the table is not tried again within 30 s, so one fallback.
    expect(grants.every((g) => g)).toBe(true);
    expect(clock.elapsedMs()).toBe(seconds * 1000);
    expect(budget.fallbacks).toBe(1);
    expect(counted).toBe(1);
    expect(reported.map((f) => f.kind)).toEqual(["notFound"]);
  });

  it("goes back to the table once the fallback period is over", async () => {
    // Prepare
    const table = await freshStateTable(client, "budget");
    const clock = virtualClock(new Date("2026-03-02T12:00:00Z"));
    let failing = true;
    const flaky = {
      send: (command: never) => (failing ? Promise.reject(Object.assign(new Error("down"), { name: "InternalServerError", $fault: "server" })) : client.send(command)),
    } as unknown as DynamoDBClient;
    const budget = sharedUpdateBudget(flaky, table, { clock });
    await budget.take({ need: 0 });
    failing = false;
    // Act
    await clock.sleep(31_000);
    await budget.take({ need: 0 });
    // Assess
    expect(budget.fallbacks).toBe(1);
    expect(await counters(table)).toEqual([{ second: Date.parse("2026-03-02T12:00:31Z") / 1000, n: 1 }]);
  });
});

describe("local budget", () => {
  it("orders by need too", async () => {
    const budget = localUpdateBudget(1, 1, virtualClock());
    expect(await grantOrder(budget, [0, 2, 7, 2])).toEqual(["#0 need 0", "#2 need 7", "#1 need 2", "#3 need 2"]);
  });
});
