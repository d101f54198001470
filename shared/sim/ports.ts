/**
 * The runtime's ports, implemented over a {@link World} in virtual time, so the simulator drives the same
 * `runEvaluationPass` and `handleEcsEvent` the Lambda functions run. One small adapter per port.
 */

import { attributeBytes } from "../cost/item-size.ts";
import type { Clock } from "../ports/clock.ts";
import type { DecisionRecord, DecisionSink } from "../ports/decision-sink.ts";
import type { PortFailure } from "../ports/failure.ts";
import type {
  MetricReading,
  MetricRequest,
  MetricSeries,
  MetricSeriesRequest,
  MetricsPort,
} from "../ports/metrics.ts";
import type { QueueDepth, QueuesPort } from "../ports/queues.ts";
import type { DescribeResult, ServiceRef, ServicesPort } from "../ports/services.ts";
import {
  isDedupeRecordKey,
  type LoadResult,
  type ReadOptions,
  type SaveResult,
  type ServiceRecord,
  STRONG_READ,
  type StateStore,
} from "../ports/state-store.ts";
import type { UsageMeter } from "../ports/usage.ts";
import {
  decisionLogFields,
  type EmfDocument,
  emfBytes,
  failureDocument,
  InfoLineSchedule,
  LOG_LINE_OVERHEAD_BYTES,
  metricIdentities,
  SERVICE_DIMENSION,
} from "../runtime/telemetry.ts";
import type { Statistic } from "./cloudwatch.ts";
import { jsonCopy } from "./json-copy.ts";
import type { World } from "./world.ts";

/** The one simulated service and queue. */
export interface SimTarget {
  cluster: string;
  service: string;
  queueUrl: string;
}

/** The service and queue every simulation uses. */
export const simTarget: SimTarget = {
  cluster: "sim",
  service: "worker",
  queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/sim-queue",
};

function sameService(a: ServiceRef, b: ServiceRef): boolean {
  return a.cluster === b.cluster && a.service === b.service;
}

/** A meter that counts nothing, for ports built without one. */
const noMeter: UsageMeter = {
  call() {},
  metricsRequested() {},
  itemRead() {},
  itemWritten() {},
  customMetric() {},
  logBytes() {},
};

/** DescribeServices calls for `refs`: one per cluster per 10 services, as the ECS adapter batches. */
function describeCalls(refs: readonly ServiceRef[]): number {
  const perCluster = new Map<string, Set<string>>();
  for (const ref of refs) {
    const services = perCluster.get(ref.cluster) ?? new Set<string>();
    services.add(ref.service);
    perCluster.set(ref.cluster, services);
  }
  let calls = 0;
  for (const services of perCluster.values()) calls += Math.ceil(services.size / 10);
  return calls;
}

/** ServicesPort: DescribeServices and UpdateService on the simulated service. */
export class SimServices implements ServicesPort {
  constructor(
    private readonly world: World,
    private readonly target: SimTarget,
    private readonly meter: UsageMeter = noMeter,
  ) {}

  async describe(refs: readonly ServiceRef[]): Promise<DescribeResult> {
    for (let i = describeCalls(refs); i > 0; i--) this.meter.call("ecs:DescribeServices");
    const result: DescribeResult = { services: [], failures: [] };
    for (const ref of refs) {
      if (sameService(ref, this.target)) {
        result.services.push({
          cluster: ref.cluster,
          service: ref.service,
          ...this.world.describe(),
          deploymentInProgress: false,
        });
      } else {
        result.failures.push({ ref, failure: { kind: "notFound", message: "MISSING" }, callFailed: false });
      }
    }
    return result;
  }

  async setDesiredCount(ref: ServiceRef, desiredCount: number): Promise<void> {
    this.meter.call("ecs:UpdateService");
    if (!sameService(ref, this.target))
      throw new Error(`ServiceNotFoundException: ${ref.cluster}/${ref.service} is not simulated`);
    this.world.setDesiredCount(desiredCount);
  }
}

/** QueuesPort: GetQueueAttributes, approximate and a few seconds stale. */
export class SimQueues implements QueuesPort {
  constructor(
    private readonly world: World,
    private readonly target: SimTarget,
    private readonly meter: UsageMeter = noMeter,
  ) {}

  async depth(queueUrl: string): Promise<QueueDepth> {
    this.meter.call("sqs:GetQueueAttributes");
    if (queueUrl !== this.target.queueUrl) throw new Error(`QueueDoesNotExist: ${queueUrl} is not simulated`);
    return this.world.approximateDepth();
  }
}

