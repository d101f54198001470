/**
 * The fault-injection suite, short form (the full one is `npm run bench:faults`): the real SDK clients
 * and adapters, wired as the Lambda functions wire them, against an emulated account
 * (test/support/emulated-aws) that throttles as ECS documents and injects throttling, 5xx, hangs,
 * connection resets, lost responses (an UpdateService's landing late), stale DescribeServices answers
 * and conditional-check failures inside the SDK's HTTP stack.
 * First: each invariant checker catches a planted violation, so a run's zeros mean something.
 */
import { ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../shared/ports/decision-sink.ts";
import type { AppliedUpdate } from "../support/emulated-aws/ecs.ts";
import { OUTAGE_REQUESTS, runFaultSuite } from "../support/emulated-aws/fault-run.ts";
import { type FaultKind, type Lane, REGION, startEmulatedAws } from "../support/emulated-aws/index.ts";
import { CHECKERS, type CheckerName, checkAll, type Trace } from "../support/emulated-aws/invariants.ts";
import { landedItems } from "../support/emulated-aws/landed-writes.ts";
import type { LandedSave } from "../support/emulated-aws/server.ts";

const KEY = "c0/svc0";
const T = Date.parse("2026-03-02T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function save(version: number, at: number, events: { at: number; from: number; to: number }[]): LandedSave {
  const scaleEvents = events.map((e) => ({ ...e, at: iso(e.at) }));
  return { key: KEY, version, at, item: { pk: KEY, version, history: { recommendations: [], scaleEvents, failures: 0 } } };
}

function decision(from: number, to: number, reason: string, failedReads = 0): DecisionRecord {
  return {
    at: new Date(T),
    ref: { cluster: "c0", service: "svc0" },
    from,
    running: from,
    applied: from !== to,
    dryRun: false,
    decision: {
      desiredCount: to,
      reason: reason as DecisionRecord["decision"]["reason"],
      explanation: "",
      proposals: [{ trigger: 0, tasks: failedReads > 0 ? null : to, active: true }],
      history: { recommendations: [], scaleEvents: [], failures: failedReads },
    },
  };
}

const applied = (desiredCount: number, at: number, from = 1): AppliedUpdate => ({ key: KEY, desiredCount, from, at, answered: true });

/** A run of one service that scaled 1 → 3 once and kept that event in its next save: no violation. */
function cleanTrace(): Trace {
  const v1 = save(1, T + 50, [{ at: T, from: 1, to: 3 }]);
  const v2 = save(2, T + 5_050, [{ at: T, from: 1, to: 3 }]);
  return {
    bounds: new Map([[KEY, { min: 1, max: 20, horizonMs: 15_000, fallbackAfter: 2 }]]),
    // The third failed read in a row runs the fallback (3 tasks): a scale-down, by design.
    decisions: [decision(1, 3, "ScaleUp"), decision(3, 3, "NoChange"), decision(3, 3, "ReadFailedHold", 1), decision(5, 3, "ScaleDown", 3)],
    saves: [v1, v2],
    applied: [applied(3, T + 100)],
    finalItems: new Map([[KEY, v2.item]]),
  };
}

describe("the invariant checkers", () => {
  it("find nothing in a clean run (the fallback past its threshold may lower the count)", () => {
    expect(Object.values(checkAll(cleanTrace())).flat()).toEqual([]);
  });

  const planted: { checker: CheckerName; name: string; plant: (t: Trace) => Trace }[] = [
    { checker: "decisions outside bounds", name: "a decision above maxTasks", plant: (t) => ({ ...t, decisions: [...t.decisions, decision(3, 21, "ScaleUp")] }) },
    { checker: "decisions outside bounds", name: "ECS set below minTasks", plant: (t) => ({ ...t, applied: [...t.applied, applied(0, T + 6_000, 3)] }) },
    {
      checker: "scale-downs on a failed read",
      name: "a scale-down on a failed read before the fallback's threshold",
      plant: (t) => ({ ...t, decisions: [...t.decisions, decision(5, 2, "ScaleDown", 2)] }),
    },
    {
      checker: "scale-downs on a failed read",
      name: "the same scale-down where no fallback is configured",
      plant: (t) => ({ ...t, bounds: new Map([[KEY, { min: 1, max: 20, horizonMs: 15_000 }]]) }),
    },
    { checker: "lost or rolled-back state records", name: "the table ends on an older version", plant: (t) => ({ ...t, finalItems: new Map([[KEY, t.saves[0]!.item]]) }) },
    { checker: "lost or rolled-back state records", name: "a version written twice", plant: (t) => ({ ...t, saves: [t.saves[0]!, t.saves[0]!, t.saves[1]!] }) },
    { checker: "lost or rolled-back state records", name: "a landed record missing from the table", plant: (t) => ({ ...t, finalItems: new Map() }) },
    { checker: "decisions with more than one UpdateService", name: "one decision applied twice", plant: (t) => ({ ...t, applied: [...t.applied, applied(3, T + 150)] }) },
    { checker: "applied updates missing from history", name: "a later save erased the applied event", plant: (t) => ({ ...t, saves: [t.saves[0]!, save(2, T + 5_050, [])] }) },
    { checker: "applied updates missing from history", name: "an update no save recorded", plant: (t) => ({ ...t, applied: [...t.applied, applied(7, T + 6_000, 3)] }) },
  ];
  it.each(planted)("$checker: catches $name", ({ checker, plant }) => {
    const violations = CHECKERS[checker](plant(cleanTrace()));
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.key === KEY)).toBe(true);
  });

  it("applied updates missing from history: an event pruned past the policy's horizon is not erased", () => {
    const t = cleanTrace();
    const later = save(2, T + 20_000, []);
    expect(CHECKERS["applied updates missing from history"]({ ...t, saves: [t.saves[0]!, later], finalItems: new Map([[KEY, later.item]]) })).toEqual([]);
  });
});

