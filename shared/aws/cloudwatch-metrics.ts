/**
 * MetricsPort on CloudWatch GetMetricData: every request of a pass goes into as few calls as
 * possible (at most 500 MetricDataQuery per call), each reading a window a few periods back, newest
 * first; each id gets its latest datapoint of a complete period, or an error saying why there is none.
 * A metric with no datapoints is an error reading, never a zero: the engine then holds the count.
 * Series reads (`series`) ask for a window from the earliest `since` of the call to now and give each
 * id its complete datapoints from its own `since`, oldest first: billed one metric per id, whatever the
 * number of datapoints.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import type {
  MetricQuery,
  MetricReading,
  MetricRequest,
  MetricSeries,
  MetricSeriesRequest,
  MetricsPort,
} from "../ports/metrics.ts";
import type { UsageMeter } from "../ports/usage.ts";
import { describeError } from "./errors.ts";

/** GetMetricData's limit on MetricDataQuery entries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** Pages one call may take before it is treated as failed (a service repeating tokens must not loop us). */
export const MAX_PAGES_PER_CALL = 20;
/** How many periods (of the longest period in a call) the window reaches back. */
export const DEFAULT_LOOKBACK_PERIODS = 5;

export interface CloudWatchMetricsOptions {
  lookbackPeriods?: number;
  /** Counts the calls and the metrics requested (for the own bill). */
  meter?: UsageMeter;
}

/** One GetMetricData call (possibly several pages) and how its query ids map back to requests. */
export interface MetricCall {
  input: GetMetricDataCommandInput & { MetricDataQueries: MetricDataQuery[] };
  /** Query id → the request it answers. */
  requests: Map<string, { id: string; periodSeconds: number; label: string }>;
}

/** A short name of what a query reads, for error messages. */
export function labelOf(query: MetricQuery): string {
  if (query.kind === "stat") {
    const dims = query.dimensions.map((d) => `${d.name}=${d.value}`).join(",");
    return `${query.namespace} ${query.name}${dims ? ` {${dims}}` : ""} (${query.stat}, ${query.periodSeconds} s)`;
  }
  return `expression ${JSON.stringify(query.expression)} (${query.periodSeconds} s)`;
}

/** Parse: the MetricDataQuery for one query, under a CloudWatch-safe query id. */
export function metricDataQuery(queryId: string, query: MetricQuery): MetricDataQuery {
  if (query.kind === "stat") {
    return {
      Id: queryId,
      MetricStat: {
        Metric: {
          Namespace: query.namespace,
          MetricName: query.name,
          Dimensions: query.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
        },
        Period: query.periodSeconds,
        Stat: query.stat,
      },
      ReturnData: true,
    };
  }
  return { Id: queryId, Expression: query.expression, Period: query.periodSeconds, ReturnData: true };
}

/**
 * Parse: splits requests into calls of at most {@link MAX_QUERIES_PER_CALL} queries. Query ids are
 * generated (`q0`, `q1`, …) because CloudWatch ids must start with a lowercase letter and hold only
 * letters, digits and underscores, which the runtime's ids need not. The window starts
 * `lookbackPeriods` × the call's longest period before `now` (on a minute boundary) and ends at `now`.
 */
export function planMetricCalls(
  requests: readonly MetricRequest[],
  now: Date,
  lookbackPeriods = DEFAULT_LOOKBACK_PERIODS,
): MetricCall[] {
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.id))
      throw new Error(`metric request id ${JSON.stringify(r.id)} is used twice in one call`);
    seen.add(r.id);
  }
  const calls: MetricCall[] = [];
  for (let start = 0; start < requests.length; start += MAX_QUERIES_PER_CALL) {
    const chunk = requests.slice(start, start + MAX_QUERIES_PER_CALL);
    const queries: MetricDataQuery[] = [];
    const map: MetricCall["requests"] = new Map();
    let longest = 60;
    chunk.forEach((r, i) => {
      const queryId = `q${start + i}`;
      const { periodSeconds } = r.query;
      longest = Math.max(longest, periodSeconds);
      queries.push(metricDataQuery(queryId, r.query));
      map.set(queryId, { id: r.id, periodSeconds, label: labelOf(r.query) });
    });
    const startMs = Math.floor((now.getTime() - lookbackPeriods * longest * 1000) / 60_000) * 60_000;
    calls.push({
      input: {
        MetricDataQueries: queries,
        StartTime: new Date(startMs),
        EndTime: now,
        ScanBy: "TimestampDescending",
      },
      requests: map,
    });
  }
  return calls;
}

