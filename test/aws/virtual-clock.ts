/** A clock whose sleep advances virtual time at once, so rate-limit tests take no real time. */
import type { Clock } from "../../shared/ports/clock.ts";

export interface VirtualClock extends Clock {
  /** Virtual milliseconds since the start. */
  elapsedMs(): number;
}

/** Starts at `start` (default the epoch); `sleep(ms)` moves time forward by `ms` and resolves. */
export function virtualClock(start = new Date(0)): VirtualClock {
  const origin = start.getTime();
  let t = origin;
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    elapsedMs: () => t - origin,
  };
}
