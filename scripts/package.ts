/**
 * `npm run package`: validate the config, bundle both functions, then let the Serverless Framework
 * compile the CloudFormation template, all offline and without AWS credentials. The result is in
 * .serverless/ (template and state) and dist/lambda/ (zip artifacts, deploy-values.json), ready for
 * `npx serverless deploy --package .serverless` with the same parameters.
 *
 * The config file defaults to config/example.yaml; choose another with `--config FILE` or the
 * ECS_AUTOSCALER_CONFIG environment variable. An invalid config or parameter stops here with exit
 * code 2 and every problem listed.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { buildDeployment, PackagingError } from "../infra/lib/build.ts";
import { describeExcess, exceeded, measureTemplate, quotaTable } from "../infra/lib/quotas.ts";
import type { RawSettings } from "../infra/lib/settings.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVERLESS = join(ROOT, "node_modules", "osls", "bin", "serverless.js");

interface Options {
  config?: string;
  dryRun?: string;
  interval?: string;
  alarmTopicArn?: string;
  updatesPerSecond?: string;
  stage?: string;
  region?: string;
  outDir?: string;
  buildOnly?: boolean;
  quiet?: boolean;
}

const program = new Command("package")
  .description("Build the Lambda artifacts and the CloudFormation template, offline")
  .option(
    "--config <file>",
    "config file to package (default: $ECS_AUTOSCALER_CONFIG or config/example.yaml)",
  )
  .option("--dry-run <true|false>", "log decisions without calling UpdateService (default: true)")
  .option("--interval <seconds>", "override the config's intervalSeconds at run time (1-60)")
  .option("--alarm-topic-arn <arn>", "SNS topic the alarms notify")
  .option(
    "--updates-per-second <n>",
    "UpdateService calls per second for the whole stack (1-5; default 4; stacks sharing an account should add up to 4)",
  )
  .option("--stage <stage>", "Serverless stage (default: dev)")
  .option("--region <region>", "AWS region (default: us-east-1)")
  .option(
    "--out-dir <dir>",
    "where the artifacts and deploy-values.json go (default: dist/lambda); the template then goes to <dir>/serverless instead of .serverless",
  )
  .option("--build-only", "build the artifacts and values only; skip `serverless package`")
  .option("--quiet", "print nothing on success")
  .parse();

const options = program.opts<Options>();
const raw: RawSettings = {
  config: options.config ?? process.env.ECS_AUTOSCALER_CONFIG ?? "",
  dryRun: options.dryRun ?? "",
  interval: options.interval ?? "",
  alarmTopicArn: options.alarmTopicArn ?? "",
  updatesPerSecond: options.updatesPerSecond ?? "",
};

try {
  const started = performance.now();
  const { values, valuesFile, bundles, warnings, quotas } = await buildDeployment(
    ROOT,
    raw,
    options.outDir ? { outDir: options.outDir } : {},
  );
  for (const w of warnings) process.stderr.write(`${values.configPath}: warning: ${w.path}: ${w.message}\n`);
  if (!options.quiet) {
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    const lines = [
      `config ${values.configPath}: ${servicesLine(values.plan.services)}, ${values.plan.queues.length} queue(s), ${values.plan.alarmNames.length} alarm(s), ${values.plan.capacityProviders.length} capacity provider(s)`,
      ...Object.values(bundles).map(
        (b) =>
          `  ${b.name}: bundle ${kb(b.bundleBytes)}, artifact ${kb(b.artifactBytes)} (${relative(ROOT, b.artifact)})`,
      ),
      values.dryRun
        ? "DRY RUN: decisions are logged, UpdateService is never called. Package with --dry-run false to act."
        : "LIVE: the evaluator calls UpdateService on the configured services.",
      `values: ${relative(ROOT, valuesFile)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  if (!options.buildOnly) {
    const params = Object.entries(values.params).filter(([, v]) => v !== "");
    const args = [SERVERLESS, "package", ...params.flatMap(([k, v]) => ["--param", `${k}=${v}`])];
    if (options.stage) args.push("--stage", options.stage);
    if (options.region) args.push("--region", options.region);
    const packageDir = options.outDir
      ? join(resolve(ROOT, options.outDir), "serverless")
      : join(ROOT, ".serverless");
    if (options.outDir) args.push("--package", packageDir);
    const run = spawnSync(process.execPath, args, {
      cwd: ROOT,
      stdio: options.quiet ? ["ignore", "ignore", "inherit"] : "inherit",
      env: { ...process.env, ECS_AUTOSCALER_PREBUILT: valuesFile },
    });
    if (run.status !== 0) {
      process.stderr.write(`package: serverless package failed (exit ${run.status ?? run.signal})\n`);
      process.exit(1);
    }
    checkTemplate(join(packageDir, "cloudformation-template-update-stack.json"), values.configPath);
  } else if (!options.quiet) {
    process.stdout.write(`${quotaTable(quotas)}\n`);
  }
} catch (error) {
  if (error instanceof PackagingError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

/**
 * Measures every quota on the template the framework wrote; prints them, or refuses (exit 2) naming
 * each one exceeded. The template stays on disk for a look, but a stack over a quota is not deployable.
 */
function checkTemplate(file: string, configPath: string): void {
  const template = JSON.parse(readFileSync(file, "utf8"));
  const measures = measureTemplate(template, statSync(file).size);
  const over = exceeded(measures);
  if (over.length > 0)
    throw new PackagingError(configPath, over.map(describeExcess), "does not fit one stack");
  if (!options.quiet) process.stdout.write(`${quotaTable(measures)}\n`);
}

/** "2 service(s) + 1 on-demand sibling": the same count `validate` gives, and the siblings it scales too. */
function servicesLine(services: readonly { role: string }[]): string {
  const siblings = services.filter((s) => s.role === "on-demand sibling").length;
  const scaled = `${services.length - siblings} service(s)`;
  return siblings > 0 ? `${scaled} + ${siblings} on-demand sibling(s)` : scaled;
}
