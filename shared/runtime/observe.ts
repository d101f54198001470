/**
 * Observe: the readings a pass needs. Each queue is read once per pass however many services share
 * it ({@link sharedQueueReads}); the metric reads of a group of services go into one MetricsPort call
 * for their metric triggers and one for the AWS/SQS series behind the measured processing rates
 * (when due, ./rate-reads.ts), which the adapter batches by 500. A failed read becomes that trigger's `error` observation, so the engine holds the count
 * rather than guessing.
 */

import type { ServiceConfig } from "../config/config-file.ts";
import type { MetricTrigger, Observation } from "../engine/types.ts";
import { failureOf, type Result } from "../ports/failure.ts";
import type {
  MetricQuery,
  MetricReading,
  MetricRequest,
  MetricSeries,
  MetricSeriesRequest,
  MetricsPort,
} from "../ports/metrics.ts";
import type { QueueDepth, QueuesPort } from "../ports/queues.ts";
import type { CarriedReading, ServiceRecord } from "../ports/state-store.ts";
import { rankedLimit } from "./limiter.ts";
import { carryReading, readingOf, stillCurrent } from "./metric-carry.ts";
import { rateSeriesRequests } from "./rate-reads.ts";
import { latencyTriggerIndex } from "./rates.ts";
import { recordKey } from "./service-index.ts";

/**
 * GetQueueAttributes calls in flight at once. SQS documents no per-account limit for it; one read
 * per queue per pass at 50 ms each, 32 at once read 2,000 queues in about 3 s.
 */
export const QUEUE_READ_CONCURRENCY = 32;

/** A queue's depth, or why it could not be read. */
export type DepthReading = Result<QueueDepth>;

export interface PassReadings {
  depths: Map<string, DepthReading>;
  metrics: Map<string, MetricReading>;
  /** Per service (`cluster/service`): the datapoints to carry in its record to the next pass. */
  carried: Map<string, Record<string, CarriedReading>>;
  /** The rate-metric series read this pass (ids of ./rate-reads.ts `rateSeriesId`); none when not due. */
  series: Map<string, MetricSeries>;
}

/** Metric request ids of one service's metric-trigger reads. */
export const metricId = {
  trigger: (service: ServiceConfig, index: number) => `${recordKey(service)}#trigger${index}`,
};

/** The query a metric trigger reads: its metric and statistic, or its expression. */
export function metricQueryOf(trigger: MetricTrigger): MetricQuery {
  if (trigger.metric) return { kind: "stat", ...trigger.metric };
  if (trigger.expression === undefined) throw new Error("metric trigger has neither metric nor expression");
  return { kind: "expression", expression: trigger.expression, periodSeconds: trigger.periodSeconds };
}

/** Every metric-trigger request of the services (the rate metrics are series: ./rate-reads.ts). */
export function metricRequestsFor(services: readonly ServiceConfig[]): MetricRequest[] {
  const requests: MetricRequest[] = [];
  for (const service of services) {
    service.policy.triggers.forEach((trigger, index) => {
      if (trigger.type === "metric")
        requests.push({ id: metricId.trigger(service, index), query: metricQueryOf(trigger) });
    });
  }
  return requests;
}

/** Whether a service may read metrics at all: metric triggers, or a latency queue's rate series. */
export function readsMetrics(service: ServiceConfig): boolean {
  return metricRequestsFor([service]).length > 0 || latencyTriggerIndex(service.policy.triggers) >= 0;
}

/** A service's metric requests and the datapoints its record carries (by the request id's part after `#`). */
interface ServiceMetrics {
  key: string;
  requests: MetricRequest[];
  carried: Record<string, CarriedReading>;
}

const carriedName = (key: string, id: string) => id.slice(key.length + 1);

/** Reads each queue at most once, however many services (or chunks of a pass) ask for it. */
export interface QueueReads {
  /** The queue's depth; the first ask's `rank` (lowest first, else first asked) orders its read among those waiting. */
  depth(url: string, rank?: number): Promise<DepthReading>;
}

/**
 * Queue reads shared by a whole pass: the first ask of a URL reads it, later asks get the same
 * reading; at most `concurrency` GetQueueAttributes in flight, started in the order asked. Never rejects.
 */
export function sharedQueueReads(port: QueuesPort, concurrency = QUEUE_READ_CONCURRENCY): QueueReads {
  const limit = rankedLimit(concurrency);
  const reads = new Map<string, Promise<DepthReading>>();
  return {
    depth(url, rank) {
      let read = reads.get(url);
      if (read === undefined) {
        read = limit(async (): Promise<DepthReading> => {
          try {
            return { ok: true, value: await port.depth(url) };
          } catch (error) {
            return { ok: false, error: failureOf(error) };
          }
        }, rank);
        reads.set(url, read);
      }
      return read;
    },
  };
}

/** The queue URLs the services' sqs triggers read, each once, in order. */
export function queueUrlsOf(services: readonly ServiceConfig[]): string[] {
  // Loops, not nested flatMaps and a spread: every pass asks this of every service twice.
  const urls = new Set<string>();
  for (const s of services) for (const t of s.policy.triggers) if (t.type === "sqs") urls.add(t.queueUrl);
  return [...urls];
}

/** A service's stored record, for its carried datapoints and when it last read its rate metrics. */
export type RecordOf = (service: ServiceConfig) => ServiceRecord | undefined;

