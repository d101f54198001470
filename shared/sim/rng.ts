/**
 * Seeded randomness for the simulator: pure-rand's xoroshiro128+ behind a few draws (uniform,
 * exponential, Poisson, Pareto). Every independent source of randomness (arrivals, service times,
 * startup delays, which task a scale-in stops, SQS's approximate counts) gets its own stream derived
 * from the run's seed and a label, so that one policy starting more tasks never shifts the arrivals.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/** A seeded random stream. Deterministic: the same seed and label give the same draws. */
export class Rng {
  private readonly generator: RandomGenerator;

  constructor(seed: number, label = "") {
    this.generator = xoroshiro128plus(deriveSeed(seed, label));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Exponential with the given mean (inverse transform; 1 − u avoids log(0)). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Pareto (type I) with shape `alpha` > 1 and the given mean. */
  pareto(alpha: number, mean: number): number {
    const scale = (mean * (alpha - 1)) / alpha;
    return scale / (1 - this.float()) ** (1 / alpha);
  }

  /**
   * Poisson with mean `lambda`: Knuth's product method for small means, a normal approximation
   * (rounded, never negative) above 30 where the product method gets slow and the approximation is close.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) {
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    }
    const limit = Math.exp(-lambda);
    let k = 0;
    let product = this.float();
    while (product > limit) {
      k++;
      product *= this.float();
    }
    return k;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Rounds `x` to one of its neighbouring integers so that the expectation is `x` (for scaled counts). */
  stochasticRound(x: number): number {
    const floor = Math.floor(x);
    return floor + (this.float() < x - floor ? 1 : 0);
  }
}

/** Mixes a seed and a label into a 32-bit seed (FNV-1a over the label, then a murmur3 finalizer). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= Math.floor(seed / 2 ** 32);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
