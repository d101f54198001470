/**
 * The tick's fan-out: which passes of the minute are handed to the pass queue, and what runs in the
 * tick's own invocation when the queue does not take them. Passes are planned where the evaluator
 * loop would start them (0, I, 2I, … while before the loop's stop before the next tick), so a
 * deployment with the pass queue and one without run passes at the same times; each later pass is
 * its own short invocation, billed for the pass only.
 */
import type { Config, ServiceConfig } from "../../shared/config/config-file.ts";
import type { PlannedPass, ShardRef } from "../../shared/ports/pass-queue.ts";
import { type PassSummary, runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { LOOP_MARGINS, type LoopDeps } from "../../shared/runtime/evaluator-loop.ts";

/**
 * Offsets (ms after the tick) of the minute's passes: 0, I, 2I, … while before the tick's minute
 * less the loop's margin, as the evaluator loop starts them.
 */
export function passOffsetsMs(intervalSeconds: number, tickSeconds: number): number[] {
  const untilMs = tickSeconds * 1000 - LOOP_MARGINS.beforeNextTickMs;
  const offsets: number[] = [];
  for (let at = 0; at < untilMs; at += intervalSeconds * 1000) offsets.push(at);
  return offsets;
}

/**
 * The passes the tick at `tickAt` (handled at `now`) hands to the queue: every shard's pass at every
 * offset, except shard 0's first pass, which the tick runs itself. Delays are counted from `now`
 * (the tick is handled a little after it was due), whole seconds as SQS takes them.
 */
export function plannedPasses(
  tickAt: Date,
  now: Date,
  intervalSeconds: number,
  tickSeconds: number,
  shardCount = 1,
): PlannedPass[] {
  const passes: PlannedPass[] = [];
  for (const offset of passOffsetsMs(intervalSeconds, tickSeconds)) {
    for (let index = 0; index < shardCount; index++) {
      if (offset === 0 && index === 0) continue;
      const plannedAtMs = tickAt.getTime() + offset;
      passes.push({
        plannedAtMs,
        delaySeconds: Math.max(0, Math.round((plannedAtMs - now.getTime()) / 1000)),
        shard: { index, count: shardCount },
      });
    }
  }
  return passes;
}

/**
 * Runs, in this invocation, passes the queue did not take: at each one's planned time (the planned
 * passes of one time together, over the services of their shards), as the evaluator loop would, as
 * long as the clock is before `untilMs`. Returns the summaries and how many planned times were left
 * unrun because the deadline came first. `configured`: the services each pass was asked to decide.
 */
export async function runUnqueuedPasses(
  deps: LoopDeps,
  config: Config,
  passes: readonly PlannedPass[],
  untilMs: number,
  servicesOf: (shard: ShardRef) => readonly ServiceConfig[],
): Promise<{ summaries: { summary: PassSummary; configured: number }[]; notRun: number }> {
  const byTime = new Map<number, PlannedPass[]>();
  for (const pass of passes) byTime.set(pass.plannedAtMs, [...(byTime.get(pass.plannedAtMs) ?? []), pass]);
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const summaries: { summary: PassSummary; configured: number }[] = [];
  for (const [i, at] of times.entries()) {
    const waitMs = at - deps.clock.now().getTime();
    if (Math.max(at, deps.clock.now().getTime()) >= untilMs) return { summaries, notRun: times.length - i };
    if (waitMs > 0) await deps.clock.sleep(waitMs);
    const services = byTime.get(at)!.flatMap((p) => servicesOf(p.shard));
    const summary = await runEvaluationPass(deps, config, deps.clock.now(), services);
    summaries.push({ summary, configured: services.length });
  }
  return { summaries, notRun: 0 };
}
