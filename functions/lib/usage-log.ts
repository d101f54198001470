/**
 * A `usage` log line at most once a minute per container: what the adapters did since the last one
 * (calls per AWS API, GetMetricData metrics requested, DynamoDB read and write units), counted by the
 * same meter the simulator's ports use for the own-bill model (shared/cost). Summed over a day in
 * Logs Insights it is the autoscaler's real API usage, to set against `npm run bench:cost`. Once a
 * minute rather than once an invocation because the evaluator runs six short invocations a minute
 * and each line costs log ingestion: about 480 bytes a minute a function. What a container counted
 * in its last minute before Lambda recycled it is not reported.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { UsageCounter } from "../../shared/cost/usage-counter.ts";

/** The message of the usage line (docs/deploy.md has the Logs Insights query that sums it). */
export const USAGE_LINE_MESSAGE = "usage";
/** At most one usage line per container in this time. */
export const USAGE_LINE_INTERVAL_MS = 60_000;

/** Writes the usage line of one container when a minute has passed since its last one. */
export class UsageLine {
  private lastAt: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly usage: UsageCounter,
  ) {}

  /** After an invocation at `nowMs`: the line (and a fresh count) when due and something was called. */
  afterInvocation(nowMs: number): void {
    if (this.lastAt !== undefined && nowMs - this.lastAt < USAGE_LINE_INTERVAL_MS) return;
    const counts = this.usage.drain();
    if (Object.keys(counts.calls).length === 0) return;
    this.lastAt = nowMs;
    this.logger.info(USAGE_LINE_MESSAGE, {
      calls: counts.calls,
      getMetricDataMetrics: counts.getMetricDataMetrics,
      dynamodbReadUnits: counts.dynamodbReadUnits,
      dynamodbWriteUnits: counts.dynamodbWriteUnits,
    });
  }
}

/** Middy middleware: the usage line after an invocation, failed ones included, when it is due. */
export function usageLogMiddleware(logger: Logger, usage: UsageCounter): MiddlewareObj {
  const line = new UsageLine(logger, usage);
  const after = async () => line.afterInvocation(Date.now());
  return { after, onError: after };
}
