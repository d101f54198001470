/**
 * `npm run bench:cost`: the autoscaler's own AWS bill for 1, 10, 100 and 1,000 services sharing one
 * deployment, at 10 s and 60 s cadence, against the goals: ≤ $0.50 per service per month at the default
 * 10 s cadence, a fixed part ≤ $5 per month, a state item ≤ 4 KB. Writes bench/results/own-cost.json
 * and bench/results/own-cost.md.
 *
 * How: the real runtime on the simulator's in-memory ports, which count every call, capacity unit,
 * metric and log byte (`ownCost` of `simulate --json`), for a steady service (the `steady` scenario)
 * and a busy one (`step-burst`: a ×10 burst, many task starts). A service's usage does not depend on
 * the others (each reads its own queue, metrics and record; DescribeServices batches by 10, which the
 * per-service figure already counts as one call per pass), so N services cost N × the per-service
 * figure plus the deployment's fixed part: extrapolated, not simulated N times. Beyond 250 services
 * the fleet is sharded, and each further shard adds its passes' invocations and queue messages to the
 * fixed part. The Lambda's pass time per service, and the pass queue mapping's idle polling, are
 * assumptions of shared/cost/lambda-model.ts.
 *
 * The other autoscalers' own costs, for the README: AWS target tracking creates two CloudWatch alarms
 * per policy; KEDA runs an operator, a metrics API server and admission webhooks on the cluster.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  idlePollingRequests as idle,
  lambdaModel,
  shardsFor,
  shardUsage,
} from "../shared/cost/lambda-model.ts";
import { usdPerMonth } from "../shared/cost/own-bill.ts";
import type { OwnCost } from "../shared/cost/own-cost.ts";
import { prices, secondsPerMonth } from "../shared/cost/prices.ts";
import { fargatePrice } from "../shared/sim/score.ts";
import { simulate } from "../shared/sim/simulate.ts";

const command = "npm run bench:cost";
const cadences = [10, 60] as const;
const serviceCounts = [1, 10, 100, 1000] as const;
const workloads = [
  { name: "steady", scenario: "steady" },
  { name: "busy", scenario: "step-burst" },
] as const;
const goals = { usdPerServiceMonth: 0.5, fixedUsdPerMonth: 5, stateItemBytes: 4096 };

/** What one simulated service cost, with the per-pass figures behind it. */
interface Measured {
  workload: string;
  scenario: string;
  intervalSeconds: number;
  ownCost: OwnCost;
  perPass: { metricsRequested: number; writeUnits: number; readUnits: number; logBytes: number };
}

async function measure(intervalSeconds: number, workload: (typeof workloads)[number]): Promise<Measured> {
  const output = await simulate({
    scenario: workload.scenario,
    policies: ["ecs-autoscaler"],
    intervalSeconds,
    seed: 1,
  });
  const own = output.results[0]?.ownCost;
  if (!own) throw new Error(`${workload.scenario}: the simulator reported no ownCost`);
  const passes = own.counts.passes;
  const per = (n: number) => Math.round((n / passes) * 100) / 100;
  return {
    workload: workload.name,
    scenario: workload.scenario,
    intervalSeconds,
    ownCost: own,
    perPass: {
      metricsRequested: per(own.counts.getMetricDataMetrics),
      writeUnits: per(own.counts.dynamodbWriteUnits),
      readUnits: per(own.counts.dynamodbReadUnits),
      logBytes: per(own.counts.logBytes),
    },
  };
}

/** Dollars with cents, or with four decimals below a dollar. */
const usd = (n: number) => `$${n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3)}`;

interface Row {
  intervalSeconds: number;
  services: number;
  shards: number;
  perServiceSteady: number;
  perServiceBusy: number;
  fixed: number;
  totalSteady: number;
  totalBusy: number;
}

function rowsOf(measured: readonly Measured[]): Row[] {
  return cadences.flatMap((intervalSeconds) => {
    const at = measured.filter((m) => m.intervalSeconds === intervalSeconds);
    const steady = at.find((m) => m.workload === "steady")!.ownCost;
    const busy = at.find((m) => m.workload === "busy")!.ownCost;
    const oneShard = Math.max(steady.fixedUsdPerMonth, busy.fixedUsdPerMonth);
    return serviceCounts.map((services) => {
      const fixed = oneShard + usdPerMonth(shardUsage(intervalSeconds, secondsPerMonth, shardsFor(services)));
      return {
        intervalSeconds,
        services,
        shards: shardsFor(services),
        perServiceSteady: steady.usdPerMonth,
        perServiceBusy: busy.usdPerMonth,
        fixed,
        totalSteady: fixed + services * steady.usdPerMonth,
        totalBusy: fixed + services * busy.usdPerMonth,
      };
    });
  });
}

