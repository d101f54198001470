/**
 * The DecisionSink on AWS: Powertools Logger (one structured JSON line per decision that changes a
 * count, and one "service state" line a minute per unchanged service, which the dashboard charts;
 * other unchanged ones at debug level) and Powertools Metrics (CloudWatch EMF: failures by stage;
 * a decision publishes no metric, its reason is in its line). Also the few event-handling signals the functions report (crash-loop guard,
 * malformed and ignored events).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DecisionRecord, DecisionSink } from "../../shared/ports/decision-sink.ts";
import type { PortFailure } from "../../shared/ports/failure.ts";
import type { ServiceRef } from "../../shared/ports/services.ts";
import { METRIC, type MetricName } from "../../shared/runtime/metric-names.ts";
import { recordKey } from "../../shared/runtime/service-index.ts";
import {
  decisionLogFields,
  decisionMessage,
  type EmfDocument,
  failureDocument,
  InfoLineSchedule,
} from "../../shared/runtime/telemetry.ts";

export { METRIC };

/** Logs and counts decisions and failures. */
export class PowertoolsSink implements DecisionSink {
  private readonly infoLines = new InfoLineSchedule();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  decision(record: DecisionRecord): void {
    const line = decisionLogFields(record);
    if (this.infoLines.take(record)) this.logger.info(decisionMessage(record), line);
    else this.logger.debug("no change", line);

    const ecsService = recordKey(record.ref);
    if (record.crashLoop === "cleared") this.logger.info("crash-loop guard cleared", { ecsService });
    if (record.crashLoop === "tripped") this.crashLoopTripped(ecsService, []);
  }

  failure(ref: ServiceRef, stage: string, failure: PortFailure): void {
    this.logger.error("service evaluation failed", {
      ecsService: recordKey(ref),
      stage,
      error: failure.message,
    });
    this.publish(failureDocument(stage));
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

  /** A value of a deployment-wide metric (no per-service dimension), such as services a pass left undecided. */
  value(name: MetricName, value: number): void {
    this.emit({}, (m) => m.addMetric(name, MetricUnit.Count, value));
  }

  /** One of the runtime's EMF documents (shared/runtime/telemetry.ts), as counts. */
  private publish(doc: EmfDocument): void {
    this.emit(doc.dimensions, (m) => {
      for (const [name, value] of Object.entries(doc.metrics)) m.addMetric(name, MetricUnit.Count, value);
    });
  }

  /** One EMF document with its own dimensions, published at once so dimensions of different services never mix. */
  private emit(dimensions: Record<string, string>, add: (metrics: Metrics) => void): void {
    this.metrics.addDimensions(dimensions);
    add(this.metrics);
    this.metrics.publishStoredMetrics();
  }
}