/**
 * Every metric the services need: one MetricsPort call for their metric triggers (which the adapter
 * batches by 500), whose carried datapoint (the service's record) is not still the latest (see
 * metric-carry.ts), and one for the rate series that are due. Never throws: failures become error
 * readings.
 */
export async function readMetricsOf(
  port: MetricsPort,
  services: readonly ServiceConfig[],
  now: Date,
  recordOf: RecordOf = () => undefined,
): Promise<Pick<PassReadings, "metrics" | "carried" | "series">> {
  const perService: ServiceMetrics[] = services.map((service) => ({
    key: recordKey(service),
    requests: metricRequestsFor([service]),
    carried: recordOf(service)?.metrics ?? {},
  }));
  const requests = perService.flatMap((p) =>
    p.requests.filter((r) => !stillCurrent(p.carried[carriedName(p.key, r.id)], r.query, now)),
  );
  const seriesRequests = services.flatMap((s) => rateSeriesRequests(s, recordOf(s)?.learned ?? {}, now));
  const [fresh, series] = await Promise.all([
    readMetrics(port, requests, now),
    readSeries(port, seriesRequests, now),
  ]);
  return { ...mergeCarried(perService, fresh, now), series };
}

/** Every queue and metric the services need (each queue once): {@link sharedQueueReads} and {@link readMetricsOf}. */
export async function readAll(
  ports: { queues: QueuesPort; metrics: MetricsPort },
  services: readonly ServiceConfig[],
  now: Date,
  recordOf: RecordOf = () => undefined,
): Promise<PassReadings> {
  const queues = sharedQueueReads(ports.queues);
  const urls = queueUrlsOf(services);
  const [depthList, read] = await Promise.all([
    Promise.all(urls.map((url) => queues.depth(url))),
    readMetricsOf(ports.metrics, services, now, recordOf),
  ]);
  return { depths: new Map(urls.map((url, i) => [url, depthList[i]!])), ...read };
}

/** This pass's reading of every request (fresh, or the carried datapoint) and what to carry next. */
function mergeCarried(
  perService: readonly ServiceMetrics[],
  fresh: Map<string, MetricReading>,
  now: Date,
): Pick<PassReadings, "metrics" | "carried"> {
  const metrics = new Map<string, MetricReading>();
  const carried = new Map<string, Record<string, CarriedReading>>();
  for (const p of perService) {
    const next: Record<string, CarriedReading> = {};
    for (const r of p.requests) {
      const name = carriedName(p.key, r.id);
      const previous = p.carried[name];
      const reading = fresh.get(r.id);
      if (reading !== undefined) {
        metrics.set(r.id, reading);
        const kept = carryReading(previous, r.query, reading, now);
        if (kept) next[name] = kept;
      } else if (previous && stillCurrent(previous, r.query, now)) {
        metrics.set(r.id, readingOf(previous));
        next[name] = previous;
      }
    }
    carried.set(p.key, next);
  }
  return { metrics, carried };
}

async function readMetrics(
  port: MetricsPort,
  requests: MetricRequest[],
  now: Date,
): Promise<Map<string, MetricReading>> {
  if (requests.length === 0) return new Map();
  try {
    return await port.latest(requests, now);
  } catch (error) {
    const reason = failureOf(error).message;
    return new Map(requests.map((r) => [r.id, { error: reason }]));
  }
}

async function readSeries(
  port: MetricsPort,
  requests: MetricSeriesRequest[],
  now: Date,
): Promise<Map<string, MetricSeries>> {
  if (requests.length === 0) return new Map();
  try {
    return await port.series(requests, now);
  } catch (error) {
    const reason = failureOf(error).message;
    return new Map(requests.map((r) => [r.id, { error: reason }]));
  }
}

/** Measured (or configured) rates to add to the latency trigger's observation. */
export interface RateExtras {
  arrivalRate?: number;
  processingRatePerTask?: number;
}

/** One observation per trigger, in order, from the pass's readings. */
export function observationsFor(
  service: ServiceConfig,
  readings: PassReadings,
  rates: RateExtras,
): Observation[] {
  const latencyIndex = latencyTriggerIndex(service.policy.triggers);
  return service.policy.triggers.map((trigger, index): Observation => {
    if (trigger.type === "sqs") {
      const depth = readings.depths.get(trigger.queueUrl);
      if (!depth) return { error: "queue not read" };
      if (!depth.ok) return { error: depth.error.message };
      return {
        visible: depth.value.visible,
        inFlight: depth.value.inFlight,
        delayed: depth.value.delayed,
        ...(index === latencyIndex ? rates : {}),
      };
    }
    const reading = readings.metrics.get(metricId.trigger(service, index));
    if (!reading) return { error: "metric not read" };
    return "error" in reading ? { error: reading.error } : { value: reading.value };
  });
}

/** The backlog the sqs triggers see (as the engine counts it), summed; undefined without sqs triggers or readings. */
export function totalBacklog(service: ServiceConfig, readings: PassReadings): number | undefined {
  let total: number | undefined;
  for (const trigger of service.policy.triggers) {
    if (trigger.type !== "sqs") continue;
    const reading = readings.depths.get(trigger.queueUrl);
    if (!reading?.ok) continue;
    const depth = reading.value;
    total =
      (total ?? 0) +
      depth.visible +
      (trigger.includeInFlight ? depth.inFlight : 0) +
      (trigger.includeDelayed ? depth.delayed : 0);
  }
  return total;
}
