/**
 * Shards of the fleet: when one pass cannot evaluate every service within an interval, each planned
 * pass becomes one queued pass per shard, run by concurrent invocations. A service's shard is chosen
 * by rendezvous (highest-random-weight) hashing of `cluster/service`: each shard scores the key and
 * the highest score wins. Adding or removing a service moves no other service; going from n to n+1
 * shards moves only the services the new shard wins (about 1/(n+1) of them), so their records and
 * caches stay with the invocations that already run them as the fleet grows.
 */
import type { Config, ServiceConfig } from "../../shared/config/config-file.ts";
import type { ShardRef } from "../../shared/ports/pass-queue.ts";
import { recordKey } from "../../shared/runtime/service-index.ts";

/**
 * Services one pass evaluates within an interval, as a placeholder until measured on AWS: the cost
 * model assumes a pass of 0.3 s + 9 ms per service (shared/cost/lambda-model.ts), about 2.5 s at
 * 250, well inside the 10 s default interval even at several times that per-service time.
 */
export const SERVICES_PER_SHARD = 250;

/** Shards for `services` services: one per {@link SERVICES_PER_SHARD} begun, at least one. */
export function shardCount(services: number, perShard = SERVICES_PER_SHARD): number {
  return Math.max(1, Math.ceil(services / perShard));
}

/** 32-bit FNV-1a of `text`, then murmur3's finaliser so nearby inputs score far apart. */
function score(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard (0 … count-1) of the service `key` (`cluster/service`) among `count` shards. */
export function shardOf(key: string, count: number): number {
  let best = 0;
  let bestScore = -1;
  for (let shard = 0; shard < count; shard++) {
    const s = score(`${shard}\u0000${key}`);
    if (s > bestScore) {
      best = shard;
      bestScore = s;
    }
  }
  return best;
}

const cache = new WeakMap<Config, Map<number, ServiceConfig[][]>>();

/** The configured services of `shard` (every service for a single shard), in config order. */
export function servicesOfShard(config: Config, shard: ShardRef): readonly ServiceConfig[] {
  if (shard.count <= 1) return config.services;
  const byCount = cache.get(config) ?? new Map<number, ServiceConfig[][]>();
  cache.set(config, byCount);
  let shards = byCount.get(shard.count);
  if (!shards) {
    shards = Array.from({ length: shard.count }, () => [] as ServiceConfig[]);
    for (const service of config.services) shards[shardOf(recordKey(service), shard.count)]!.push(service);
    byCount.set(shard.count, shards);
  }
  return shards[shard.index] ?? [];
}
