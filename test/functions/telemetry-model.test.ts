/**
 * The simulator counts the own bill's custom metrics and log bytes from shared/runtime/telemetry.ts:
 * the Powertools sink must publish exactly those documents, at about the bytes the model says, and
 * log a service's counts once a minute instead of publishing them as metrics.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PowertoolsSink } from "../../functions/lib/powertools-sink.ts";
import type { DecisionRecord } from "../../shared/ports/decision-sink.ts";
import { emfBytes, failureDocument, InfoLineSchedule, STATE_LINE_MESSAGE } from "../../shared/runtime/telemetry.ts";
import { type Captured, captureOutputOf } from "./lambda-harness.ts";

function record(from: number, to: number, backlog?: number): DecisionRecord {
  return {
    at: new Date("2026-03-02T10:00:00Z"),
    ref: { cluster: "prod", service: "worker" },
    from,
    running: from,
    decision: {
      desiredCount: to,
      reason: to > from ? "ScaleOut" : "NoChange",
      explanation: "latency-aware: 40 messages, 0.5/s per task",
      history: { recommendations: [], scaleEvents: [], failures: 0 },
    } as unknown as DecisionRecord["decision"],
    ...(backlog !== undefined ? { backlog } : {}),
    applied: to !== from,
    dryRun: false,
  };
}

/** The sink Powertools would run in a function, on fresh Logger and Metrics. */
const newSink = () => new PowertoolsSink(new Logger({ serviceName: "ecs-autoscaler" }), new Metrics({ namespace: "EcsAutoscaler", serviceName: "ecs-autoscaler" }));

/** The EMF lines the sink prints for a failure of `stage`, raw. */
function failureEmfLines(stage: string): string[] {
  const out = captureOutputOf(() => newSink().failure({ cluster: "prod", service: "worker" }, stage, { kind: "throttled", message: "Rate exceeded" }));
  return out.raw().filter((l) => l.includes('"_aws"'));
}

afterEach(() => vi.restoreAllMocks());

describe("the telemetry model against the Powertools sink", () => {
  it.each(["describe", "state"])("a %s failure: the modelled document, bytes within 10 %%", (stage) => {
    const lines = failureEmfLines(stage);
    const doc = failureDocument(stage);
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const [k, v] of Object.entries(doc.dimensions)) expect(parsed[k]).toBe(v);
    for (const [k, v] of Object.entries(doc.metrics)) expect(parsed[k]).toBe(v);
    const aws = parsed._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: unknown[] }[] };
    expect(aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual(["service", ...Object.keys(doc.dimensions)].sort());
    const modelled = emfBytes(doc, "EcsAutoscaler", "ecs-autoscaler");
    expect(Math.abs(modelled - (lines[0]!.length + 1)) / (lines[0]!.length + 1)).toBeLessThan(0.1);
  });
});

/** What the sink prints for `records`, in order. */
function printed(records: DecisionRecord[]): Captured {
  const sink = newSink();
  return captureOutputOf(() => {
    for (const r of records) sink.decision(r);
  });
}

const at = (iso: string, r: DecisionRecord, service = "worker"): DecisionRecord => ({ ...r, at: new Date(iso), ref: { cluster: "prod", service } });

describe("a service's counts go to its log lines, not to a custom metric per service", () => {
  it("a decision, changed or not, prints no EMF document (no custom metric per service or per reason)", () => {
    expect(printed([record(2, 5, 40), record(3, 3), record(4, 1, 0)]).emf()).toEqual([]);
  });

  it.each([
    { name: "the first unchanged decision is the minute's state line", at: ["10:00:05"], changes: [false], info: [true] },
    { name: "a second unchanged decision in the same minute is not", at: ["10:00:05", "10:00:55"], changes: [false, false], info: [true, false] },
    { name: "the next clock minute gets a state line again", at: ["10:00:55", "10:01:05"], changes: [false, false], info: [true, true] },
    { name: "a change is always logged, and counts as the minute's line", at: ["10:00:05", "10:00:15", "10:00:25"], changes: [true, true, false], info: [true, true, false] },
  ])("$name", ({ at: times, changes, info }) => {
    const schedule = new InfoLineSchedule();
    const taken = times.map((t, i) => schedule.take(at(`2026-03-02T${t}Z`, changes[i] ? record(2, 3) : record(3, 3))));
    expect(taken).toEqual(info);
  });

  it("each service has its own state line", () => {
    const schedule = new InfoLineSchedule();
    const r = record(3, 3);
    expect([schedule.take(at("2026-03-02T10:00:05Z", r, "a")), schedule.take(at("2026-03-02T10:00:06Z", r, "b"))]).toEqual([true, true]);
  });

  it("the Powertools sink prints the state line at INFO once a minute, with the counts the dashboard charts", () => {
    const logs = printed([at("2026-03-02T10:00:05Z", record(3, 3, 12)), at("2026-03-02T10:00:15Z", record(3, 3, 12))]).logs();
    const info = logs.filter((l) => l.level === "INFO");
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ message: STATE_LINE_MESSAGE, ecsService: "prod/worker", to: 3, running: 3, backlog: 12 });
  });
});
