/**
 * The simulator's in-memory state store reads many records as the DynamoDB adapter does: each key's
 * record or none, one BatchGetItem call per 100 keys, every key billed as a consistent read.
 */
import { describe, expect, it } from "vitest";
import { UsageCounter } from "../../shared/cost/usage-counter.ts";
import { emptyRecord } from "../../shared/ports/state-store.ts";
import { MemoryStateStore } from "../../shared/sim/ports.ts";

describe("MemoryStateStore.loadMany", () => {
  it("returns saved records and undefined for keys never saved, each key once", async () => {
    const store = new MemoryStateStore();
    await store.save({ ...emptyRecord("c/a"), learned: { startupSeconds: 5 } });
    const loaded = await store.loadMany(["c/a", "c/none", "c/a"]);
    expect([...loaded.entries()]).toEqual([
      ["c/a", { ok: true, value: { key: "c/a", version: 1, learned: { startupSeconds: 5 } } }],
      ["c/none", { ok: true, value: undefined }],
    ]);
  });

  it.each([
    { keys: 1, calls: 1 },
    { keys: 100, calls: 1 },
    { keys: 101, calls: 2 },
    { keys: 250, calls: 3 },
  ])("counts $calls BatchGetItem call(s) and $keys read units for $keys keys", async ({ keys, calls }) => {
    const counter = new UsageCounter();
    const store = new MemoryStateStore(counter);
    await store.loadMany(Array.from({ length: keys }, (_, i) => `c/s${i}`));
    expect(counter.calls["dynamodb:BatchGetItem"]).toBe(calls);
    expect(counter.calls["dynamodb:GetItem"]).toBeUndefined();
    expect(counter.dynamodbReadUnits).toBe(keys);
  });
});
