/**
 * The autoscaler's own AWS bill: what it did (a {@link Usage}: calls, capacity units, metrics, log
 * bytes, Lambda time), priced with {@link prices} and quoted per 30-day month. Pure: the runtime's
 * ports and the simulator count, this only multiplies.
 */
import { type PriceName, prices, secondsPerMonth } from "./prices.ts";

/** What the autoscaler did over `seconds`, counted where it happened. */
export interface Usage {
  /** The span the counts cover, seconds (a simulated day: 86,400). */
  seconds: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
  /** The state table's stored bytes at the end (items as DynamoDB sizes them). */
  dynamodbStoredBytes: number;
  getMetricDataMetrics: number;
  /** Distinct custom metrics (name + dimensions) published at any time in the span. */
  customMetrics: number;
  logBytes: number;
  sqsRequests: number;
  schedulerInvocations: number;
  awsServiceEvents: number;
  ecsApiCalls: number;
  /** Alarms and dashboards the deployment keeps (a month's worth each, whatever the span). */
  alarms: number;
  dashboards: number;
}

/** An empty usage over `seconds`. */
export function emptyUsage(seconds = 0): Usage {
  return {
    seconds,
    lambdaInvocations: 0,
    lambdaGbSeconds: 0,
    dynamodbWriteUnits: 0,
    dynamodbReadUnits: 0,
    dynamodbStoredBytes: 0,
    getMetricDataMetrics: 0,
    customMetrics: 0,
    logBytes: 0,
    sqsRequests: 0,
    schedulerInvocations: 0,
    awsServiceEvents: 0,
    ecsApiCalls: 0,
    alarms: 0,
    dashboards: 0,
  };
}

/** One line of the bill: a price, the monthly quantity and the monthly dollars. */
export interface BillLine {
  price: PriceName;
  quantityPerMonth: number;
  usdPerMonth: number;
}

const gib = 1024 ** 3;

/**
 * Quantities per month for each price. Counts that accrue with time are scaled from `seconds` to 30
 * days; standing things (stored bytes, metrics, alarms, dashboards) are already monthly.
 */
function monthlyQuantities(usage: Usage): Record<PriceName, number> {
  const perMonth = usage.seconds > 0 ? secondsPerMonth / usage.seconds : 0;
  return {
    lambdaGbSecond: usage.lambdaGbSeconds * perMonth,
    lambdaRequest: usage.lambdaInvocations * perMonth,
    dynamodbWriteUnit: usage.dynamodbWriteUnits * perMonth,
    dynamodbReadUnit: usage.dynamodbReadUnits * perMonth,
    dynamodbStorageGbMonth: usage.dynamodbStoredBytes / gib,
    getMetricDataMetric: usage.getMetricDataMetrics * perMonth,
    customMetricMonth: usage.customMetrics,
    logIngestionGb: (usage.logBytes * perMonth) / gib,
    // A month's ingestion, kept (the log groups' retention is longer than a month).
    logStorageGbMonth: (usage.logBytes * perMonth) / gib,
    alarmMonth: usage.alarms,
    dashboardMonth: usage.dashboards,
    sqsRequest: usage.sqsRequests * perMonth,
    schedulerInvocation: usage.schedulerInvocations * perMonth,
    awsServiceEvent: usage.awsServiceEvents * perMonth,
    ecsApiCall: usage.ecsApiCalls * perMonth,
  };
}

/** The bill, a line per price with a non-zero quantity, largest first. */
export function billOf(usage: Usage): BillLine[] {
  const quantities = monthlyQuantities(usage);
  return (Object.keys(prices) as PriceName[])
    .map((price) => ({
      price,
      quantityPerMonth: quantities[price],
      usdPerMonth: quantities[price] * prices[price].usd,
    }))
    .filter((line) => line.quantityPerMonth > 0)
    .sort((a, b) => b.usdPerMonth - a.usdPerMonth);
}

/** The bill's total, dollars per 30-day month. */
export function usdPerMonth(usage: Usage): number {
  return billOf(usage).reduce((sum, line) => sum + line.usdPerMonth, 0);
}

/** DynamoDB write request units for one write of an item of `bytes` (1 KB each, rounded up). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Read request units for one strongly consistent read of an item of `bytes` (4 KB each, rounded up). */
export function readUnits(bytes: number, consistent = true): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}
