/** The real {@link Clock}: wall time and `setTimeout`. The simulator supplies a virtual one instead. */
import type { Clock } from "../ports/clock.ts";

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
