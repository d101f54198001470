/**
 * The runtime's unit tests run on in-memory ports: a small, explicit account the test sets up
 * (services with counts and deployments, queue depths, metric datapoints) and the simulator's
 * in-memory state store, with the same conditional-write rule as the DynamoDB adapter. Failures are
 * port-level ({@link PortFailure}), as the AWS adapters classify them (that classification is
 * tested against the SDK in test/aws).
 */
import { type Config, checkConfig } from "../../shared/config/config-file.ts";
import type { DecisionRecord, DecisionSink } from "../../shared/ports/decision-sink.ts";
import { PortError, type PortFailure } from "../../shared/ports/failure.ts";
import type { MetricQuery, MetricReading, MetricRequest, MetricSeries, MetricsPort } from "../../shared/ports/metrics.ts";
import type { QueueDepth, QueuesPort } from "../../shared/ports/queues.ts";
import type { DescribeResult, ServiceRef, ServicesPort } from "../../shared/ports/services.ts";
import type { SaveResult, ServiceRecord, StateStore } from "../../shared/ports/state-store.ts";
import type { EvaluationDeps } from "../../shared/runtime/evaluation-pass.ts";
import { MemoryStateStore } from "../../shared/sim/ports.ts";
import { type VirtualClock, virtualClock } from "../aws/virtual-clock.ts";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** A queue URL in the test account. */
export const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;

/** What the AWS adapters make of a throttled call. */
export const throttled = (): PortFailure => ({ kind: "throttled", message: "ThrottlingException: Rate exceeded" });
/** What the AWS adapters make of an HTTP 500. */
export const serverFault = (name = "InternalFailure"): PortFailure => ({
  kind: "transient",
  message: `${name} (HTTP 500): We encountered an internal error.`,
});

export interface ServiceState {
  desired: number;
  running: number;
  pending: number;
  /** A rolling deployment in progress. */
  deploying?: boolean;
  status?: "ACTIVE" | "DRAINING" | "INACTIVE";
}

export interface FailureRecord {
  ref: ServiceRef;
  stage: string;
  failure: PortFailure;
}

/** A sink that keeps what it is told, for assertions (the Powertools sink is tested in test/functions). */
export function recordingSink(): DecisionSink & { decisions: DecisionRecord[]; failures: FailureRecord[] } {
  const decisions: DecisionRecord[] = [];
  const failures: FailureRecord[] = [];
  return {
    decisions,
    failures,
    decision: (record) => decisions.push(record),
    failure: (ref, stage, failure) => failures.push({ ref, stage, failure }),
  };
}

export type MemoryWorld = ReturnType<typeof memoryWorld>;

/** One UpdateService as the services port received it. */
export interface UpdateCall {
  cluster: string;
  service: string;
  desiredCount: number;
}