/** Keys per BatchGetItem call, as DynamoDB allows (100). */
const BATCH_GET_KEYS = 100;

const statistics: readonly string[] = ["Sum", "Average", "Maximum", "Minimum", "SampleCount"];

/** MetricsPort: the published datapoints of each simulated CloudWatch metric (the latest, or a series). */
export class SimMetrics implements MetricsPort {
  constructor(
    private readonly world: World,
    private readonly meter: UsageMeter = noMeter,
  ) {}

  async latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>> {
    // As the CloudWatch adapter calls it: at most 500 queries per GetMetricData call.
    for (let i = 0; i < requests.length; i += 500) this.meter.call("cloudwatch:GetMetricData");
    this.meter.metricsRequested(requests.length);
    const at = (now.getTime() - this.world.date(0).getTime()) / 1000;
    const readings = new Map<string, MetricReading>();
    for (const { id, query: metric } of requests) {
      if (metric.kind !== "stat") {
        readings.set(id, { error: "metric math expressions are not simulated" });
        continue;
      }
      if (!statistics.includes(metric.stat)) {
        readings.set(id, { error: `statistic ${metric.stat} is not simulated` });
        continue;
      }
      const found = this.world.cloudwatch.latest(
        `${metric.namespace}/${metric.name}`,
        metric.stat as Statistic,
        metric.periodSeconds,
        at,
      );
      // CloudWatch stamps a datapoint with the start of its period (a multi-minute one ends with `minute`).
      const start = found ? found.minute - Math.max(1, Math.round(metric.periodSeconds / 60)) + 1 : 0;
      readings.set(
        id,
        found ? { value: found.value, at: this.world.date(start * 60) } : { error: "no datapoints" },
      );
    }
    return readings;
  }

  /** Every published 60 s datapoint since each request's `since` (the simulated minutes are 60 s). */
  async series(requests: readonly MetricSeriesRequest[], now: Date): Promise<Map<string, MetricSeries>> {
    for (let i = 0; i < requests.length; i += 500) this.meter.call("cloudwatch:GetMetricData");
    this.meter.metricsRequested(requests.length);
    const at = (now.getTime() - this.world.date(0).getTime()) / 1000;
    const found = new Map<string, MetricSeries>();
    for (const { id, query, since } of requests) {
      if (query.kind !== "stat" || !statistics.includes(query.stat) || query.periodSeconds !== 60) {
        found.set(id, { error: "only 60 s statistics are simulated as series" });
        continue;
      }
      const name = `${query.namespace}/${query.name}`;
      const first = Math.max(0, Math.ceil((since.getTime() - this.world.date(0).getTime()) / 60_000));
      const points: { value: number; at: Date }[] = [];
      for (let minute = first; minute <= this.world.cloudwatch.latestMinute(at); minute++) {
        const value = this.world.cloudwatch.datapoint(name, query.stat as Statistic, 60, minute, at);
        if (value !== undefined) points.push({ value, at: this.world.date(minute * 60) });
      }
      found.set(id, { points });
    }
    return found;
  }
}

/** The size of a record's item as the DynamoDB adapter stores it (`pk`, the saved version, the fields). */
export function recordItemBytes(record: ServiceRecord, version = record.version): number {
  // Summed attribute by attribute rather than by building the item (every save sizes its record):
  // the fields but `key` and `version` (and a `pk`, which the item's own would replace), then those two.
  const fields = record as unknown as Record<string, unknown>;
  let bytes = attributeBytes("pk", record.key) + attributeBytes("version", version);
  for (const name of Object.keys(fields))
    if (name !== "key" && name !== "version" && name !== "pk") bytes += attributeBytes(name, fields[name]);
  return bytes;
}

/**
 * StateStore in memory, with the same conditional-write rule as the DynamoDB adapter, and its
 * capacity units counted as DynamoDB bills them (GetItem strongly or eventually consistent as asked; PutItem by the larger of
 * the old and new item, a failed condition included).
 */
export class MemoryStateStore implements StateStore {
  // Each record kept as its own copy (as JSON would store it, see json-copy.ts) beside its version.
  private readonly records = new Map<string, { version: number; record: ServiceRecord }>();
  private readonly sizes = new Map<string, number>();

  constructor(private readonly meter: UsageMeter = noMeter) {}

