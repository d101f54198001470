/**
 * The runtime's ports, implemented over a {@link World} in virtual time, so the simulator drives the same
 * `runEvaluationPass` and `handleEcsEvent` the Lambda functions run. One small adapter per port.
 */
import type { Clock } from "../ports/clock.ts";
import type { DecisionRecord, DecisionSink } from "../ports/decision-sink.ts";
import type { PortFailure } from "../ports/failure.ts";
import type { MetricReading, MetricRequest, MetricsPort } from "../ports/metrics.ts";
import type { QueueDepth, QueuesPort } from "../ports/queues.ts";
import type { DescribeResult, ServiceRef, ServicesPort } from "../ports/services.ts";
import type { SaveResult, ServiceRecord, StateStore } from "../ports/state-store.ts";
import type { Statistic } from "./cloudwatch.ts";
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

/** ServicesPort: DescribeServices and UpdateService on the simulated service. */
export class SimServices implements ServicesPort {
  constructor(
    private readonly world: World,
    private readonly target: SimTarget,
  ) {}

  async describe(refs: readonly ServiceRef[]): Promise<DescribeResult> {
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
  ) {}

  async depth(queueUrl: string): Promise<QueueDepth> {
    if (queueUrl !== this.target.queueUrl) throw new Error(`QueueDoesNotExist: ${queueUrl} is not simulated`);
    return this.world.approximateDepth();
  }
}

const statistics: readonly string[] = ["Sum", "Average", "Maximum", "Minimum", "SampleCount"];

/** MetricsPort: the latest published datapoint of each simulated CloudWatch metric. */
export class SimMetrics implements MetricsPort {
  constructor(private readonly world: World) {}

  async latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>> {
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
      // CloudWatch stamps a datapoint with the start of its period.
      readings.set(
        id,
        found ? { value: found.value, at: this.world.date(found.minute * 60) } : { error: "no datapoints" },
      );
    }
    return readings;
  }
}

/** StateStore in memory, with the same conditional-write rule as the DynamoDB adapter. */
export class MemoryStateStore implements StateStore {
  // The stored version beside the JSON, so the conditional write need not parse the stored record.
  private readonly records = new Map<string, { version: number; json: string }>();

  async load(key: string): Promise<ServiceRecord | undefined> {
    const stored = this.records.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored.json) as ServiceRecord);
  }

  /** Puts a record in place before a run (the autoscaler "has been running"); version 1. */
  seed(record: Omit<ServiceRecord, "version">): void {
    this.records.set(record.key, { version: 1, json: JSON.stringify({ ...record, version: 1 }) });
  }

  async save(record: ServiceRecord): Promise<SaveResult> {
    const version = this.records.get(record.key)?.version ?? 0;
    if (version !== record.version) return "conflict";
    const next = record.version + 1;
    this.records.set(record.key, { version: next, json: JSON.stringify({ ...record, version: next }) });
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

/** DecisionSink that keeps every decision and failure of the run. */
export class RecordingSink implements DecisionSink {
  readonly decisions: DecisionRecord[] = [];
  readonly failures: { ref: ServiceRef; stage: string; failure: PortFailure }[] = [];

  constructor(private readonly keepDecisions = false) {}

  decision(record: DecisionRecord): void {
    if (this.keepDecisions) this.decisions.push(record);
  }

  failure(ref: ServiceRef, stage: string, failure: PortFailure): void {
    this.failures.push({ ref, stage, failure });
  }
}
