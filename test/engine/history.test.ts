/** Comparing histories: by their entries, whatever the key order of the objects. */
import { describe, expect, it } from "vitest";
import { sameHistory } from "../../shared/engine/history.ts";
import type { History } from "../../shared/engine/types.ts";

const base: History = {
  recommendations: [{ at: "2026-03-02T12:00:00Z", tasks: 3 }],
  scaleEvents: [{ at: "2026-03-02T11:59:00Z", from: 2, to: 3 }],
  lastActiveAt: "2026-03-02T12:00:00Z",
  failures: 0,
};
// The same history with its keys in another order, as the engine builds it (failures before lastActiveAt).
const reordered: History = {
  failures: 0,
  scaleEvents: [{ to: 3, from: 2, at: "2026-03-02T11:59:00Z" }],
  recommendations: [{ tasks: 3, at: "2026-03-02T12:00:00Z" }],
  lastActiveAt: "2026-03-02T12:00:00Z",
};

describe("sameHistory", () => {
  it.each([
    ["the same entries in objects with another key order", base, reordered, true],
    ["lastActiveAt: undefined and no lastActiveAt", { ...base, lastActiveAt: undefined }, { recommendations: base.recommendations, scaleEvents: base.scaleEvents, failures: 0 }, true],
    ["both missing", undefined, undefined, true],
    ["one missing, one empty", undefined, { recommendations: [], scaleEvents: [], failures: 0 }, false],
    ["another failure count", base, { ...base, failures: 1 }, false],
    ["another lastActiveAt", base, { ...base, lastActiveAt: "2026-03-02T12:00:10Z" }, false],
    ["another idleSince", base, { ...base, idleSince: "2026-03-02T12:00:10Z" }, false],
    ["idleSince: undefined and no idleSince", { ...base, idleSince: undefined }, base, true],
    ["a recommendation more", base, { ...base, recommendations: [...base.recommendations, { at: "2026-03-02T12:00:10Z", tasks: 3 }] }, false],
    ["another recommended count", base, { ...base, recommendations: [{ at: "2026-03-02T12:00:00Z", tasks: 4 }] }, false],
    ["another scale event target", base, { ...base, scaleEvents: [{ at: "2026-03-02T11:59:00Z", from: 2, to: 4 }] }, false],
    ["another scale event origin", base, { ...base, scaleEvents: [{ at: "2026-03-02T11:59:00Z", from: 1, to: 3 }] }, false],
  ] as [string, History | undefined, History | undefined, boolean][])("%s", (_name, a, b, expected) => {
    expect(sameHistory(a, b)).toBe(expected);
    expect(sameHistory(b, a)).toBe(expected);
  });
});
