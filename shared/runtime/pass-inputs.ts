/**
 * The reads of a pipelined pass: each service's inputs resolve as soon as its own reads are in
 * (its DescribeServices batch, its queues, its chunk's metrics), so a slow or hung call delays only
 * the services that need it. Reads stay shared: each queue is read once per pass, describes go 10
 * services a call, metrics one GetMetricData request per chunk of services. Everything is started
 * in the pass's (fair) order, each kind of call with its own concurrency.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import { failureOf, type PortFailure, type Result } from "../ports/failure.ts";
import type { MetricsPort } from "../ports/metrics.ts";
import type { QueuesPort } from "../ports/queues.ts";
import type { ServiceRef, ServiceSnapshot, ServicesPort } from "../ports/services.ts";
import { emptyRecord, type LoadResult, type ServiceRecord } from "../ports/state-store.ts";
import { rankedLimit } from "./limiter.ts";
import {
  type DepthReading,
  type PassReadings,
  queueUrlsOf,
  type RecordOf,
  readMetricsOf,
  readsMetrics,
  sharedQueueReads,
} from "./observe.ts";
import { recordKey, refsOf } from "./service-index.ts";

/** DescribeServices' limit: up to 10 services a call, one cluster a call. */
export const DESCRIBE_GROUP_SIZE = 10;
/** DescribeServices calls in flight at once (ECS's read budget: 20/s sustained, burst 100). */
export const DESCRIBE_CONCURRENCY = 4;
/** Services whose metrics go into one MetricsPort call (the adapter cuts it into GetMetricData calls of 500). */
export const METRIC_CHUNK_SERVICES = 100;
/** MetricsPort calls in flight at once (GetMetricData: 50 transactions per second by default). */
export const METRIC_CONCURRENCY = 4;

/** A service ready to evaluate: described (with its sibling), its record loaded, its readings in. */
export interface Ready {
  config: ServiceConfig;
  primary: ServiceSnapshot;
  onDemand?: ServiceSnapshot;
  record: ServiceRecord;
  readings: PassReadings;
  /** The failed queue reads among them (reported, not counted: the service still decides). */
  readFailures: PortFailure[];
}

/** A service that cannot be evaluated in this pass, and at which stage it failed. */
export interface NotReady {
  config: ServiceConfig;
  stage: string;
  failure: PortFailure;
}

type Described = Result<ServiceSnapshot>;

interface Ports {
  services: ServicesPort;
  queues: QueuesPort;
  metrics: MetricsPort;
}

/** Starts the reads of a group of services; per service, when it is ready or why not. */
export type StartReads = (
  ordered: readonly ServiceConfig[],
  records: ReadonlyMap<string, LoadResult>,
) => (config: ServiceConfig) => Promise<Ready | NotReady>;

/** Orders waiting calls: lower first (the pass ranks a service by when it was last decided). */
export type RankOf = (config: ServiceConfig) => number;

/**
 * The reads of one pass at `now`, shared by every group of services it starts (one per batch of
 * loaded records): one concurrency limit per kind of call, whose free slots go to the lowest
 * `rankOf`, and each queue read once. `start(ordered, records)` starts every read of `ordered` (in
 * that order) and returns, per service, when it is ready or why not.
 */
export function passReads(ports: Ports, now: Date, rankOf: RankOf): StartReads {
  const limits = { describe: rankedLimit(DESCRIBE_CONCURRENCY), metrics: rankedLimit(METRIC_CONCURRENCY) };
  const queues = sharedQueueReads(ports.queues);
  return (ordered, records) => {
    const describes = describeInGroups(ports.services, ordered, (task, first) =>
      limits.describe(task, rankOf(first)),
    );
    const metrics = metricsInChunks(
      ports.metrics,
      ordered,
      now,
      (s) => {
        const r = recordIn(records, s);
        return r.ok ? r.value : undefined;
      },
      (task, first) => limits.metrics(task, rankOf(first)),
    );
    // Ask for every queue now, in order, so the reads start in the pass's order.
    for (const s of ordered) for (const url of queueUrlsOf([s])) void queues.depth(url, rankOf(s));
    return async (config) => {
      const urls = queueUrlsOf([config]);
      const [snapshots, depthList, read] = await Promise.all([
        describes.get(config)!,
        Promise.all(urls.map((url) => queues.depth(url))),
        metrics.get(config)!,
      ]);
      const described = readiness(config, snapshots, recordIn(records, config));
      if ("failure" in described) return described;
      const depths = new Map<string, DepthReading>(urls.map((url, i) => [url, depthList[i]!]));
      const readFailures = depthList.flatMap((d) => (d.ok ? [] : [d.error]));
      return { ...described, readings: { depths, ...read }, readFailures };
    };
  };
}

/**
 * A service's loaded record (an empty one when it has none yet), or why it is missing. A function of
 * its own, not a closure in `passReads`: under esbuild's keepNames every named closure made per pass
 * also defines its name.
 */
