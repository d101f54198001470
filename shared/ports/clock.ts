/** Port: time. Real: {@link systemClock}; simulator: virtual time (shared/sim/ports.ts). */
export interface Clock {
  now(): Date;
  /** Waits `ms` (virtual in the simulator). */
  sleep(ms: number): Promise<void>;
}

/** The real clock: wall time and `setTimeout`. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