  async load(key: string, read: ReadOptions = STRONG_READ): Promise<ServiceRecord | undefined> {
    this.meter.call("dynamodb:GetItem");
    this.meter.itemRead(
      this.sizes.get(key) ?? 0,
      read.consistent,
      isDedupeRecordKey(key) ? "dedupe" : "state",
    );
    const stored = this.records.get(key);
    return stored === undefined ? undefined : jsonCopy(stored.record);
  }

  /** As the DynamoDB adapter's BatchGetItem: one call per 100 keys, each key billed as `read` says. */
  async loadMany(keys: readonly string[], read: ReadOptions = STRONG_READ): Promise<Map<string, LoadResult>> {
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) this.meter.call("dynamodb:BatchGetItem");
    const results = new Map<string, LoadResult>();
    for (const key of unique) {
      this.meter.itemRead(
        this.sizes.get(key) ?? 0,
        read.consistent,
        isDedupeRecordKey(key) ? "dedupe" : "state",
      );
      const stored = this.records.get(key);
      results.set(key, {
        ok: true,
        value: stored === undefined ? undefined : jsonCopy(stored.record),
      });
    }
    return results;
  }

  /** Puts a record in place before a run (the autoscaler "has been running"); version 1. */
  seed(record: Omit<ServiceRecord, "version">): void {
    this.records.set(record.key, { version: 1, record: jsonCopy({ ...record, version: 1 }) });
    this.sizes.set(record.key, recordItemBytes({ ...record, version: 1 }));
  }

  async save(record: ServiceRecord): Promise<SaveResult> {
    const version = this.records.get(record.key)?.version ?? 0;
    const bytes = recordItemBytes(record, record.version + 1);
    this.meter.call("dynamodb:PutItem");
    this.meter.itemWritten(
      Math.max(bytes, this.sizes.get(record.key) ?? 0),
      isDedupeRecordKey(record.key) ? "dedupe" : "state",
    );
    if (version !== record.version) return "conflict";
    const next = record.version + 1;
    this.records.set(record.key, { version: next, record: jsonCopy({ ...record, version: next }) });
    this.sizes.set(record.key, bytes);
    return "saved";
  }
}

/** Clock in virtual time: `sleep` resolves when the world reaches the wake-up time. */
export class VirtualClock implements Clock {
  constructor(private readonly world: World) {}

  now(): Date {
    return this.world.date();
  }

  sleep(ms: number): Promise<void> {
    return this.world.sleep(ms / 1000);
  }
}

/** Where the sink counts what the Lambda sink would publish: per-service metrics apart from the deployment's. */
export interface SinkMeters {
  /** Metrics with a per-service dimension, and every log byte (the service's decisions cause them). */
  service: UsageMeter;
  /** Metrics the deployment's services share (decisions by reason, failures by stage). */
  deployment: UsageMeter;
}

/** The namespace and Powertools service name the functions publish under (serverless.yml). */
export const simTelemetry = { namespace: "EcsAutoscaler", powertoolsService: "ecs-autoscaler" };

/**
 * DecisionSink that keeps every decision and failure of the run, and counts what the Lambda sink
 * would publish for them (shared/runtime/telemetry.ts): EMF metrics and their bytes, INFO log lines.
 */
export class RecordingSink implements DecisionSink {
  readonly decisions: DecisionRecord[] = [];
  readonly failures: { ref: ServiceRef; stage: string; failure: PortFailure }[] = [];
  private readonly infoLines = new InfoLineSchedule();

  constructor(
    private readonly keepDecisions = false,
    private readonly meters?: SinkMeters,
  ) {}

  decision(record: DecisionRecord): void {
    if (this.keepDecisions) this.decisions.push(record);
    if (!this.meters) return;
    if (this.infoLines.take(record)) this.logLine(decisionLogFields(record));
  }

  failure(ref: ServiceRef, stage: string, failure: PortFailure): void {
    this.failures.push({ ref, stage, failure });
    if (!this.meters) return;
    this.count(failureDocument(stage));
    this.logLine({ ecsService: `${ref.cluster}/${ref.service}`, stage, error: failure.message });
  }

  private count(doc: EmfDocument): void {
    const meters = this.meters!;
    const { namespace, powertoolsService } = simTelemetry;
    const meter = SERVICE_DIMENSION in doc.dimensions ? meters.service : meters.deployment;
    for (const identity of metricIdentities(doc, namespace, powertoolsService)) meter.customMetric(identity);
    meters.service.logBytes(emfBytes(doc, namespace, powertoolsService));
  }

  private logLine(fields: Record<string, unknown>): void {
    this.meters!.service.logBytes(JSON.stringify(fields).length + LOG_LINE_OVERHEAD_BYTES);
  }
}