function recordIn(records: ReadonlyMap<string, LoadResult>, config: ServiceConfig): Result<ServiceRecord> {
  const key = recordKey(config);
  const loaded = records.get(key) ?? {
    ok: false,
    error: { kind: "invalid", message: `${key} was not loaded` },
  };
  return loaded.ok ? { ok: true, value: loaded.value ?? emptyRecord(key) } : loaded;
}

/** Runs a group's call under the pass's limit for that kind of call, ranked by its first service. */
type Limited = <T>(task: () => Promise<T>, first: ServiceConfig) => Promise<T>;

/** One service's snapshots and record, or the first thing missing (its describe, its sibling's, its record). */
function readiness(
  config: ServiceConfig,
  snapshots: Map<string, Described>,
  record: Result<ServiceRecord>,
): Omit<Ready, "readings" | "readFailures"> | NotReady {
  const [primaryRef, onDemandRef] = refsOf(config);
  const primary = describedIn(snapshots, primaryRef!);
  if (!primary.ok) return { config, stage: "describe", failure: primary.error };
  const onDemand = onDemandRef ? describedIn(snapshots, onDemandRef) : undefined;
  if (onDemand && !onDemand.ok)
    return { config, stage: "describe on-demand sibling", failure: onDemand.error };
  if (!record.ok) return { config, stage: "state", failure: record.error };
  return { config, primary: primary.value, onDemand: onDemand?.value, record: record.value };
}

/** A service's snapshot in its describe call's answer, or why it is missing. */
function describedIn(snapshots: Map<string, Described>, ref: ServiceRef): Described {
  return (
    snapshots.get(recordKey(ref)) ?? {
      ok: false,
      error: { kind: "notFound", message: `${recordKey(ref)} was not described` },
    }
  );
}

/**
 * The services cut into DescribeServices calls (per cluster, 10 refs each, a service and its
 * sibling in the same call), started in order; each service maps to its own call's answer.
 */
function describeInGroups(
  port: ServicesPort,
  ordered: readonly ServiceConfig[],
  limit: Limited,
): Map<ServiceConfig, Promise<Map<string, Described>>> {
  const groups: { refs: Map<string, ServiceRef>; members: ServiceConfig[] }[] = [];
  const open = new Map<string, (typeof groups)[number]>();
  for (const config of ordered) {
    const refs = refsOf(config);
    let group = open.get(config.cluster);
    const added = group ? refs.filter((r) => !group!.refs.has(recordKey(r))).length : refs.length;
    if (!group || group.refs.size + added > DESCRIBE_GROUP_SIZE) {
      group = { refs: new Map(), members: [] };
      groups.push(group);
      open.set(config.cluster, group);
    }
    for (const ref of refs) group.refs.set(recordKey(ref), ref);
    group.members.push(config);
  }
  const byService = new Map<ServiceConfig, Promise<Map<string, Described>>>();
  for (const group of groups) {
    const answer = limit(() => describeAll(port, [...group.refs.values()]), group.members[0]!);
    for (const member of group.members) byService.set(member, answer);
  }
  return byService;
}

/** Describes `refs`; a failed describe is kept per service, with its reason. Never rejects. */
async function describeAll(port: ServicesPort, refs: ServiceRef[]): Promise<Map<string, Described>> {
  const found = new Map<string, Described>();
  try {
    const result = await port.describe(refs);
    for (const snapshot of result.services) found.set(recordKey(snapshot), { ok: true, value: snapshot });
    for (const { ref, failure, callFailed } of result.failures) {
      // ECS's verdict names the service; a failed call's message is the error itself.
      const error = callFailed ? failure : { ...failure, message: `${recordKey(ref)}: ${failure.message}` };
      found.set(recordKey(ref), { ok: false, error });
    }
  } catch (error) {
    const failure = failureOf(error);
    for (const ref of refs) found.set(recordKey(ref), { ok: false, error: failure });
  }
  return found;
}

type MetricsRead = Pick<PassReadings, "metrics" | "carried" | "series">;

/**
 * The metric reads of the services with metrics (metric triggers, or a latency queue whose rate
 * series may be due), by chunks of {@link METRIC_CHUNK_SERVICES} in order; a service without metric
 * reads does not wait for any.
 */
function metricsInChunks(
  port: MetricsPort,
  ordered: readonly ServiceConfig[],
  now: Date,
  recordOf: RecordOf,
  limit: Limited,
): Map<ServiceConfig, Promise<MetricsRead>> {
  const none: Promise<MetricsRead> = Promise.resolve({
    metrics: new Map(),
    carried: new Map(),
    series: new Map(),
  });
  const byService = new Map<ServiceConfig, Promise<MetricsRead>>();
  const withMetrics = ordered.filter(readsMetrics);
  for (const s of ordered) byService.set(s, none);
  for (let i = 0; i < withMetrics.length; i += METRIC_CHUNK_SERVICES) {
    const chunk = withMetrics.slice(i, i + METRIC_CHUNK_SERVICES);
    const read = limit(() => readMetricsOf(port, chunk, now, recordOf), chunk[0]!);
    for (const s of chunk) byService.set(s, read);
  }
  return byService;
}
