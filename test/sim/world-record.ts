/** A world record with nothing in it, for scoring tests to fill in what they need. */
import type { WorldRecord } from "../../shared/sim/world.ts";

/** An empty run's record with `overrides` applied. */
export function worldRecord(overrides: Partial<WorldRecord> = {}): WorldRecord {
  return {
    arrived: 0,
    processed: 0,
    waits: new Float64Array(),
    pendingAges: new Float64Array(),
    waitByArrival: new Float64Array(),
    workSeconds: 0,
    taskSeconds: 0,
    tasksLaunched: 0,
    updateServiceCalls: 0,
    interruptedMessages: 0,
    lostWorkSeconds: 0,
    interruptedExtraWaitSeconds: 0,
    drainingTaskSeconds: 0,
    reactionSeconds: null,
    left: { visible: 0, inFlight: 0, returning: 0 },
    series: { desired: [], running: [], backlog: [], oldestWaitSeconds: [] },
    ...overrides,
  };
}