/** The other autoscalers' own costs per month, with the assumption and the source of each. */
function others() {
  const keda = { pods: 3, vcpu: 0.1, memoryGib: 100 / 1024 };
  const hours = 720;
  const kedaFixed =
    keda.pods *
    hours *
    (keda.vcpu * fargatePrice.vcpuHour + ((keda.memoryGib * 1024 ** 3) / 1e9) * fargatePrice.gbHour);
  // KEDA's SQS scaler polls GetQueueAttributes every pollingInterval (default 30 s) per ScaledObject.
  const kedaPerService = ((30 * 86_400) / 30) * prices.sqsRequest.usd;
  return [
    {
      autoscaler: "AWS target tracking (Application Auto Scaling)",
      perServiceUsdPerMonth: 2 * prices.alarmMonth.usd,
      fixedUsdPerMonth: 0,
      assumption: "two CloudWatch alarms per target-tracking policy (high and low), standard resolution",
      source: prices.alarmMonth.source,
    },
    {
      autoscaler: "KEDA",
      perServiceUsdPerMonth: kedaPerService,
      fixedUsdPerMonth: kedaFixed,
      assumption:
        "the Helm chart's default requests for its three pods (operator, metrics API server, admission webhooks: 100m CPU and 100Mi each) priced at Fargate's per-vCPU-hour and per-GB-hour rates (us-east-1) as a share of a node; per service, its SQS scaler's GetQueueAttributes every 30 s (pollingInterval's default)",
      source:
        "https://github.com/kedacore/charts/blob/main/keda/values.yaml (resources), https://keda.sh/docs/latest/reference/scaledobject-spec/ (pollingInterval), https://aws.amazon.com/fargate/pricing/",
    },
  ];
}

