/**
 * Seeded randomness for the emulation (latency, fault draws, workloads), so a run with the same seed
 * injects the same faults in the same order of requests: mulberry32, small and good enough for test
 * traffic (not for anything cryptographic).
 */

/** A function returning uniformly distributed numbers in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

/** mulberry32 seeded with `seed` (any integer). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number from `min` to `max` inclusive. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
