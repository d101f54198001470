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
 * configured service ($0.30 a month each, prorated by the hours it is published); the others are
 * shared by the deployment. Only the rare crash-loop trip carries it. A decision publishes no metric
 * at all: its counts and reason go to its log lines ({@link stateLineDue}), which cost cents, where
 * three gauges per service cost $0.90 a month and a decision count per reason $0.30 per reason.
 */
export const SERVICE_DIMENSION = "Service";

/** How often an unchanged service gets a state line: the dashboard's per-minute resolution. */
export const STATE_LINE_INTERVAL_MS = 60_000;

/**
 * Whether a decision that changes nothing is logged at INFO as the service's state line: once per
 * {@link STATE_LINE_INTERVAL_MS} (clock minute) per service, so the dashboard can chart desired,
 * running and backlog from the log without a custom metric per service. `lastLoggedAt` is the time
 * of the service's latest INFO line (a change or a state line), epoch ms.
 */
export function stateLineDue(lastLoggedAt: number | undefined, at: Date): boolean {
  if (lastLoggedAt === undefined) return true;
  return (
    Math.floor(at.getTime() / STATE_LINE_INTERVAL_MS) !== Math.floor(lastLoggedAt / STATE_LINE_INTERVAL_MS)
  );
}

/** The message of a decision's INFO line: a change (as applied or in dry run), or the minute's state line. */
export function decisionMessage(record: DecisionRecord): string {
  if (!decisionChanges(record)) return STATE_LINE_MESSAGE;
  return record.dryRun ? "scaling decision (dry run: not applied)" : "scaling decision";
}

/** The message of an unchanged service's once-a-minute line (the dashboard's per-service query filters on it). */
export const STATE_LINE_MESSAGE = "service state";

/**
 * Which of a run's decisions get an INFO line: every change, and an unchanged service once a minute.
 * One per sink (a Lambda container, a simulated run); it remembers each service's latest INFO line.
 */
export class InfoLineSchedule {
  private readonly lastAt = new Map<string, number>();

  /** Whether `record` is logged at INFO; if so, remembers it as the service's latest line. */
  take(record: DecisionRecord): boolean {
    const key = recordKey(record.ref);
    if (!decisionChanges(record) && !stateLineDue(this.lastAt.get(key), record.at)) return false;
    this.lastAt.set(key, record.at.getTime());
    return true;
  }
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