/** Joins the pages of one call into one result per query id (later pages add older datapoints). */
export function mergePages(pages: readonly (readonly MetricDataResult[])[]): Map<string, MetricDataResult> {
  const merged = new Map<string, MetricDataResult>();
  for (const page of pages) {
    for (const r of page) {
      if (r.Id === undefined) continue;
      const prior = merged.get(r.Id);
      if (!prior) {
        merged.set(r.Id, {
          ...r,
          Timestamps: [...(r.Timestamps ?? [])],
          Values: [...(r.Values ?? [])],
          Messages: [...(r.Messages ?? [])],
        });
        continue;
      }
      prior.Timestamps?.push(...(r.Timestamps ?? []));
      prior.Values?.push(...(r.Values ?? []));
      prior.Messages?.push(...(r.Messages ?? []));
      // The last page's status is the call's final word on this id.
      prior.StatusCode = r.StatusCode ?? prior.StatusCode;
    }
  }
  return merged;
}

/**
 * Process: the reading of every request of a call. The latest datapoint whose period has ended by
 * `now` wins (a still-open period holds a partial Sum or Average); a call without usable datapoints
 * for an id, or with status InternalError/Forbidden, gives that id an error reading.
 */
export function processMetricResults(
  call: MetricCall,
  results: Map<string, MetricDataResult>,
  now: Date,
  windowSeconds: number,
): Map<string, MetricReading> {
  const readings = new Map<string, MetricReading>();
  for (const [queryId, request] of call.requests) {
    const result = results.get(queryId);
    if (!result) {
      readings.set(request.id, { error: `${request.label}: not in the GetMetricData response` });
      continue;
    }
    const messages = (result.Messages ?? [])
      .map((m) => [m.Code, m.Value].filter(Boolean).join(" "))
      .join("; ");
    if (result.StatusCode === "InternalError" || result.StatusCode === "Forbidden") {
      readings.set(request.id, {
        error: `${request.label}: CloudWatch status ${result.StatusCode}${messages ? ` (${messages})` : ""}`,
      });
      continue;
    }
    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    let best: { value: number; at: Date } | undefined;
    for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
      const at = timestamps[i] as Date;
      const value = values[i] as number;
      if (!Number.isFinite(value)) continue;
      if (at.getTime() + request.periodSeconds * 1000 > now.getTime()) continue;
      if (!best || at.getTime() > best.at.getTime()) best = { value, at };
    }
    readings.set(
      request.id,
      best ?? {
        error: `${request.label}: no datapoints in the last ${windowSeconds} s${messages ? ` (${messages})` : ""}`,
      },
    );
  }
  return readings;
}

/** One series call: its input, and per query id the request and its own window start. */
export interface SeriesCall extends MetricCall {
  since: Map<string, Date>;
}

/**
 * Parse: splits series requests into calls of at most {@link MAX_QUERIES_PER_CALL} queries (ids as in
 * {@link planMetricCalls}). A call's window runs from its earliest `since` (on a minute boundary) to
 * `now`, oldest first; each id keeps its own `since` to cut its datapoints by.
 */
export function planSeriesCalls(requests: readonly MetricSeriesRequest[], now: Date): SeriesCall[] {
  const sinceOf = new Map(requests.map((r) => [r.id, r.since]));
  return planMetricCalls(requests, now).map((call) => {
    const since = new Map<string, Date>();
    let earliest = now.getTime();
    for (const [queryId, request] of call.requests) {
      const asked = sinceOf.get(request.id)!;
      since.set(queryId, asked);
      earliest = Math.min(earliest, asked.getTime());
    }
    const startMs = Math.floor(earliest / 60_000) * 60_000;
    return {
      ...call,
      input: { ...call.input, StartTime: new Date(startMs), ScanBy: "TimestampAscending" },
      since,
    };
  });
}

/**
 * Process: each id's datapoints of complete periods from its `since`, oldest first, one per timestamp;
 * an id missing from the response, or with status InternalError/Forbidden, gets an error. No datapoint
 * is an empty series (SQS publishes nothing for a queue idle for hours), not an error.
 */
