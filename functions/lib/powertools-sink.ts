/**
 * The DecisionSink on AWS: Powertools Logger (one structured JSON line per decision that changes a
 * count; unchanged ones at debug level) and Powertools Metrics (CloudWatch EMF: desired, running and
 * backlog per service, decisions by reason, failures by stage). Also the few event-handling signals
 * the functions report (crash-loop guard, malformed and ignored events).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DecisionRecord, DecisionSink } from "../../shared/ports/decision-sink.ts";
import type { PortFailure } from "../../shared/ports/failure.ts";
import type { ServiceRef } from "../../shared/ports/services.ts";
import { METRIC, type MetricName } from "../../shared/runtime/metric-names.ts";
import { recordKey } from "../../shared/runtime/service-index.ts";

export { METRIC };

/** Logs and counts decisions and failures. */
export class PowertoolsSink implements DecisionSink {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  decision(record: DecisionRecord): void {
    const ecsService = recordKey(record.ref);
    const reason = record.guard ?? record.decision.reason;
    const changed =
      record.decision.desiredCount !== record.from ||
      (record.split !== undefined && splitChanged(record.split));
    // `ecsService`, not `service`: Powertools' own `service` key (POWERTOOLS_SERVICE_NAME) would overwrite it.
    const line = {
      ecsService,
      from: record.from,
      to: record.decision.desiredCount,
      reason,
      explanation: record.decision.explanation,
      running: record.running,
      ...(record.backlog !== undefined ? { backlog: record.backlog } : {}),
      applied: record.applied,
      dryRun: record.dryRun,
      ...(record.guard ? { engineReason: record.decision.reason } : {}),
      ...(record.split ? { split: record.split } : {}),
    };
    if (changed)
      this.logger.info(record.dryRun ? "scaling decision (dry run: not applied)" : "scaling decision", line);
    else this.logger.debug("no change", line);

    if (record.crashLoop === "cleared") this.logger.info("crash-loop guard cleared", { ecsService });
    if (record.crashLoop === "tripped") this.crashLoopTripped(ecsService, []);

    this.emit({ Service: ecsService }, (m) => {
      m.addMetric(METRIC.desired, MetricUnit.Count, record.decision.desiredCount);
      m.addMetric(METRIC.running, MetricUnit.Count, record.running);
      if (record.backlog !== undefined) m.addMetric(METRIC.backlog, MetricUnit.Count, record.backlog);
    });
    this.emit({ Reason: reason }, (m) => m.addMetric(METRIC.decisions, MetricUnit.Count, 1));
  }

  failure(ref: ServiceRef, stage: string, failure: PortFailure): void {
    this.logger.error("service evaluation failed", {
      ecsService: recordKey(ref),
      stage,
      error: failure.message,
    });
    this.emit({ Stage: stage }, (m) => m.addMetric(METRIC.failures, MetricUnit.Count, 1));
  }

  /** The alarm-worthy line and metric of a tripped crash-loop guard (infra alarms on the metric). */
  crashLoopTripped(ecsService: string, effects: readonly string[]): void {
    this.logger.error(
      "crash-loop guard tripped: scale-up capped at running tasks + margin until tasks start cleanly",
      {
        ecsService,
        ...(effects.length > 0 ? { effects } : {}),
      },
    );
    this.emit({ Service: ecsService }, (m) => m.addMetric(METRIC.crashLoopTripped, MetricUnit.Count, 1));
  }

  /** Counts one event-handling signal (no per-service dimension: these are rare and alarmed on as a whole). */
  count(name: MetricName, dimensions: Record<string, string> = {}): void {
    this.emit(dimensions, (m) => m.addMetric(name, MetricUnit.Count, 1));
  }

  /** One EMF document with its own dimensions, published at once so dimensions of different services never mix. */
  private emit(dimensions: Record<string, string>, add: (metrics: Metrics) => void): void {
    this.metrics.addDimensions(dimensions);
    add(this.metrics);
    this.metrics.publishStoredMetrics();
  }
}

function splitChanged(split: NonNullable<DecisionRecord["split"]>): boolean {
  return split.spot !== split.fromSpot || split.onDemand !== split.fromOnDemand;
}
