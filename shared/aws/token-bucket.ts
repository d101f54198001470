/**
 * A token bucket like the one ECS meters its API with (burst + sustained rate per account and Region),
 * used to keep this process's own calls inside a share of that budget. Time comes from an injected
 * {@link Clock}, so tests run it in virtual time.
 */
import { type Clock, systemClock } from "../ports/clock.ts";

export interface TokenBucketOptions {
  /** Tokens added per second (the sustained call rate). */
  ratePerSecond: number;
  /** Bucket size: how many calls may go at once after a quiet period. */
  burst: number;
  clock?: Clock;
}

/** Paces callers to `ratePerSecond` with bursts up to `burst`; waiters are served first come, first served. */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private refilledAt: number | undefined;
  /** The tail of the FIFO queue of waiters: each acquire waits for the one before it. */
  private tail: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${options.ratePerSecond}`);
    }
    if (!Number.isInteger(options.burst) || options.burst < 1) {
      throw new RangeError(`burst must be an integer >= 1, got ${options.burst}`);
    }
    this.ratePerSecond = options.ratePerSecond;
    this.burst = options.burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = options.burst;
  }

  /** Resolves when the caller may make one call; consumes one token. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.take());
    // A rejected take (a failing clock) must not wedge every later caller.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Takes a token if one is there (returns 0), or returns the milliseconds until one will be, taking
   * nothing: for callers that keep their own queue of waiters (shared/aws/update-budget.ts).
   */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
  }

  private async take(): Promise<void> {
    for (;;) {
      const waitMs = this.tryTake();
      if (waitMs === 0) return;
      await this.clock.sleep(waitMs);
    }
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    if (this.refilledAt !== undefined && now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
    }
    this.refilledAt = Math.max(now, this.refilledAt ?? now);
  }
}
