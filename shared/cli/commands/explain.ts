/**
 * `ecs-autoscaler explain --config FILE [--region R] [--table NAME] [--json]`: with the user's AWS
 * credentials, reads the live state of every configured service through the real adapters
 * (DescribeServices, GetQueueAttributes, GetMetricData, and the state table when given) and prints
 * each service's would-be decision and why. A dry run that changes nothing: no UpdateService, no
 * UpdateCapacityProvider, no state write.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type AwsClients, createAwsClients } from "../../aws/clients.ts";
import { CloudWatchMetrics } from "../../aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore, STATE_TABLE_ENV } from "../../aws/dynamodb-state-store.ts";
import { EcsServices } from "../../aws/ecs-services.ts";
import { SqsQueues } from "../../aws/sqs-queues.ts";
import { parseConfigText } from "../../config/config-file.ts";
import { formatProblems } from "../../config/issues.ts";
import type { DecisionRecord } from "../../ports/decision-sink.ts";
import type { PortFailure } from "../../ports/failure.ts";
import type { ServiceRef } from "../../ports/services.ts";
import { capacityTargets } from "../../runtime/capacity-schedule.ts";
import { runEvaluationPass } from "../../runtime/evaluation-pass.ts";
import { ReadOnlyStateStore } from "../../runtime/read-only-state.ts";
import { recordKey } from "../../runtime/service-index.ts";
import { readInput } from "../read-input.ts";

export interface ExplainOptions {
  config: string;
  region?: string;
  /** The state table of the deployment (default: $STATE_TABLE_NAME); without one, no history. */
  table?: string;
  json?: boolean;
}

export interface ExplainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
}

/** Registers the `explain` command. */
export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description(
      "Read live state with your AWS credentials and print each service's would-be decision and why (changes nothing)",
    )
    .requiredOption("--config <file>", "config file (YAML or JSON)")
    .option("--region <region>", "AWS Region (default: your SDK configuration, e.g. AWS_REGION)")
    .option("--table <name>", `state table of a deployment, for its history (default: $${STATE_TABLE_ENV})`)
    .option("--json", "print the decisions as JSON")
    .action(async (options: ExplainOptions) => {
      process.exitCode = await runExplain(options, {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        env: process.env,
        now: () => new Date(),
      });
    });
}

/**
 * Runs `explain`; returns the exit code: 0 every service explained, 1 some could not be read
 * (each reported on stderr), 2 the config is invalid.
 */
export async function runExplain(
  options: ExplainOptions,
  io: ExplainIo,
  clients?: AwsClients,
): Promise<number> {
  if (options.config !== "-" && !existsSync(options.config)) {
    io.stderr(`${options.config}: no such file\n`);
    return 2;
  }
  const { config, problems } = parseConfigText(readInput(options.config));
  if (!config) {
    io.stderr(`${options.config} is invalid:\n${formatProblems(problems)}\n`);
    return 2;
  }
  const aws = clients ?? createAwsClients(options.region ? { region: options.region } : {});
  const table = options.table ?? io.env[STATE_TABLE_ENV];
  const decisions: DecisionRecord[] = [];
  const failures: { ref: ServiceRef; stage: string; failure: PortFailure }[] = [];
  const now = io.now();
  await runEvaluationPass(
    {
      services: new EcsServices(aws.ecs),
      queues: new SqsQueues(aws.sqs),
      metrics: new CloudWatchMetrics(aws.cloudwatch),
      state: new ReadOnlyStateStore(table ? new DynamoDbStateStore(aws.dynamodb, table) : undefined),
      sink: {
        decision: (d) => decisions.push(d),
        failure: (ref, stage, failure) => failures.push({ ref, stage, failure }),
      },
      dryRun: true,
    },
    config,
    now,
  );
  const order = new Map(config.services.map((s, i) => [recordKey(s), i]));
  decisions.sort((a, b) => (order.get(recordKey(a.ref)) ?? 0) - (order.get(recordKey(b.ref)) ?? 0));
  const capacity = capacityTargets(config, now);

  if (options.json) {
    io.stdout(
      `${JSON.stringify({ at: now.toISOString(), history: table ? "state table" : "none", decisions: decisions.map(toJson), capacityProviders: capacity }, null, 2)}\n`,
    );
  } else {
    io.stdout(render(decisions, capacity, table));
  }
  for (const f of failures) io.stderr(`${recordKey(f.ref)}: ${f.stage} failed: ${f.failure.message}\n`);
  return failures.some((f) => f.stage !== "read") ? 1 : 0;
}

function toJson(d: DecisionRecord) {
  return {
    service: recordKey(d.ref),
    from: d.from,
    to: d.decision.desiredCount,
    reason: d.guard ?? d.decision.reason,
    explanation: d.decision.explanation,
    running: d.running,
    ...(d.backlog !== undefined ? { backlog: d.backlog } : {}),
    ...(d.split ? { split: d.split } : {}),
  };
}

function render(
  decisions: readonly DecisionRecord[],
  capacity: ReturnType<typeof capacityTargets>,
  table: string | undefined,
): string {
  const lines: string[] = [];
  for (const d of decisions) {
    const to = d.decision.desiredCount;
    const verb = to === d.from ? "stays at" : "would go";
    const counts = to === d.from ? `${to}` : `${d.from} → ${to}`;
    const facts = [`running ${d.running}`, ...(d.backlog !== undefined ? [`backlog ${d.backlog}`] : [])].join(
      ", ",
    );
    lines.push(`${recordKey(d.ref)}: ${verb} ${counts} (${d.guard ?? d.decision.reason}; ${facts})`);
    if (d.split) {
      lines.push(
        `  Spot ${d.split.fromSpot} → ${d.split.spot}, on-demand ${d.split.onDemandService} ${d.split.fromOnDemand} → ${d.split.onDemand}`,
      );
    }
    lines.push(`  ${d.decision.explanation}`);
  }
  for (const c of capacity) {
    const settings = Object.entries(c.settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    lines.push(
      `capacity provider ${c.name}: ${settings}${c.window ? ` (window "${c.window}")` : " (baseline)"}`,
    );
  }
  lines.push(
    table
      ? `History from state table ${table}. Dry run: nothing was changed.`
      : `No state table given (--table or $${STATE_TABLE_ENV}): stabilization windows and rate limits start empty. Dry run: nothing was changed.`,
  );
  return `${lines.join("\n")}\n`;
}
