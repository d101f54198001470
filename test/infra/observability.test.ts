/**
 * The dashboard and the alarms read exactly what the functions emit: the real PowertoolsSink (real
 * Powertools Logger and Metrics, EMF captured from stdout) publishes a decision, a failure and a
 * crash-loop trip, and every metric the generated alarms and dashboard name must be one of the
 * emitted (namespace, name, dimensions) combinations (a Metrics Insights alarm: its metric over exactly the dimension names). The Spot fallback metric filter must match the
 * emitted decision line.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { METRIC, PowertoolsSink } from "../../functions/lib/powertools-sink.ts";
import { dashboardBody, RUNTIME_METRICS, serviceAlarms } from "../../infra/lib/observability.ts";
import { type DeployPlan, planDeployment } from "../../infra/lib/plan.ts";
import { checkConfig } from "../../shared/config/index.ts";
import type { Decision } from "../../shared/engine/types.ts";

interface Emitted {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l.trim() !== ""),
    );
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const json = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

/** The (namespace, metric, dimensions) combinations in the captured EMF documents. */
function emitted(): Emitted[] {
  return json()
    .filter((d) => "_aws" in d)
    .flatMap((d) => {
      const aws = d._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
      return aws.CloudWatchMetrics.flatMap((cw) =>
        cw.Dimensions.flatMap((set) => cw.Metrics.map((m) => ({ namespace: cw.Namespace, name: m.Name, dimensions: Object.fromEntries(set.map((k) => [k, String(d[k])])) }))),
      );
    });
}

function plan(): DeployPlan {
  const checked = checkConfig({
    services: [
      {
        cluster: "prod",
        service: "worker",
        policy: { maxTasks: 10, triggers: [{ type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" }] },
        spotFallback: { onDemandService: "worker-od" },
      },
    ],
  });
  const planned = planDeployment(checked.config!);
  return planned.plan!;
}

/** Emits what a real pass and event handler would, through the runtime's own sink. */
function emitThroughTheSink(): void {
  // The environment serverless.yml gives the functions.
  const sink = new PowertoolsSink(
    new Logger({ serviceName: RUNTIME_METRICS.powertoolsService }),
    new Metrics({ serviceName: RUNTIME_METRICS.powertoolsService, namespace: RUNTIME_METRICS.namespace }),
  );
  const decision = { desiredCount: 6, reason: "ScaleUp", explanation: "backlog 60 at 10 per task → 6", proposals: [], history: {} } as unknown as Decision;
  sink.decision({
    at: new Date("2026-03-02T12:00:00Z"),
    ref: { cluster: "prod", service: "worker" },
    from: 4,
    running: 4,
    decision,
    backlog: 60,
    applied: true,
    dryRun: false,
    split: { spot: 4, onDemand: 2, onDemandService: "worker-od", fromSpot: 4, fromOnDemand: 0 },
  });
  sink.failure({ cluster: "prod", service: "worker" }, "read", { kind: "throttled", message: "ThrottlingException: Rate exceeded" });
  sink.crashLoopTripped("prod/worker", []);
  sink.count(METRIC.malformedEvents); // as functions/*/invocation.ts count a dropped event
}

const same = (a: Emitted, b: Emitted) =>
  a.namespace === b.namespace && a.name === b.name && JSON.stringify(Object.entries(a.dimensions).sort()) === JSON.stringify(Object.entries(b.dimensions).sort());

describe("alarms and dashboard read what the runtime emits", () => {
  it("every Metrics Insights alarm queries an emitted metric over exactly its dimension names", () => {
    emitThroughTheSink();
    const published = emitted();
    const alarms = Object.values(serviceAlarms(plan(), [])) as { Type: string; Properties: { Metrics?: { Expression: string }[] } }[];
    const queries = alarms.flatMap((a) => a.Properties.Metrics?.map((m) => m.Expression) ?? []).filter((q) => !q.includes(RUNTIME_METRICS.spotOnDemandTasks));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      const [, name, namespace, dims] = query.match(/^SELECT \w+\((\w+)\) FROM SCHEMA\("([^"]+)", ([^)]+)\)$/)!;
      const wantedKeys = JSON.stringify(dims!.split(", ").sort());
      expect(
        published.some((p) => p.namespace === namespace && p.name === name && JSON.stringify(Object.keys(p.dimensions).sort()) === wantedKeys),
        query,
      ).toBe(true);
    }
  });

  it("every per-service dashboard metric is an emitted combination, and each SEARCH names an emitted dimension set", () => {
    emitThroughTheSink();
    const published = emitted();
    const body = JSON.parse(dashboardBody(plan(), { dryRun: false })["Fn::Sub"]) as { widgets: { properties: { metrics?: unknown[][] } }[] };
    const metrics = body.widgets.flatMap((w) => w.properties.metrics ?? []);
    const emf = metrics.filter((m) => m[0] === RUNTIME_METRICS.namespace && m[1] !== RUNTIME_METRICS.spotOnDemandTasks);
    expect(emf.length).toBeGreaterThan(0);
    for (const m of emf) {
      const [namespace, name, ...rest] = m as [string, string, ...unknown[]];
      const pairs = rest.filter((x) => typeof x === "string") as string[];
      const dimensions = Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i]!, pairs[i + 1]!]] : [])));
      expect(
        published.some((p) => same(p, { namespace, name, dimensions })),
        JSON.stringify(m),
      ).toBe(true);
    }
    const searches = metrics.flatMap((m) => m.map((x) => (x as { expression?: string }).expression)).filter((e): e is string => e?.startsWith("SEARCH(") ?? false);
    for (const expression of searches) {
      const [, dims, name] = expression.match(/SEARCH\('\{[^,]+,([^}]+)\} MetricName="([^"]+)"/)!;
      if (name === RUNTIME_METRICS.spotOnDemandTasks) continue;
      const wantedKeys = dims!.split(",").sort();
      expect(
        published.some((p) => p.name === name && JSON.stringify(Object.keys(p.dimensions).sort()) === JSON.stringify(wantedKeys)),
        expression,
      ).toBe(true);
    }
  });

  it("the Spot fallback metric filter finds its value and dimension in the emitted decision line", () => {
    emitThroughTheSink();
    const line = json().find((l) => typeof l.message === "string" && l.message.startsWith("scaling decision"))!;
    const filter = Object.values(serviceAlarms(plan(), [])).find((r) => (r as { Type: string }).Type === "AWS::Logs::MetricFilter") as {
      Properties: { FilterPattern: string; MetricTransformations: { MetricValue: string; Dimensions: { Value: string }[] }[] };
    };
    const at = (path: string) =>
      path
        .replace(/^\$\./, "")
        .split(".")
        .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], line);
    const [transform] = filter.Properties.MetricTransformations;
    expect(filter.Properties.FilterPattern).toBe("{ $.split.onDemand >= 0 }");
    expect(at(transform!.MetricValue)).toBe(2);
    expect(at(transform!.Dimensions[0]!.Value)).toBe("prod/worker");
  });

  it("the decision log query's fields are the decision line's keys", () => {
    emitThroughTheSink();
    const line = json().find((l) => typeof l.message === "string" && l.message.startsWith("scaling decision"))!;
    for (const field of ["ecsService", "from", "to", "reason", "explanation", "running", "backlog", "applied", "dryRun"]) expect(line).toHaveProperty(field);
  });
});