export function processSeriesResults(
  call: SeriesCall,
  results: Map<string, MetricDataResult>,
  now: Date,
): Map<string, MetricSeries> {
  const series = new Map<string, MetricSeries>();
  for (const [queryId, request] of call.requests) {
    const result = results.get(queryId);
    if (!result) {
      series.set(request.id, { error: `${request.label}: not in the GetMetricData response` });
      continue;
    }
    if (result.StatusCode === "InternalError" || result.StatusCode === "Forbidden") {
      const messages = (result.Messages ?? []).map((m) => [m.Code, m.Value].filter(Boolean).join(" "));
      const detail = messages.length > 0 ? ` (${messages.join("; ")})` : "";
      series.set(request.id, { error: `${request.label}: CloudWatch status ${result.StatusCode}${detail}` });
      continue;
    }
    const from = call.since.get(queryId)!.getTime();
    const byTime = new Map<number, number>();
    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
      const at = (timestamps[i] as Date).getTime();
      const value = values[i] as number;
      if (!Number.isFinite(value) || at < from) continue;
      if (at + request.periodSeconds * 1000 > now.getTime()) continue;
      byTime.set(at, value);
    }
    const points = [...byTime.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, value]) => ({ value, at: new Date(at) }));
    series.set(request.id, { points });
  }
  return series;
}

/** {@link MetricsPort} backed by CloudWatch GetMetricData. */
export class CloudWatchMetrics implements MetricsPort {
  private readonly lookbackPeriods: number;
  private readonly meter: UsageMeter | undefined;

  constructor(
    private readonly cloudwatch: CloudWatchClient,
    options: CloudWatchMetricsOptions = {},
  ) {
    this.lookbackPeriods = options.lookbackPeriods ?? DEFAULT_LOOKBACK_PERIODS;
    this.meter = options.meter;
  }

  /**
   * Reads the latest datapoint of every request, in calls of up to 500 queries made one after the
   * other (GetMetricData allows 50 per second per Region). A call that fails after the SDK's retries
   * (throttling, 5xx) gives each of its ids an error reading naming the error; other calls still count.
   */
  async latest(requests: readonly MetricRequest[], now: Date): Promise<Map<string, MetricReading>> {
    const readings = new Map<string, MetricReading>();
    for (const call of planMetricCalls(requests, now, this.lookbackPeriods)) {
      const windowSeconds = Math.round((now.getTime() - (call.input.StartTime as Date).getTime()) / 1000);
      try {
        const pages = await this.fetchPages(call.input);
        for (const [id, reading] of processMetricResults(call, mergePages(pages), now, windowSeconds))
          readings.set(id, reading);
      } catch (error) {
        const reason = describeError(error);
        for (const request of call.requests.values()) readings.set(request.id, { error: reason });
      }
    }
    return readings;
  }

  /**
   * Reads every request's datapoints since its `since`, in calls of up to 500 queries made one after
   * the other; a call that fails after the SDK's retries gives each of its ids an error.
   */
  async series(requests: readonly MetricSeriesRequest[], now: Date): Promise<Map<string, MetricSeries>> {
    const found = new Map<string, MetricSeries>();
    for (const call of planSeriesCalls(requests, now)) {
      try {
        const pages = await this.fetchPages(call.input);
        for (const [id, series] of processSeriesResults(call, mergePages(pages), now)) found.set(id, series);
      } catch (error) {
        const reason = describeError(error);
        for (const request of call.requests.values()) found.set(request.id, { error: reason });
      }
    }
    return found;
  }

  /**
   * Call: one GetMetricData call, following NextToken. Each page is a fresh input object (the SDK's
   * paginator rewrites its input in place), and a token seen before ends the call with an error.
   */
  private async fetchPages(input: GetMetricDataCommandInput): Promise<MetricDataResult[][]> {
    const pages: MetricDataResult[][] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      // Every page is a request of all the call's metrics, and billed so.
      this.meter?.call("cloudwatch:GetMetricData");
      this.meter?.metricsRequested(input.MetricDataQueries?.length ?? 0);
      const output = await this.cloudwatch.send(
        new GetMetricDataCommand(token === undefined ? input : { ...input, NextToken: token }),
      );
      pages.push(output.MetricDataResults ?? []);
      token = output.NextToken || undefined;
      if (token !== undefined && (seen.has(token) || pages.length >= MAX_PAGES_PER_CALL)) {
        throw new Error(
          `GetMetricData kept paginating (${pages.length} pages, NextToken ${JSON.stringify(token)})`,
        );
      }
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    return pages;
  }
}