/** A fresh world at `start` (virtual time): no services, queues or datapoints until the test adds them. */
export function memoryWorld(options: { start?: Date; dryRun?: boolean } = {}) {
  const clock: VirtualClock = virtualClock(options.start ?? new Date("2026-03-02T12:00:00Z"));
  /** `cluster/service` → state. */
  const services = new Map<string, ServiceState>();
  /** queue URL → depth. */
  const queues = new Map<string, QueueDepth>();
  /** `namespace/name/dimension values` (or `expr:<expression>`) → the latest complete datapoint. */
  const datapoints = new Map<string, { value: number; at: Date }>();
  const faults = {
    /** One-shot: the next describe of that cluster fails as a call. */
    describe: new Map<string, PortFailure>(),
    /** One-shot: the next UpdateService of that `cluster/service` fails. */
    update: new Map<string, PortFailure>(),
    /** Every depth read of that queue URL fails. */
    depth: new Map<string, PortFailure>(),
    /** Every metric read fails (as a failed GetMetricData call reads). */
    metrics: undefined as PortFailure | undefined,
    /** Every load / save of that key fails. */
    load: new Map<string, PortFailure>(),
    save: new Map<string, PortFailure>(),
    /** One-shot: the next UpdateService of that `cluster/service` is applied, but its response is lost (a 5xx). */
    updateLost: new Set<string>(),
    /** One-shot: the next save of that key is stored, but its response is lost (a 5xx). */
    saveLost: new Set<string>(),
  };
  /** Runs before each describe call (e.g. a slow DescribeServices), and before each UpdateService lands. */
  const hooks = {
    beforeDescribe: undefined as (() => Promise<void>) | undefined,
    beforeUpdate: undefined as (() => Promise<void>) | undefined,
  };
  /** One-shot hooks run right after a load of that key has read the record (another writer). */
  const afterLoad = new Map<string, () => Promise<void>>();
  const calls = { describe: [] as ServiceRef[][], depth: [] as string[], metrics: [] as MetricRequest[][] };
  const updates: UpdateCall[] = [];

  const servicesPort: ServicesPort = {
    async describe(refs) {
      calls.describe.push([...refs]);
      await hooks.beforeDescribe?.();
      const result: DescribeResult = { services: [], failures: [] };
      const failedCall = new Map<string, PortFailure>();
      for (const ref of refs) {
        const fault = faults.describe.get(ref.cluster);
        if (fault) failedCall.set(ref.cluster, fault);
      }
      for (const cluster of failedCall.keys()) faults.describe.delete(cluster);
      for (const ref of refs) {
        const callFailure = failedCall.get(ref.cluster);
        if (callFailure) {
          result.failures.push({ ref, failure: callFailure, callFailed: true });
          continue;
        }
        const s = services.get(`${ref.cluster}/${ref.service}`);
        if (!s || (s.status ?? "ACTIVE") !== "ACTIVE") {
          result.failures.push({ ref, failure: { kind: "notFound", message: s?.status ?? "MISSING" }, callFailed: false });
          continue;
        }
        result.services.push({ ...ref, desiredCount: s.desired, runningCount: s.running, pendingCount: s.pending, deploymentInProgress: s.deploying ?? false });
      }
      return result;
    },
    async setDesiredCount(ref, desiredCount) {
      const key = `${ref.cluster}/${ref.service}`;
      const fault = faults.update.get(key);
      if (fault) {
        faults.update.delete(key);
        throw new PortError(fault);
      }
      const s = services.get(key);
      if (!s) throw new PortError({ kind: "notFound", message: "ServiceNotFoundException: Service not found." });
      await hooks.beforeUpdate?.();
      updates.push({ cluster: ref.cluster, service: ref.service, desiredCount });
      s.desired = desiredCount;
      if (faults.updateLost.delete(key)) throw new PortError(serverFault());
      // When it landed, as the ECS adapter reports it.
      return clock.now();
    },
  };

  const queuesPort: QueuesPort = {
    async depth(url) {
      calls.depth.push(url);
      const fault = faults.depth.get(url);
      if (fault) throw new PortError(fault);
      const q = queues.get(url);
      if (!q) throw new PortError({ kind: "notFound", message: "QueueDoesNotExist: The specified queue does not exist." });
      return { ...q };
    },
  };

  const metricsPort: MetricsPort = {
    async latest(requests) {
      calls.metrics.push([...requests]);
      const readings = new Map<string, MetricReading>();
      for (const { id, query } of requests) {
        if (faults.metrics) {
          readings.set(id, { error: faults.metrics.message });
          continue;
        }
        const key = queryKey(query);
        readings.set(id, datapoints.get(key) ?? { error: `${key}: no datapoints` });
      }
      return readings;
    },
    async series(requests) {
      calls.metrics.push([...requests]);
      const found = new Map<string, MetricSeries>();
      for (const { id, query, since } of requests) {
        if (faults.metrics) {
          found.set(id, { error: faults.metrics.message });
          continue;
        }
        const key = queryKey(query);
        const point = datapoints.get(key);
        found.set(id, { points: point && point.at.getTime() >= since.getTime() ? [point] : [] });
      }
      return found;
    },
  };

  const memory = new MemoryStateStore();
  const store: StateStore = {
    async load(key: string): Promise<ServiceRecord | undefined> {
      const fault = faults.load.get(key);
      if (fault) throw new PortError(fault);
      const record = await memory.load(key);
      const hook = afterLoad.get(key);
      if (hook) {
        afterLoad.delete(key);
        await hook();
      }
      return record;
    },
    async save(record: ServiceRecord): Promise<SaveResult> {
      const fault = faults.save.get(record.key);
      if (fault) throw new PortError(fault);
      const result = await memory.save(record);
      if (faults.saveLost.delete(record.key)) throw new PortError(serverFault());
      return result;
    },
  };

  const sink = recordingSink();
  const deps: EvaluationDeps & { clock: VirtualClock } = {
    services: servicesPort,
    queues: queuesPort,
    metrics: metricsPort,
    state: store,
    sink,
    dryRun: options.dryRun ?? false,
    clock,
  };

  return {
    deps,
    clock,
    store,
    sink,
    services,
    queues,
    datapoints,
    faults,
    hooks,
    afterLoad,
    calls,
    /** The UpdateService calls that went through so far, in order. */
    updates: () => [...updates],
    /** The same, sorted by cluster/service (services are decided concurrently). */
    updatesByService: () => [...updates].sort((a, b) => `${a.cluster}/${a.service}`.localeCompare(`${b.cluster}/${b.service}`)),
    /** Sets a service's counts (running defaults to desired). */
    service(ref: string, state: Partial<ServiceState> & { desired: number }) {
      services.set(ref, { running: state.desired, pending: 0, ...state });
    },
    /** Sets a metric's latest complete datapoint (two minutes before now unless `at`). */
    metric(namespace: string, name: string, dimensionValues: string[], value: number, at?: Date) {
      datapoints.set(metricKey(namespace, name, dimensionValues), { value, at: at ?? new Date(clock.now().getTime() - 120_000) });
    },
  };
}

function metricKey(namespace: string, name: string, dimensionValues: string[]): string {
  return [namespace, name, ...dimensionValues].join("/");
}

/** A validated config from a plain object (throws with every problem if the test wrote it wrong). */
export function configOf(value: unknown): Config {
  const result = checkConfig(value);
  if (!result.config) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** One sqs-scaled worker service: 5 messages per task by default, HPA default behavior. */
export function workerService(service = "worker", extra: Record<string, unknown> = {}, policy: Record<string, unknown> = {}) {
  return {
    cluster: "prod",
    service,
    policy: { minTasks: 1, maxTasks: 50, triggers: [{ type: "sqs", queueUrl: queueUrl(`${service}-jobs`), includeInFlight: false }], ...policy },
    ...extra,
  };
}

/** The key a query's datapoints are stored under in this world. */
function queryKey(query: MetricQuery): string {
  return query.kind === "stat"
    ? metricKey(
        query.namespace,
        query.name,
        query.dimensions.map((d) => d.value),
      )
    : `expr:${query.expression}`;
}