function markdown(
  measured: readonly Measured[],
  rows: readonly Row[],
  goalChecks: Record<string, boolean>,
): string {
  const other = others();
  const sharded10 = rows.filter((r) => r.intervalSeconds === 10 && r.shards > 1);
  const lines = [
    "# ecs-autoscaler's own AWS bill",
    "",
    `Produced by \`${command}\` (bench/own-cost.ts). us-east-1, on-demand, no free tier, 30-day month; prices and their sources in shared/cost/prices.ts.`,
    "Per service: the real runtime on the simulator's counting ports (a steady service: the `steady` scenario; a busy one: `step-burst`).",
    "N services: N × the per-service figure + the deployment's fixed part (extrapolated: a service's calls, metrics and record are its own).",
    "",
    "## Per number of services",
    "",
    "| cadence | services | shards | per service, steady | per service, busy | fixed per deployment | total, steady | total, busy |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.intervalSeconds} s | ${r.services.toLocaleString("en-US")} | ${r.shards} | ${usd(r.perServiceSteady)} | ${usd(r.perServiceBusy)} | ${usd(r.fixed)} | ${usd(r.totalSteady)} | ${usd(r.totalBusy)} |`,
    ),
    "",
    `Each pass is an invocation of its own: the tick's, then one per queued pass (the pass queue), billed for the pass only. A pass's duration is assumed (shared/cost/lambda-model.ts: ${lambdaModel.passBaseSeconds} s + ${lambdaModel.passSecondsPerService * 1000} ms per service); a shard holds at most ${lambdaModel.servicesPerShard} services, about ${(lambdaModel.passBaseSeconds + lambdaModel.servicesPerShard * lambdaModel.passSecondsPerService).toFixed(1)} s a pass, and every further shard adds its own invocations and messages to the fixed part.`,
    `The pass queue's event source mapping polls the queue even when it is empty; assumed: ${lambdaModel.mappingPollers} pollers, each a ${lambdaModel.longPollSeconds} s long poll back to back, ${(idle(secondsPerMonth) / 1000).toFixed(0)}k ReceiveMessage requests a month (${usd(idle(secondsPerMonth) * prices.sqsRequest.usd)}); sources in shared/cost/lambda-model.ts.`,
    "",
    "## Goals (default 10 s cadence)",
    "",
    `- per service ≤ $${goals.usdPerServiceMonth.toFixed(2)}/month: ${goalChecks.perService ? "met" : "NOT met"} (busy ${usd(rows.find((r) => r.intervalSeconds === 10)!.perServiceBusy)})`,
    `- fixed part ≤ $${goals.fixedUsdPerMonth}/month: ${goalChecks.fixed ? "met" : "NOT met"} (${usd(rows.find((r) => r.intervalSeconds === 10)!.fixed)} for one shard, up to ${lambdaModel.servicesPerShard} services; ${sharded10.map((r) => `${usd(r.fixed)} with ${r.shards} shards at ${r.services.toLocaleString("en-US")} services`).join(", ")})`,
    `- state item ≤ 4 KB: ${goalChecks.stateItem ? "met" : "NOT met"} (largest ${Math.max(...measured.map((m) => m.ownCost.stateItemBytesMax)).toLocaleString("en-US")} bytes)`,
    "",
    "## Per pass and line by line",
    "",
    "| cadence | workload | $/service/month | fixed $/month | metrics requested per pass | write units per pass | read units per pass | log bytes per pass | state item, max bytes |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ...measured.map(
      (m) =>
        `| ${m.intervalSeconds} s | ${m.workload} | ${usd(m.ownCost.usdPerMonth)} | ${usd(m.ownCost.fixedUsdPerMonth)} | ${m.perPass.metricsRequested} | ${m.perPass.writeUnits} | ${m.perPass.readUnits} | ${m.perPass.logBytes} | ${m.ownCost.stateItemBytesMax.toLocaleString("en-US")} |`,
    ),
    "",
    ...measured.flatMap((m) => [
      `${m.intervalSeconds} s, ${m.workload}: ${[
        ...m.ownCost.lines.service,
        ...m.ownCost.lines.fixed.map((l) => ({ ...l, price: `${l.price} (fixed)` })),
      ]
        .filter((l) => l.usdPerMonth >= 0.005)
        .map((l) => `${l.price} ${usd(l.usdPerMonth)}`)
        .join(", ")}`,
      "",
    ]),
    "## Beside the other autoscalers",
    "",
    "| autoscaler | per service $/month | fixed $/month | assumption | source |",
    "|---|---:|---:|---|---|",
    ...rows
      .filter((r) => r.intervalSeconds === 10 && r.services === 1)
      .map(
        (r) =>
          `| ecs-autoscaler (10 s cadence) | ${usd(r.perServiceSteady)}–${usd(r.perServiceBusy)} | ${usd(r.fixed)} | steady–busy service, this bench | shared/cost/prices.ts |`,
      ),
    ...rows
      .filter((r) => r.intervalSeconds === 60 && r.services === 1)
      .map(
        (r) =>
          `| ecs-autoscaler (60 s cadence) | ${usd(r.perServiceSteady)}–${usd(r.perServiceBusy)} | ${usd(r.fixed)} | steady–busy service, this bench | shared/cost/prices.ts |`,
      ),
    ...other.map(
      (o) =>
        `| ${o.autoscaler} | ${usd(o.perServiceUsdPerMonth)} | ${usd(o.fixedUsdPerMonth)} | ${o.assumption} | ${o.source} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

const started = performance.now();
const measured: Measured[] = [];
for (const intervalSeconds of cadences) {
  for (const workload of workloads) {
    const m = await measure(intervalSeconds, workload);
    measured.push(m);
    process.stderr.write(
      `bench:cost: ${intervalSeconds} s ${workload.name.padEnd(6)} ${usd(m.ownCost.usdPerMonth)}/service/month, fixed ${usd(m.ownCost.fixedUsdPerMonth)}/month, ${m.perPass.metricsRequested} metrics and ${m.perPass.writeUnits} write units per pass, state item ≤ ${m.ownCost.stateItemBytesMax} bytes\n`,
    );
  }
}
const rows = rowsOf(measured);
const at10 = rows.filter((r) => r.intervalSeconds === 10);
const goalChecks = {
  perService: at10.every(
    (r) => r.perServiceBusy <= goals.usdPerServiceMonth && r.perServiceSteady <= goals.usdPerServiceMonth,
  ),
  // The deployment's own fixed part; a sharded fleet's extra shards are priced in its rows.
  fixed: at10.filter((r) => r.shards === 1).every((r) => r.fixed <= goals.fixedUsdPerMonth),
  stateItem: measured.every((m) => m.ownCost.stateItemBytesMax <= goals.stateItemBytes),
};
const outDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(outDir, { recursive: true });
const md = markdown(measured, rows, goalChecks);
writeFileSync(
  `${outDir}own-cost.json`,
  `${JSON.stringify({ command, goals, goalChecks, rows, measured, others: others() }, null, 2)}\n`,
);
writeFileSync(`${outDir}own-cost.md`, md);
process.stdout.write(
  `${md}\nbench:cost: wrote bench/results/own-cost.json and .md in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
