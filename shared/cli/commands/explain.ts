/**
 * `ecs-autoscaler explain --config FILE [--region R] [--table NAME] [--json]`: with the user's AWS
 * credentials, reads the live state of every configured service through the real adapters
 * (DescribeServices, GetQueueAttributes, GetMetricData, and the state table when given) and prints
 * each service's would-be decision and why. A dry run that changes nothing: no UpdateService, no
 * UpdateCapacityProvider, no state write.
 */
import type { Command } from "commander";
import { type AwsClients, createAwsClients } from "../../aws/clients.ts";
import { CloudWatchMetrics } from "../../aws/cloudwatch-metrics.ts";
import { DynamoDbStateStore, STATE_TABLE_ENV } from "../../aws/dynamodb-state-store.ts";
import { EcsServices } from "../../aws/ecs-services.ts";
import { SqsQueues } from "../../aws/sqs-queues.ts";
import { type Config, parseConfigText } from "../../config/config-file.ts";
import { formatProblems } from "../../config/issues.ts";
import type { DecisionRecord } from "../../ports/decision-sink.ts";
import type { PortFailure } from "../../ports/failure.ts";
import type { ServiceRef } from "../../ports/services.ts";
import { capacityTargets } from "../../runtime/capacity-schedule.ts";
import { runEvaluationPass } from "../../runtime/evaluation-pass.ts";
import { ReadOnlyStateStore } from "../../runtime/read-only-state.ts";
import { recordKey } from "../../runtime/service-index.ts";
import { InputError, readInput } from "../read-input.ts";

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

/** An AWS Region name as AWS spells them: `eu-west-1`, `us-gov-east-1`, `ap-southeast-5`. */
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The config, parsed and validated; bad input throws {@link InputError} with every problem listed. */
function readConfig(file: string): Config {
  const parsed = parseConfigText(readInput(file, "config"));
  if (!parsed.config) throw new InputError(formatProblems(parsed.problems, file));
  return parsed.config;
}

/**
 * Why the SDK cannot call AWS at all (no Region, no credentials), in words that say how to fix it; or
 * undefined. Checked once up front so the user gets one line instead of one failure per service.
 */
async function awsSetupProblem(aws: AwsClients, profile: string | undefined): Promise<string | undefined> {
  // A named profile is the usual cause when it is set: say which one, not only that something is missing.
  const named = profile !== undefined && profile.trim() !== "" ? `AWS_PROFILE=${profile}: ` : "";
  try {
    await aws.ecs.config.region();
  } catch {
    return named
      ? `${named}no AWS Region: the profile has none, or is not in ~/.aws/config (aws configure list-profiles); pass --region or set AWS_REGION`
      : "no AWS Region: pass --region (for example --region eu-west-1), set AWS_REGION, or give your AWS profile a region (AWS_PROFILE, ~/.aws/config)";
  }
  try {
    await aws.ecs.config.credentials();
  } catch {
    return named
      ? `${named}no credentials for this profile: it is not configured (aws configure list-profiles) or its session expired (aws sso login --profile ${profile})`
      : "no AWS credentials: set AWS_PROFILE to a configured profile (aws configure, aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  }
  return undefined;
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
 * (each reported on stderr), 2 bad input (the config, `--region`) or no Region or credentials to call
 * AWS with (one line saying how to give them; with `--json`, also as `error` on stdout).
 */
export async function runExplain(
  options: ExplainOptions,
  io: ExplainIo,
  clients?: AwsClients,
): Promise<number> {
  // With --json the failure is on stdout too, so a script reading it always gets an answer.
  const refuse = (message: string, prefix = ""): number => {
    if (options.json)
      io.stdout(`${JSON.stringify({ at: io.now().toISOString(), error: message }, null, 2)}\n`);
    io.stderr(`${prefix}${message}\n`);
    return 2;
  };
  if (options.region !== undefined && !regionPattern.test(options.region)) {
    return refuse(
      `--region "${options.region}" is not an AWS Region name (for example eu-west-1)`,
      "explain: ",
    );
  }
  let config: Config;
  try {
    config = readConfig(options.config);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return refuse(error.message);
  }
  const aws = clients ?? createAwsClients(options.region ? { region: options.region } : {});
  const unusable = await awsSetupProblem(aws, io.env.AWS_PROFILE);
  if (unusable) return refuse(unusable, "explain: ");
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
    ...(d.draining ? { draining: d.draining } : {}),
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
    const running = d.draining ? `running ${d.running} (${d.draining} draining)` : `running ${d.running}`;
    const facts = [running, ...(d.backlog !== undefined ? [`backlog ${d.backlog}`] : [])].join(", ");
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
