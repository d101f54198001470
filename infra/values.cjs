// Variable source for serverless.yml: `${file(./infra/values.cjs):some.path}`.
//
// Everything in the stack that depends on the config file (artifacts, environment, event patterns,
// IAM statements, dashboard, alarms) is computed by the TypeScript build (infra/lib/build.ts) and
// written to dist/lambda/deploy-values.json. This file hands those values to the framework:
//
// - `npm run package` builds first and then runs `serverless package` with
//   ECS_AUTOSCALER_PREBUILT set, so the values just built are used as they are;
// - `npx serverless package|deploy --param config=…` run directly builds here, once per run.
//
// CommonJS because the framework loads variable sources with require().
"use strict";

const { spawnSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const VALUES_FILE = path.join(ROOT, "dist", "lambda", "deploy-values.json");

/** One build per framework run, however many `${file(...)}` references ask. */
let pending;

module.exports = async ({ resolveConfigurationProperty }) => {
  const params = await resolveConfigurationProperty(["custom", "ecsAutoscaler"]);
  pending ??= load(params);
  return pending;
};

async function load(params) {
  const prebuilt = process.env.ECS_AUTOSCALER_PREBUILT;
  if (prebuilt) {
    const values = JSON.parse(readFileSync(prebuilt, "utf8"));
    if (sameParams(values.params, params)) return values;
  }
  const args = ["--import", "tsx", "scripts/package.ts", "--build-only", "--quiet"];
  for (const [flag, value] of [
    ["--config", params.config],
    ["--dry-run", params.dryRun],
    ["--interval", params.interval],
    ["--alarm-topic-arn", params.alarmTopicArn],
    ["--updates-per-second", params.updatesPerSecond],
  ]) {
    if (value !== undefined && value !== null && String(value) !== "") args.push(flag, String(value));
  }
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
  });
  if (run.status !== 0) {
    // The framework reports a failed variable once per reference to this file: print the problems
    // once, first, and keep the repeated message short.
    process.stderr.write(`\n${run.stderr || run.error || `exit ${run.status}`}\n`);
    const error = new Error("the ecs-autoscaler build failed; every problem is listed above");
    error.stack = error.message;
    throw error;
  }
  return JSON.parse(readFileSync(VALUES_FILE, "utf8"));
}

/** Whether a prebuilt values file was built with these parameters. */
function sameParams(built, params) {
  const given = (v) => (v === undefined || v === null ? "" : String(v).trim());
  return (
    built !== undefined &&
    ["config", "dryRun", "interval", "alarmTopicArn", "updatesPerSecond"].every(
      (k) => given(params[k]) === built[k],
    )
  );
}
