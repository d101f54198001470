/**
 * The tick's plan of the minute's passes (where the evaluator loop would start them) and the fleet's
 * shards (rendezvous hashing: stable as services come and go, few moves as shards are added).
 */
import { describe, expect, it } from "vitest";
import { passOffsetsMs, plannedPasses } from "../../functions/evaluate/fan-out.ts";
import { SERVICES_PER_SHARD, servicesOfShard, shardCount, shardOf } from "../../functions/evaluate/shards.ts";
import type { Config } from "../../shared/config/config-file.ts";

const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const fleet = (n: number, from = 0) => ({ services: Array.from({ length: n }, (_, i) => ({ cluster: `c${(from + i) % 7}`, service: `svc-${from + i}` })) }) as unknown as Config;

describe("the minute's passes", () => {
  it.each([
    [10, [0, 10, 20, 30, 40, 50]],
    [15, [0, 15, 30, 45]],
    [7, [0, 7, 14, 21, 28, 35, 42, 49, 56]],
    [60, [0]],
  ])("at %i s they start at %j s, as the evaluator loop starts them", (interval, seconds) => {
    expect(passOffsetsMs(interval, 60)).toEqual(seconds.map((s) => s * 1000));
  });

  it("queues every pass but the tick's own, delayed from when the tick is handled", () => {
    const planned = plannedPasses(new Date(T0), new Date(T0 + 1_400), 20, 60);
    expect(planned).toEqual([
      { plannedAtMs: T0 + 20_000, delaySeconds: 19, shard: { index: 0, count: 1 } },
      { plannedAtMs: T0 + 40_000, delaySeconds: 39, shard: { index: 0, count: 1 } },
    ]);
  });

  it("with shards, queues each shard's pass at every offset, shard 0's first pass excepted", () => {
    const planned = plannedPasses(new Date(T0), new Date(T0), 30, 60, 3);
    expect(planned.map((p) => [p.delaySeconds, p.shard.index])).toEqual([
      [0, 1],
      [0, 2],
      [30, 0],
      [30, 1],
      [30, 2],
    ]);
  });
});

describe("shards", () => {
  it.each([
    [1, 1],
    [250, 1],
    [251, 2],
    [1000, 4],
    [2000, 8],
  ])("%i services make %i shards", (services, shards) => {
    expect(shardCount(services)).toBe(shards);
  });

  it("puts every service in exactly one shard, in config order, each shard near its share", () => {
    const config = fleet(1000);
    const shards = Array.from({ length: 4 }, (_, index) => servicesOfShard(config, { index, count: 4 }));
    expect(
      shards
        .flat()
        .map((s) => s.service)
        .sort(),
    ).toEqual(config.services.map((s) => s.service).sort());
    for (const shard of shards) {
      expect(shard.length).toBeGreaterThan(SERVICES_PER_SHARD * 0.8);
      expect(shard.length).toBeLessThan(SERVICES_PER_SHARD * 1.2);
    }
  });

  it("moves no other service when one is added or removed", () => {
    const before = fleet(600);
    const after = { services: [...before.services.slice(1), ...fleet(1, 600).services] } as unknown as Config;
    const shardsOf = (config: Config) => new Map(config.services.map((s) => [`${s.cluster}/${s.service}`, shardOf(`${s.cluster}/${s.service}`, 3)]));
    const [b, a] = [shardsOf(before), shardsOf(after)];
    for (const [key, shard] of a) if (b.has(key)) expect(shard, key).toBe(b.get(key));
  });

  it("going from 4 to 5 shards moves only the services the new shard takes, about a fifth", () => {
    const keys = fleet(1000).services.map((s) => `${s.cluster}/${s.service}`);
    const moved = keys.filter((k) => shardOf(k, 4) !== shardOf(k, 5));
    for (const k of moved) expect(shardOf(k, 5)).toBe(4);
    expect(moved.length / keys.length).toBeGreaterThan(0.15);
    expect(moved.length / keys.length).toBeLessThan(0.25);
  });

  it("a single shard is the whole fleet", () => {
    const config = fleet(3);
    expect(servicesOfShard(config, { index: 0, count: 1 })).toBe(config.services);
  });
});
