/**
 * Step 4 of `decide`, zero and activation (KEDA `RequestScale`), only where the minimum in force is 0. At
 * zero, an active trigger wakes the service; without one it stays at zero. Above zero, with no trigger
 * active for more than `scaleToZero.idleSeconds` (strict, as KEDA's cooldown), it goes to zero; until then
 * it keeps at least one task (KEDA's HPA minimum is max(min, 1)). Never to zero while a read is failing,
 * and `selectPolicy: Disabled` pauses the move in its direction, as KEDA's pause annotations do. Pure.
 */
import type { EffectiveBounds } from "./bounds.ts";
import type { Policy } from "./types.ts";

export type ZeroStep =
  /** Not at or near zero, or the minimum is above 0: the floor is what the bounds and idle rule allow. */
  | { kind: "none"; floor: number }
  | { kind: "wake"; floor: 1 }
  | { kind: "stay"; reason: "Idle" | "ScaleUpDisabled"; explanation: string }
  | { kind: "toZero"; explanation: string }
  | { kind: "cooldown"; floor: number; explanation: string };

export interface ZeroInput {
  policy: Policy;
  bounds: EffectiveBounds;
  current: number;
  /** Any valid trigger active, or the fallback in force. */
  active: boolean;
  anyReadFailed: boolean;
  /** Since when nothing keeps the service up (see `History.idleSince`); never after now. */
  idleSinceMs: number;
  nowMs: number;
}

/** Applies KEDA's 0 ↔ 1 rules; see the module comment. */
export function zeroAndActivation(input: ZeroInput): ZeroStep {
  const { policy, bounds, current, active, nowMs } = input;
  if (bounds.min > 0) return { kind: "none", floor: 0 };
  const keepOne = Math.min(1, bounds.max);
  if (current === 0) {
    if (!active) return { kind: "stay", reason: "Idle", explanation: "no trigger active" };
    if (policy.behavior.scaleUp.selectPolicy === "Disabled") {
      return {
        kind: "stay",
        reason: "ScaleUpDisabled",
        explanation: "a trigger is active but scale-up is disabled",
      };
    }
    return { kind: "wake", floor: 1 };
  }
  if (active || input.anyReadFailed) return { kind: "none", floor: keepOne };
  const idleSeconds = (nowMs - input.idleSinceMs) / 1000;
  const limit = policy.scaleToZero.idleSeconds;
  if (idleSeconds > limit && policy.behavior.scaleDown.selectPolicy !== "Disabled") {
    return { kind: "toZero", explanation: `no trigger active for ${idleSeconds} s > ${limit} s` };
  }
  return {
    kind: "cooldown",
    floor: keepOne,
    explanation: `no trigger active for ${idleSeconds} s of ${limit} s before zero`,
  };
}
