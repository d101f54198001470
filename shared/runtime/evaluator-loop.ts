/**
 * The evaluator loop: one Lambda invocation per minute (the EventBridge Scheduler tick) that keeps
 * evaluating every `intervalSeconds`, so the reaction time is seconds, not the tick's minute.
 * Time comes from the {@link Clock} port: the real clock on AWS, a virtual one in the simulator.
 */
import type { Config } from "../config/config-file.ts";
import type { Clock } from "../ports/clock.ts";
import { type EvaluationDeps, type PassSummary, runEvaluationPass } from "./evaluation-pass.ts";

export interface LoopDeps extends EvaluationDeps {
  clock: Clock;
}

/**
 * Runs a pass at once, then one every `config.intervalSeconds` (measured from each pass's start), as
 * long as the next pass is expected to finish by `untilMs` (epoch ms): a pass is expected to take
 * as long as the one before it did, by the clock. A pass that overran its interval is followed at
 * once, but only if that still fits: the check uses the actual time, never the planned start, so a
 * slow pass cannot push the next one past the deadline (and into the next tick's invocation or the
 * Lambda timeout, where a pass cut short leaves services undecided). Returns each pass's summary.
 */
export async function runEvaluatorLoop(
  deps: LoopDeps,
  config: Config,
  untilMs: number,
): Promise<PassSummary[]> {
  const summaries: PassSummary[] = [];
  const intervalMs = config.intervalSeconds * 1000;
  for (;;) {
    const startedAt = deps.clock.now();
    summaries.push(await runEvaluationPass(deps, config, startedAt));
    const expectedMs = deps.clock.now().getTime() - startedAt.getTime();
    const nextAt = Math.max(startedAt.getTime() + intervalMs, deps.clock.now().getTime());
    if (!fitsBefore(nextAt, expectedMs, untilMs)) return summaries;
    const waitMs = nextAt - deps.clock.now().getTime();
    if (waitMs > 0) await deps.clock.sleep(waitMs);
    if (!fitsBefore(deps.clock.now().getTime(), expectedMs, untilMs)) return summaries;
  }
}

/** Whether a pass starting at `startMs` and taking `expectedMs` ends by `untilMs` (and starts before it). */
function fitsBefore(startMs: number, expectedMs: number, untilMs: number): boolean {
  return startMs < untilMs && startMs + expectedMs <= untilMs;
}

/** Margins for {@link loopDeadline}. */
export const LOOP_MARGINS = {
  /** Stop this long before the next tick, whose invocation takes over. */
  beforeNextTickMs: 2_000,
  /** Stop this long before the Lambda timeout, leaving room for the last pass and flushing metrics. */
  beforeTimeoutMs: 15_000,
};

/**
 * Until when an invocation started by a tick at `tickAt` may start passes: shortly before the next
 * tick (`tickAt + tickSeconds`) and well before the Lambda's remaining time runs out.
 */
export function loopDeadline(tickAt: Date, now: Date, remainingMs: number, tickSeconds = 60): number {
  return Math.min(
    tickAt.getTime() + tickSeconds * 1000 - LOOP_MARGINS.beforeNextTickMs,
    now.getTime() + remainingMs - LOOP_MARGINS.beforeTimeoutMs,
  );
}
