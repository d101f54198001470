/**
 * Runtime guards change the engine's count after the fact (deployment hold, crash-loop cap); the
 * history must then say what was really decided, or the next decision's rate limits would count a
 * scale event that never happened. `decide` records its scale event at `request.now`. Pure.
 */
import type { Decision, History } from "../engine/types.ts";

/** The decision with its count replaced by `to`, its scale event at `nowIso` rewritten, and `note` explained. */
export function overrideCount(
  decision: Decision,
  current: number,
  to: number,
  nowIso: string,
  note: string,
): Decision {
  const scaleEvents = decision.history.scaleEvents.filter((e) => e.at !== nowIso);
  if (to !== current) scaleEvents.push({ at: nowIso, from: current, to });
  return {
    ...decision,
    desiredCount: to,
    explanation: `${decision.explanation}; ${note} ⇒ ${to}`,
    history: { ...decision.history, scaleEvents },
  };
}

/** The history without the scale event at `nowIso`: for a decision that was not applied (dry run, failed update). */
export function withoutScaleEventAt(history: History, nowIso: string): History {
  return { ...history, scaleEvents: history.scaleEvents.filter((e) => e.at !== nowIso) };
}