describe("the writes a trace sees, whichever write the state store uses", () => {
  const item = (pk: string, version: number) => ({ pk: { S: pk }, version: { N: String(version) } });
  const readBack = async () => ({ pk: "a", version: 7 });
  it.each([
    { operation: "PutItem", request: { TableName: "t", Item: item("a", 2) }, response: "{}", stored: [{ pk: "a", version: 2 }] },
    { operation: "UpdateItem", request: { TableName: "t", Key: { pk: { S: "a" } } }, response: "{}", stored: [{ pk: "a", version: 7 }] },
    {
      operation: "BatchWriteItem",
      request: { RequestItems: { t: [{ PutRequest: { Item: item("a", 2) } }, { PutRequest: { Item: item("b", 3) } }] } },
      response: JSON.stringify({ UnprocessedItems: { t: [{ PutRequest: { Item: item("b", 3) } }] } }),
      stored: [{ pk: "a", version: 2 }],
    },
    {
      operation: "TransactWriteItems",
      request: { TransactItems: [{ Put: { TableName: "t", Item: item("b", 3) } }, { Update: { TableName: "t", Key: { pk: { S: "a" } } } }] },
      response: "{}",
      stored: [
        { pk: "b", version: 3 },
        { pk: "a", version: 7 },
      ],
    },
    { operation: "GetItem", request: { TableName: "t", Key: { pk: { S: "a" } } }, response: "{}", stored: [] },
  ])("$operation", async ({ operation, request, response, stored }) => {
    expect(await landedItems(operation, Buffer.from(JSON.stringify(request)), response, readBack)).toEqual(stored);
  });
});

describe("the emulated account", () => {
  it("throttles UpdateService past ECS's account bucket of 50, through the real client", async () => {
    // Prepare
    const aws = await startEmulatedAws({ latencyMs: { min: 1, max: 2 } });
    aws.ecs.put("c0/svc0", 1);
    const ecs = new ECSClient({ region: REGION, endpoint: aws.endpoint, credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });
    try {
      // Act
      const started = performance.now();
      const results = await Promise.allSettled(Array.from({ length: 60 }, () => ecs.send(new UpdateServiceCommand({ cluster: "c0", service: "svc0", desiredCount: 2 }))));
      const seconds = (performance.now() - started) / 1000;
      // Assess: 50 at once, then 5 per second of the burst's duration; the rest throttled.
      const throttled = results.filter((r) => r.status === "rejected" && (r.reason as Error).name === "ThrottlingException");
      expect(aws.ecs.applied.length).toBeLessThanOrEqual(50 + Math.ceil(5 * seconds));
      expect(throttled.length).toBe(60 - aws.ecs.applied.length);
      expect(throttled.length).toBeGreaterThan(0);
    } finally {
      ecs.destroy();
      await aws.close();
    }
  });
});

/** Invariants the runtime keeps under every fault: all of them. */
const ASSERTED: CheckerName[] = [
  "decisions outside bounds",
  "scale-downs on a failed read",
  "lost or rolled-back state records",
  "decisions with more than one UpdateService",
  "applied updates missing from history",
];

describe("two evaluators on the real adapters under every fault", () => {
  it("keep the invariants over 24 passes", async () => {
    // Prepare: one of each fault up front (so every kind is met), then drawn faults at a few percent.
    const scripted: [Lane, string, FaultKind][] = [
      ["ecs", "DescribeServices", "throttle"],
      ["sqs", "GetQueueAttributes", "serverError"],
      ["dynamodb", "GetItem", "hang"],
      ["cloudwatch", "GetMetricData", "reset"],
      ["dynamodb", "PutItem", "lostResponse"],
      ["dynamodb", "PutItem", "conditionalCheck"],
      ["ecs", "UpdateService", "lostResponse"],
      ["ecs", "DescribeServices", "staleDescribe"],
    ];
    // An outage at the start as well as the timed ones: queue reads fail past the SDK's retries even
    // when a loaded machine makes the passes outrun the outage timer.
    const outage = Array.from({ length: OUTAGE_REQUESTS }, (): [Lane, string, FaultKind] => ["sqs", "GetQueueAttributes", "serverError"]);
    // Act
    const run = await runFaultSuite({ evaluators: 2, passes: 24, services: 6, seed: 11, script: [...scripted, ...outage] });
    // Assess
    expect(run.summaries).toHaveLength(24);
    for (const [lane, operation, kind] of scripted) expect(run.aws.faults.injected.get(`${lane}:${operation}:${kind}`) ?? 0, `${lane}:${operation}:${kind}`).toBeGreaterThan(0);
    expect(run.trace.decisions.length).toBeGreaterThan(0);
    // The outages made reads fail past the SDK's retries: decisions were taken on failed reads.
    expect(run.trace.decisions.filter((d) => d.decision.proposals.some((p) => p.tasks === null)).length).toBeGreaterThan(0);
    const found = checkAll(run.trace);
    for (const name of ASSERTED) expect(found[name], `${name}: ${JSON.stringify(found[name].slice(0, 3))}`).toEqual([]);
  }, 40_000);
});
