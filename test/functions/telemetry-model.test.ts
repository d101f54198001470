/**
 * The simulator counts the own bill's custom metrics and log bytes from shared/runtime/telemetry.ts:
 * the Powertools sink must publish exactly those documents, at about the bytes the model says.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PowertoolsSink } from "../../functions/lib/powertools-sink.ts";
import type { DecisionRecord } from "../../shared/ports/decision-sink.ts";
import { decisionDocuments, emfBytes } from "../../shared/runtime/telemetry.ts";

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

/** The EMF lines the sink prints for `r`, raw. */
function emfLines(r: DecisionRecord): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l.includes('"_aws"')),
    );
    return true;
  });
  try {
    const sink = new PowertoolsSink(new Logger({ serviceName: "ecs-autoscaler" }), new Metrics({ namespace: "EcsAutoscaler", serviceName: "ecs-autoscaler" }));
    sink.decision(r);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("the telemetry model against the Powertools sink", () => {
  it.each([
    { name: "a scale-out with a backlog", r: record(2, 5, 40) },
    { name: "an unchanged count without a backlog", r: record(3, 3) },
  ])("$name: the same documents, bytes within 10 %", ({ r }) => {
    const lines = emfLines(r);
    const docs = decisionDocuments(r);
    expect(lines).toHaveLength(docs.length);
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const doc = docs[i]!;
      for (const [k, v] of Object.entries(doc.dimensions)) expect(parsed[k]).toBe(v);
      for (const [k, v] of Object.entries(doc.metrics)) expect(parsed[k]).toBe(v);
      const aws = parsed._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: unknown[] }[] };
      expect(aws.CloudWatchMetrics[0]!.Dimensions[0]!.sort()).toEqual(["service", ...Object.keys(doc.dimensions)].sort());
      expect(aws.CloudWatchMetrics[0]!.Metrics).toHaveLength(Object.keys(doc.metrics).length);
      const modelled = emfBytes(doc, "EcsAutoscaler", "ecs-autoscaler");
      expect(Math.abs(modelled - (line.length + 1)) / (line.length + 1)).toBeLessThan(0.1);
    });
  });
});
