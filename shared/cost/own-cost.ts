/**
 * The `ownCost` of a simulated run: what the service's passes and events counted (its ports and the
 * telemetry it caused) plus the Lambda model, split into this service's share and the deployment's
 * fixed part, priced per 30-day month.
 */
import { addUsage, fixedUsage, serviceLambdaUsage } from "./lambda-model.ts";
import { type BillLine, billOf, usdPerMonth } from "./own-bill.ts";
import type { UsageCounter, UsageCounts } from "./usage-counter.ts";

/** The autoscaler's own bill for one simulated service (the JSON contract of `simulate --json`). */
export interface OwnCost {
  /** This service's share, dollars per 30-day month (the deployment's fixed part excluded). */
  usdPerMonth: number;
  /** The deployment's fixed part (evaluator Lambda, scheduler, dashboard, alarms), dollars per month. */
  fixedUsdPerMonth: number;
  /** The largest state item read or written, bytes as DynamoDB sizes it (the goal: ≤ 4 KB). */
  stateItemBytesMax: number;
  /** The run's counts behind the figures, over `seconds`. */
  counts: UsageCounts & { seconds: number; passes: number; taskEvents: number };
  /** Both bills line by line, largest first. */
  lines: { service: BillLine[]; fixed: BillLine[] };
}

export interface OwnCostInputs {
  seconds: number;
  intervalSeconds: number;
  passes: number;
  taskEvents: number;
  /** The service's ports, per-service metrics and log bytes. */
  service: UsageCounter;
  /** Metrics the deployment's services share. */
  deployment: UsageCounter;
}

/** Dollars to a hundredth of a cent. */
const rounded = (usd: number) => Math.round(usd * 1e4) / 1e4;

/** Prices what a run counted. */
export function ownCostOf(inputs: OwnCostInputs): OwnCost {
  const service = addUsage(
    inputs.service.usage(inputs.seconds),
    serviceLambdaUsage(inputs.seconds, inputs.intervalSeconds, inputs.taskEvents),
  );
  const fixed = fixedUsage(inputs.intervalSeconds, inputs.seconds, inputs.deployment.counts().customMetrics);
  const counts = inputs.service.counts();
  return {
    usdPerMonth: rounded(usdPerMonth(service)),
    fixedUsdPerMonth: rounded(usdPerMonth(fixed)),
    stateItemBytesMax: counts.stateItemBytesMax,
    counts: { seconds: inputs.seconds, passes: inputs.passes, taskEvents: inputs.taskEvents, ...counts },
    lines: { service: billOf(service), fixed: billOf(fixed) },
  };
}
