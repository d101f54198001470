/**
 * What the Lambda sink publishes for a decision or a failure, platform-neutral: the EMF documents
 * (dimensions and metrics, CloudWatch custom metrics) and the log line of a decision. The Powertools
 * sink (functions/lib/powertools-sink.ts) emits exactly these; the simulator counts them for the
 * autoscaler's own bill (a custom metric is billed per distinct name + dimensions, a log by its bytes).
 */
import type { DecisionRecord } from "../ports/decision-sink.ts";
import { METRIC } from "./metric-names.ts";
import { recordKey } from "./service-index.ts";

/** One EMF document: its dimensions and its metrics (all of unit Count). */
export interface EmfDocument {
  dimensions: Record<string, string>;
  metrics: Record<string, number>;
}

/**
 * The dimension that makes a metric per service. Every metric carrying it is a custom metric per
 * configured service ($0.30 a month each); the others are shared by the deployment.
 */
export const SERVICE_DIMENSION = "Service";

/** The EMF documents of one decision: the per-service gauges, and the decision counted by reason. */
export function decisionDocuments(record: DecisionRecord): EmfDocument[] {
  const gauges: Record<string, number> = {
    [METRIC.desired]: record.decision.desiredCount,
    [METRIC.running]: record.running,
  };
  if (record.backlog !== undefined) gauges[METRIC.backlog] = record.backlog;
  return [
    { dimensions: { [SERVICE_DIMENSION]: recordKey(record.ref) }, metrics: gauges },
    { dimensions: { Reason: record.guard ?? record.decision.reason }, metrics: { [METRIC.decisions]: 1 } },
  ];
}

/** The EMF document of one failed stage. */
export function failureDocument(stage: string): EmfDocument {
  return { dimensions: { Stage: stage }, metrics: { [METRIC.failures]: 1 } };
}

/** Whether a decision changes a count (or the Spot split): only those are logged at INFO. */
export function decisionChanges(record: DecisionRecord): boolean {
  const split = record.split;
  return (
    record.decision.desiredCount !== record.from ||
    (split !== undefined && (split.spot !== split.fromSpot || split.onDemand !== split.fromOnDemand))
  );
}

/** The fields of a decision's log line. `ecsService`: Powertools' own `service` key would overwrite `service`. */
export function decisionLogFields(record: DecisionRecord): Record<string, unknown> {
  return {
    ecsService: recordKey(record.ref),
    from: record.from,
    to: record.decision.desiredCount,
    reason: record.guard ?? record.decision.reason,
    explanation: record.decision.explanation,
    running: record.running,
    ...(record.backlog !== undefined ? { backlog: record.backlog } : {}),
    applied: record.applied,
    dryRun: record.dryRun,
    ...(record.guard ? { engineReason: record.decision.reason } : {}),
    ...(record.split ? { split: record.split } : {}),
  };
}

/**
 * Bytes a log line or EMF document adds beyond its own fields: the keys Powertools writes on every
 * line (level, message, timestamp, service, cold_start, function_name, function_arn,
 * function_memory_size, function_request_id, sampling_rate, xray_trace_id), measured at about 330
 * bytes on a Lambda line; for EMF, the `_aws` directive's fixed part is counted in {@link emfBytes}.
 */
export const LOG_LINE_OVERHEAD_BYTES = 330;

const utf8 = new TextEncoder();

/** The bytes of one EMF document as Powertools Metrics writes it (namespace and its `service` dimension added). */
export function emfBytes(doc: EmfDocument, namespace: string, powertoolsService: string): number {
  const names = Object.keys(doc.metrics);
  const json = JSON.stringify({
    _aws: {
      Timestamp: 1_764_633_600_000,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [["service", ...Object.keys(doc.dimensions)]],
          Metrics: names.map((Name) => ({ Name, Unit: "Count" })),
        },
      ],
    },
    service: powertoolsService,
    ...doc.dimensions,
    ...doc.metrics,
  });
  return utf8.encode(json).length + 1;
}

/** The identity CloudWatch bills a custom metric by: namespace, name and every dimension. */
export function metricIdentities(doc: EmfDocument, namespace: string, powertoolsService: string): string[] {
  const dims = Object.entries({ service: powertoolsService, ...doc.dimensions })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return Object.keys(doc.metrics).map((name) => `${namespace}/${name}{${dims}}`);
}
