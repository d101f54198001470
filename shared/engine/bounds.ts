/**
 * Step 2 of `decide`, bounds and schedules: the minimum and maximum in force at `now`. A schedule window
 * is [start, end) of two 5-field cron expressions in an IANA zone; while inside, its bounds replace the
 * policy's. Pure (cron arithmetic is a library computation on the given instant, not a clock read).
 */

import { nextOccurrence, previousOccurrence } from "./cron.ts";
import type { Policy, Schedule } from "./types.ts";

export interface EffectiveBounds {
  min: number;
  max: number;
  /** The schedule window in force, if any. */
  schedule?: { name: string; openedAt: Date };
}

/**
 * When windows overlap, the one that opened most recently wins (a later entry in the list wins a tie),
 * as the latest AWS scheduled action sets the bounds. A window setting only one bound pulls the other
 * along so that the pair stays consistent: `maxTasks: 0` alone turns the service off.
 */
export function effectiveBounds(policy: Policy, now: Date): EffectiveBounds {
  let winner: { schedule: Schedule; openedAt: Date } | undefined;
  for (const schedule of policy.schedules) {
    const openedAt = windowOpenedAt(schedule, now);
    if (openedAt && (!winner || openedAt.getTime() >= winner.openedAt.getTime()))
      winner = { schedule, openedAt };
  }
  if (!winner) return { min: policy.minTasks, max: policy.maxTasks };
  const { schedule, openedAt } = winner;
  let min = schedule.minTasks ?? policy.minTasks;
  let max = schedule.maxTasks ?? policy.maxTasks;
  if (schedule.minTasks === undefined) min = Math.min(min, max);
  if (schedule.maxTasks === undefined) max = Math.max(max, min);
  return { min, max, schedule: { name: schedule.name, openedAt } };
}

/** When the window containing `now` opened, or undefined when `now` is outside the window. */
export function windowOpenedAt(schedule: Schedule, now: Date): Date | undefined {
  const opened = previousOccurrence(schedule.start, schedule.timezone, now);
  if (!opened) return undefined;
  const closes = nextOccurrence(schedule.end, schedule.timezone, opened);
  return closes === undefined || now.getTime() < closes.getTime() ? opened : undefined;
}
