/** Port: time. Real: shared/runtime/system-clock.ts; simulator: virtual time. */
export interface Clock {
  now(): Date;
  /** Waits `ms` (virtual in the simulator). */
  sleep(ms: number): Promise<void>;
}
