/**
 * The counter behind the ports' usage meter (shared/ports/usage.ts, implemented here structurally:
 * this layer imports nothing): calls per API, DynamoDB capacity units from item sizes, metrics
 * requested, distinct custom metrics, log bytes. {@link UsageCounter.usage} turns the counts into a
 * {@link Usage} for the bill.
 */
import { emptyUsage, readUnits, type Usage, writeUnits } from "./own-bill.ts";

/** What one counter saw, as plain numbers (for JSON output). */
export interface UsageCounts {
  /** Calls per AWS API (`service:Action`). */
  calls: Record<string, number>;
  getMetricDataMetrics: number;
  dynamodbReadUnits: number;
  dynamodbWriteUnits: number;
  /** The largest state item read or written, bytes as DynamoDB sizes it (dedupe records apart). */
  stateItemBytesMax: number;
  /** The largest dedupe record read or written, bytes. */
  dedupeItemBytesMax: number;
  /** Distinct custom metrics (namespace, name, dimensions) published. */
  customMetrics: number;
  logBytes: number;
}

/** Counts what the ports report; one counter per run (or per invocation). */
export class UsageCounter {
  readonly calls: Record<string, number> = {};
  getMetricDataMetrics = 0;
  dynamodbReadUnits = 0;
  dynamodbWriteUnits = 0;
  stateItemBytesMax = 0;
  dedupeItemBytesMax = 0;
  logBytesTotal = 0;
  private readonly metricIdentities = new Set<string>();

  call(api: string): void {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
  }

  metricsRequested(count: number): void {
    this.getMetricDataMetrics += count;
  }

  itemRead(bytes: number, consistent: boolean, item: "state" | "dedupe"): void {
    this.dynamodbReadUnits += readUnits(bytes, consistent);
    this.noteSize(bytes, item);
  }

  itemWritten(bytes: number, item: "state" | "dedupe"): void {
    this.dynamodbWriteUnits += writeUnits(bytes);
    this.noteSize(bytes, item);
  }

  private noteSize(bytes: number, item: "state" | "dedupe"): void {
    if (item === "state") this.stateItemBytesMax = Math.max(this.stateItemBytesMax, bytes);
    else this.dedupeItemBytesMax = Math.max(this.dedupeItemBytesMax, bytes);
  }

  customMetric(identity: string): void {
    this.metricIdentities.add(identity);
  }

  logBytes(bytes: number): void {
    this.logBytesTotal += bytes;
  }

  /** Calls of every API of one AWS service (`sqs`, `ecs`, …). */
  callsOf(service: string): number {
    let n = 0;
    for (const [api, count] of Object.entries(this.calls)) if (api.startsWith(`${service}:`)) n += count;
    return n;
  }

  /** The counts so far, and a fresh start (a Lambda container reports each invocation's own). */
  drain(): UsageCounts {
    const counts = this.counts();
    for (const api of Object.keys(this.calls)) delete this.calls[api];
    this.getMetricDataMetrics = 0;
    this.dynamodbReadUnits = 0;
    this.dynamodbWriteUnits = 0;
    this.stateItemBytesMax = 0;
    this.dedupeItemBytesMax = 0;
    this.logBytesTotal = 0;
    this.metricIdentities.clear();
    return counts;
  }

  /** The counts as plain numbers. */
  counts(): UsageCounts {
    return {
      calls: { ...this.calls },
      getMetricDataMetrics: this.getMetricDataMetrics,
      dynamodbReadUnits: this.dynamodbReadUnits,
      dynamodbWriteUnits: this.dynamodbWriteUnits,
      stateItemBytesMax: this.stateItemBytesMax,
      dedupeItemBytesMax: this.dedupeItemBytesMax,
      customMetrics: this.metricIdentities.size,
      logBytes: this.logBytesTotal,
    };
  }

  /**
   * The counts as a {@link Usage} over `seconds` (the state table's stored bytes: one item of the
   * largest size seen). Lambda time, scheduler ticks, alarms and dashboards are not port calls: the
   * caller adds them (see lambda-model.ts).
   */
  usage(seconds: number): Usage {
    return {
      ...emptyUsage(seconds),
      dynamodbReadUnits: this.dynamodbReadUnits,
      dynamodbWriteUnits: this.dynamodbWriteUnits,
      dynamodbStoredBytes: this.stateItemBytesMax,
      getMetricDataMetrics: this.getMetricDataMetrics,
      customMetrics: this.metricIdentities.size,
      logBytes: this.logBytesTotal,
      sqsRequests: this.callsOf("sqs"),
      ecsApiCalls: this.callsOf("ecs"),
    };
  }
}
