// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders.
/**
 * `npm run package` end to end, offline and without AWS credentials: packages the test fixture config
 * once, then reads the CloudFormation template the Serverless Framework wrote and the zip artifacts.
 * The IAM assertions are the product's promise: no wildcard action, UpdateService exactly on the
 * configured services (and Spot siblings), queue reads exactly on the configured queues, each
 * function granted exactly the AWS calls its bundle can make.
 *
 * Everything runs in a temporary copy of the checkout (test/infra/package-run.ts).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../functions/lib/lambda-setup.ts";
import { INIT_FAILURES_METRIC } from "../../infra/lib/health-alarms.ts";
import { RUNTIME_METRICS } from "../../infra/lib/observability.ts";
import { parseConfigText } from "../../shared/config/config-file.ts";
import { PACKAGED_CONFIG_FORMAT } from "../../shared/config/packaged.ts";
import { lambdaModel } from "../../shared/cost/lambda-model.ts";
import { credentialFreeEnv, packagingCopy, runPackageIn } from "./package-run.ts";

const ROOT = packagingCopy();
const FIXTURE = "test/fixtures/deploy/config.yaml";
/** A private output directory: another `npm test` or `npm run package` on the same checkout cannot touch it. */
const OUT = mkdtempSync(join(tmpdir(), "ecs-autoscaler-deploy-"));
const sub = (s: string) => ({ "Fn::Sub": `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${s}` });
const runPackage = (args: string[]) => runPackageIn(ROOT, args);

// biome-ignore lint/suspicious/noExplicitAny: a parsed CloudFormation template, read by path in assertions
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: unknown };
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };
// biome-ignore lint/suspicious/noExplicitAny: a parsed CloudFormation template, read by path in assertions
let template: { Resources: Record<string, Resource>; Outputs: Record<string, any> };
let packageRun: ReturnType<typeof runPackage>;

const resources = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
function roleStatements(logicalId: string): Statement[] {
  const role = template.Resources[logicalId]!;
  return role.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement);
}
/** Resources granted for `action` in a role, across its statements. */
const grantedFor = (logicalId: string, action: string) =>
  roleStatements(logicalId)
    .filter((s) => actionsOf(s).includes(action))
    .flatMap(resourcesOf);
const zip = (name: string) => unzipSync(readFileSync(join(OUT, `${name}.zip`)));

beforeAll(() => {
  packageRun = runPackage(["--config", FIXTURE, "--updates-per-second", "3", "--out-dir", OUT]);
  if (packageRun.status !== 0) throw new Error(`npm run package failed (${packageRun.status}):\n${packageRun.stdout}\n${packageRun.stderr}`);
  template = JSON.parse(readFileSync(join(OUT, "serverless/cloudformation-template-update-stack.json"), "utf8"));
}, 240_000);

afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

describe("npm run package (offline, no AWS credentials)", () => {
  it("reports the plan, the artifacts and that dry run is on by default", () => {
    expect(packageRun.stdout).toContain(`config ${FIXTURE}: 3 service(s) + 1 on-demand sibling(s), 2 queue(s), 2 alarm(s), 1 capacity provider(s)`);
    expect(packageRun.stdout).toContain("DRY RUN");
    expect(packageRun.stdout + packageRun.stderr).toContain("Service packaged");
    const sha = createHash("sha256")
      .update(readFileSync(join(ROOT, FIXTURE)))
      .digest("hex");
    expect(template.Outputs.ConfigSha256.Value).toBe(sha);
  });

  it("packs the handler, its source map and the config as validated and defaulted at package time (JSON with its hash)", () => {
    const validated = parseConfigText(readFileSync(join(ROOT, FIXTURE), "utf8")).config;
    for (const name of ["evaluate", "task-events"]) {
      const files = zip(name);
      expect(Object.keys(files)).toEqual(expect.arrayContaining(["index.mjs", "index.mjs.map", "config.json"]));
      const packaged = JSON.parse(Buffer.from(files["config.json"]!).toString("utf8"));
      expect(packaged).toEqual({ format: PACKAGED_CONFIG_FORMAT, source: FIXTURE, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), config: validated });
      expect(packaged.sha256).toBe(createHash("sha256").update(JSON.stringify(packaged.config)).digest("hex"));
    }
  });

  it.each(["evaluate", "task-events"])("%s: bundles neither the YAML parser, the config file's schema nor the SDK's default credential chain (STS, SSO, ini files)", (name) => {
    const inputs = Object.keys((JSON.parse(readFileSync(join(OUT, name, "meta.json"), "utf8")) as { inputs: Record<string, unknown> }).inputs);
    const unwanted = [
      /node_modules\/yaml\//,
      /shared\/config\/config-file\.ts$/,
      /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|web-identity|process|http|login)|nested-clients|client-sts|client-sso|token-providers)\//,
      /credential-provider-imds/,
    ];
    expect(inputs.filter((p) => unwanted.some((u) => u.test(p)))).toEqual([]);
    expect(inputs.some((p) => p.includes("node_modules/@aws-sdk/credential-provider-env/"))).toBe(true);
  });

  it.each(["evaluate", "task-events"])("%s: the bundle loads in a fresh Node process as Lambda would start it, and exports the handler", (name) => {
    const dir = join(OUT, name);
    const child = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "index.mjs")).href)}); process.stdout.write("\\nhandler: " + typeof m.handler);`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], {
      encoding: "utf8",
      timeout: 30_000,
      env: {
        ...credentialFreeEnv(),
        [ENV.configPath]: join(dir, "config.json"),
        [ENV.stateTable]: "test-state",
        [ENV.dryRun]: "true",
        AWS_REGION: "eu-west-1",
        POWERTOOLS_SERVICE_NAME: RUNTIME_METRICS.powertoolsService,
      },
    });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("handler: function");
  });

  it.each(["evaluate", "task-events"])("bundles %s without zod, luxon, cron-parser or the SDK's event streams", (name) => {
    // Events and state items are checked with plain functions, schedules with croner and Intl: what
    // the functions load at init stays small (docs/deploy.md has the sizes).
    const meta = JSON.parse(readFileSync(join(OUT, name, "meta.json"), "utf8")) as { inputs: Record<string, unknown> };
    const unwanted = Object.keys(meta.inputs).filter((p) => /node_modules\/(zod|luxon|cron-parser)\/|\/event-streams\//.test(p));
    expect(unwanted).toEqual([]);
    expect(Object.keys(meta.inputs).some((p) => p.includes("node_modules/croner/"))).toBe(true);
  });

  /** The packaged config of the evaluate artifact with `edit` applied, written to a temporary file. */
  function editedPackagedConfig(edit: (file: { config: { intervalSeconds: number } }) => void): string {
    const file = JSON.parse(readFileSync(join(OUT, "evaluate", "config.json"), "utf8"));
    edit(file);
    const path = join(mkdtempSync(join(tmpdir(), "ecs-autoscaler-edited-")), "config.json");
    writeFileSync(path, JSON.stringify(file));
    return path;
  }

  it.each([
    { case: "a config file that was not packaged (the YAML itself)", config: () => join(ROOT, FIXTURE), env: {}, message: "config.yaml is invalid:\n$: not a packaged config (not JSON)" },
    {
      case: "a packaged config edited after packaging",
      config: () =>
        editedPackagedConfig((f) => {
          f.config.intervalSeconds = 600;
        }),
      env: {},
      message: "$: the config does not match its sha256: it was changed after packaging",
    },
    { case: "a missing config file", config: () => join(OUT, "evaluate", "missing.json"), env: {}, message: "$: cannot read the config file: ENOENT" },
    {
      case: "a bad environment",
      config: () => join(OUT, "evaluate", "config.json"),
      env: { [ENV.stateTable]: "", [ENV.intervalSeconds]: "90" },
      message: "the function's environment is invalid:\nSTATE_TABLE_NAME: is not set\nINTERVAL_SECONDS: must be a whole number of seconds from 1 to 60",
    },
  ])("a bundle started with $case fails its initialisation with a clear message", ({ config, env, message }) => {
    const dir = join(OUT, "evaluate");
    const child = `await import(${JSON.stringify(pathToFileURL(join(dir, "index.mjs")).href)});`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...credentialFreeEnv(), [ENV.configPath]: config(), [ENV.stateTable]: "test-state", AWS_REGION: "eu-west-1", ...env },
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("invalid configuration: the function will not run");
    expect(run.stdout + run.stderr).toContain(message);
  });

  it("builds byte-identical artifacts from the same sources and config", () => {
    const before = ["evaluate", "task-events"].map((n) =>
      createHash("sha256")
        .update(readFileSync(join(OUT, `${n}.zip`)))
        .digest("hex"),
    );
    const again = runPackage(["--config", FIXTURE, "--out-dir", OUT, "--build-only", "--quiet"]);
    expect(again.status, again.stderr).toBe(0);
    const after = ["evaluate", "task-events"].map((n) =>
      createHash("sha256")
        .update(readFileSync(join(OUT, `${n}.zip`)))
        .digest("hex"),
    );
    expect(after).toEqual(before);
  });
});

describe("packaged IAM: least privilege", () => {
  const roles = () => resources("AWS::IAM::Role").map(([id]) => id);

  it("has only the three roles this stack declares (no framework default role)", () => {
    expect(roles().sort()).toEqual(["EvaluateRole", "SchedulerRole", "TaskEventsRole"]);
    expect(resources("AWS::IAM::Policy")).toEqual([]);
    expect(resources("AWS::IAM::ManagedPolicy")).toEqual([]);
  });

  it("has no wildcard action anywhere (no `*`, no `service:*`, no `service:Describe*`), only Allow statements", () => {
    for (const id of roles()) {
      for (const s of roleStatements(id)) {
        expect(s.Effect).toBe("Allow");
        for (const action of actionsOf(s)) expect(action, `${id} ${s.Sid}`).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    }
  });

  it("uses Resource * only for the action IAM cannot scope: GetMetricData", () => {
    const starred = roles().flatMap((id) =>
      roleStatements(id)
        .filter((s) => resourcesOf(s).includes("*"))
        .flatMap(actionsOf),
    );
    expect(new Set(starred)).toEqual(new Set(["cloudwatch:GetMetricData"]));
  });

  it.each(["EvaluateRole", "TaskEventsRole"])("%s: UpdateService and DescribeServices on the services of exactly the configured clusters, by resource and ecs:cluster condition", (role) => {
    const expected = [sub("service/prod/*"), sub("service/batch/*")];
    expect(grantedFor(role, "ecs:UpdateService")).toEqual(expected);
    expect(grantedFor(role, "ecs:DescribeServices")).toEqual(expected);
    const [statement] = roleStatements(role).filter((s) => actionsOf(s).includes("ecs:UpdateService")) as (Statement & { Condition: unknown })[];
    expect(statement!.Condition).toEqual({ ArnEquals: { "ecs:cluster": [sub("cluster/prod"), sub("cluster/batch")] } });
  });

  it.each(["EvaluateRole", "TaskEventsRole"])("%s: GetQueueAttributes exactly on the configured queues, ARNs from their URLs (and the evaluator's pass queue)", (role) => {
    const passQueue = role === "EvaluateRole" ? [{ "Fn::GetAtt": ["PassQueue", "Arn"] }] : [];
    expect(grantedFor(role, "sqs:GetQueueAttributes")).toEqual(["arn:aws:sqs:eu-west-1:123456789012:jobs", "arn:aws:sqs:us-east-1:210987654321:report-requests", ...passQueue]);
  });

  it.each(["EvaluateRole", "TaskEventsRole"])(
    "%s: DynamoDB only on the state table, logs only on its own log group, SendMessage only to the failed-events queue (and the evaluator's pass queue)",
    (role) => {
      const own = role === "EvaluateRole" ? "EvaluateLogGroup" : "TaskDasheventsLogGroup";
      for (const s of roleStatements(role)) {
        const prefixes = new Set(actionsOf(s).map((a) => a.split(":")[0]));
        if (prefixes.has("dynamodb")) expect(resourcesOf(s)).toEqual([{ "Fn::GetAtt": ["StateTable", "Arn"] }]);
        if (prefixes.has("logs")) expect(resourcesOf(s)).toEqual([{ "Fn::GetAtt": [own, "Arn"] }]);
      }
      const passQueue = role === "EvaluateRole" ? [{ "Fn::GetAtt": ["PassQueue", "Arn"] }] : [];
      expect(grantedFor(role, "sqs:SendMessage")).toEqual([{ "Fn::GetAtt": ["FailedEventsQueue", "Arn"] }, ...passQueue]);
    },
  );

  it("lets the evaluator, and only it, send to the pass queue and receive from it (the event source mapping), on exactly that queue", () => {
    const passQueue = { "Fn::GetAtt": ["PassQueue", "Arn"] };
    for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage"]) {
      expect(grantedFor("EvaluateRole", action)).toEqual([passQueue]);
      expect(grantedFor("TaskEventsRole", action)).toEqual([]);
    }
    const onPassQueue = roleStatements("EvaluateRole").filter((s) => JSON.stringify(resourcesOf(s)).includes("PassQueue"));
    expect(onPassQueue.map((s) => [s.Sid, actionsOf(s), resourcesOf(s)])).toEqual([
      ["SchedulePassesOnPassQueue", ["sqs:SendMessage"], [passQueue]],
      ["ReceivePassesFromPassQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [passQueue]],
    ]);
    expect(JSON.stringify(roleStatements("TaskEventsRole"))).not.toContain("PassQueue");
  });

  it("grants UpdateCapacityProvider and DescribeCapacityProviders to the evaluator only, on the configured capacity provider only", () => {
    expect(grantedFor("EvaluateRole", "ecs:UpdateCapacityProvider")).toEqual([sub("capacity-provider/prod-ec2")]);
    expect(grantedFor("EvaluateRole", "ecs:DescribeCapacityProviders")).toEqual([sub("capacity-provider/prod-ec2")]);
    expect(grantedFor("TaskEventsRole", "ecs:UpdateCapacityProvider")).toEqual([]);
  });

  it("lets the scheduler invoke only the evaluator (and dead-letter to the failed-events queue)", () => {
    expect(roleStatements("SchedulerRole").flatMap(actionsOf).sort()).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
    expect(grantedFor("SchedulerRole", "lambda:InvokeFunction")).toEqual([{ "Fn::GetAtt": ["EvaluateLambdaFunction", "Arn"] }]);
  });

  /** Commands IAM authorises under another action's name (SQS: a batch send is `sqs:SendMessage`). */
  const IAM_ACTION_OF: Record<string, string> = { "sqs:SendMessageBatch": "sqs:SendMessage" };
  /** The SDK commands the adapters in a bundle send (adapters from esbuild's metafile), as IAM actions. */
  function bundleCalls(fn: string): Set<string> {
    const meta = JSON.parse(readFileSync(join(OUT, fn, "meta.json"), "utf8")) as { inputs: Record<string, unknown> };
    const calls = new Set<string>();
    for (const input of Object.keys(meta.inputs).filter((p) => p.startsWith("shared/aws/"))) {
      const source = readFileSync(join(ROOT, input), "utf8");
      const client = source.match(/from "@aws-sdk\/client-([a-z0-9-]+)"/)?.[1];
      for (const [, command] of source.matchAll(/new (\w+)Command\(/g)) {
        const call = `${client}:${command}`;
        calls.add(IAM_ACTION_OF[call] ?? call);
      }
    }
    return calls;
  }
  /**
   * A role's actions that are SDK calls of the code: not log delivery, not Lambda's own use of the role
   * (the on-failure destination's SendMessage to the failed-events queue, the pass queue mapping's
   * polling).
   */
  function codeActions(role: string): string[] {
    const platform = new Set(["logs:CreateLogStream", "logs:PutLogEvents", "sqs:ReceiveMessage", "sqs:DeleteMessage"]);
    const byPlatform = (s: Statement) => s.Sid === "SendExhaustedEventsToFailedEventsQueue" || s.Sid === "ReceivePassesFromPassQueue";
    return [
      ...new Set(
        roleStatements(role)
          .filter((s) => !byPlatform(s))
          .flatMap(actionsOf),
      ),
    ]
      .filter((a) => !platform.has(a))
      .sort();
  }

  it("EvaluateRole grants exactly the AWS calls the evaluate bundle can make", () => {
    const calls = bundleCalls("evaluate");
    expect(calls.size).toBeGreaterThan(0);
    expect(codeActions("EvaluateRole")).toEqual([...calls].sort());
  });

  it("TaskEventsRole grants the task-events bundle's calls except capacity providers and batch loads, which that function never makes", () => {
    // The shared wiring (functions/lib/lambda-setup.ts) builds the capacity-provider adapter for both
    // functions; only the evaluator applies schedule windows, so IAM denies it to task-events. The
    // state store can BatchGetItem, but a pass over one service (all task-events runs) uses GetItem.
    const calls = [...bundleCalls("task-events")].filter((a) => (!a.startsWith("ecs:") || !a.includes("CapacityProvider")) && a !== "dynamodb:BatchGetItem");
    expect(codeActions("TaskEventsRole")).toEqual(calls.sort());
    const handlerSources = ["functions/task-events/handler.ts", "functions/task-events/invocation.ts", "shared/runtime/task-events.ts"].map((f) => readFileSync(join(ROOT, f), "utf8"));
    for (const source of handlerSources) expect(source).not.toMatch(/capacityProviders\.|applyCapacitySchedule/);
  });
});

describe("packaged functions, triggers and resources", () => {
  const fn = (id: string) => template.Resources[id]!.Properties;

  it.each([
    { id: "EvaluateLambdaFunction", memory: 256, timeout: 70, role: "EvaluateRole" },
    { id: "TaskDasheventsLambdaFunction", memory: 256, timeout: 30, role: "TaskEventsRole" },
  ])("$id: nodejs22.x on arm64, $memory MB, $timeout s, its own role, config path, dry run and the UpdateService budget in the environment", ({ id, memory, timeout, role }) => {
    expect(fn(id)).toMatchObject({ Runtime: "nodejs22.x", Architectures: ["arm64"], Handler: "index.handler", MemorySize: memory, Timeout: timeout, Role: { "Fn::GetAtt": [role, "Arn"] } });
    expect(fn(id).Environment.Variables).toMatchObject({
      [ENV.configPath]: "/var/task/config.json",
      [ENV.dryRun]: "true",
      [ENV.stateTable]: { Ref: "StateTable" },
      [ENV.updatesPerSecond]: "3",
      POWERTOOLS_METRICS_NAMESPACE: RUNTIME_METRICS.namespace,
      POWERTOOLS_SERVICE_NAME: RUNTIME_METRICS.powertoolsService,
    });
  });

  it("ticks the evaluator every minute through EventBridge Scheduler, never retrying a stale tick", () => {
    const [[, tick]] = resources("AWS::Scheduler::Schedule") as [[string, Resource]];
    expect(tick.Properties).toMatchObject({
      ScheduleExpression: "rate(1 minute)",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: { "Fn::GetAtt": ["EvaluateLambdaFunction", "Arn"] },
        RoleArn: { "Fn::GetAtt": ["SchedulerRole", "Arn"] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": ["FailedEventsQueue", "Arn"] } },
      },
    });
  });

  it("queues the evaluator's later passes: SSE on, kept 15 minutes, redriven to the failed-events queue, invisible longer than the function's timeout", () => {
    const queue = template.Resources.PassQueue!;
    expect(queue.Type).toBe("AWS::SQS::Queue");
    expect(queue.Properties).toEqual({
      QueueName: "ecs-autoscaler-dev-passes",
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 900,
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["FailedEventsQueue", "Arn"] }, maxReceiveCount: 3 },
    });
    // Lambda refuses an SQS mapping whose queue's visibility timeout is below the function's timeout.
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(fn("EvaluateLambdaFunction").Timeout);
    expect(fn("EvaluateLambdaFunction").Environment.Variables).toMatchObject({ PASS_QUEUE_URL: { Ref: "PassQueue" } });
    expect(fn("TaskDasheventsLambdaFunction").Environment.Variables).not.toHaveProperty("PASS_QUEUE_URL");
  });

  it("delivers the pass queue to the evaluator one message at a time, at most 2 invocations at once, no partial batch responses", () => {
    const mappings = resources("AWS::Lambda::EventSourceMapping");
    expect(mappings).toHaveLength(1);
    const [[, mapping]] = mappings as [[string, Resource]];
    expect(mapping.Properties).toEqual({
      BatchSize: 1,
      EventSourceArn: { "Fn::GetAtt": ["PassQueue", "Arn"] },
      FunctionName: { "Fn::GetAtt": ["EvaluateLambdaFunction", "Arn"] },
      Enabled: true,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(mapping.DependsOn).toEqual(["EvaluateRole"]);
  });

  it("routes ECS events of the configured clusters and services to task-events, alarm changes of the named alarms to evaluate", () => {
    const rules = resources("AWS::Events::Rule").map(([, r]) => r.Properties);
    const byType = (t: string) => rules.find((r) => r.EventPattern["detail-type"][0] === t)!;
    expect(byType("ECS Task State Change").EventPattern.detail).toEqual({
      clusterArn: [sub("cluster/prod"), sub("cluster/batch")],
      group: [{ prefix: "service:" }],
      lastStatus: ["RUNNING", "STOPPED"],
    });
    const byCluster = [{ prefix: sub("service/prod/") }, { prefix: sub("service/batch/") }];
    expect(byType("ECS Service Action").EventPattern.resources).toEqual(byCluster);
    expect(byType("ECS Deployment State Change").EventPattern.resources).toEqual(byCluster);
    expect(byType("CloudWatch Alarm State Change").EventPattern.detail).toEqual({ alarmName: ["jobs-backlog-high", "reports-p99-high"] });
    for (const t of ["ECS Task State Change", "ECS Service Action", "ECS Deployment State Change"]) {
      expect(byType(t).Targets[0].Arn).toEqual({ "Fn::GetAtt": ["TaskDasheventsLambdaFunction", "Arn"] });
    }
    expect(byType("CloudWatch Alarm State Change").Targets[0].Arn).toEqual({ "Fn::GetAtt": ["EvaluateLambdaFunction", "Arn"] });
  });

  it("sends events that exhaust their retries to the failed-events queue, which admits exactly the ECS rules", () => {
    for (const [, config] of resources("AWS::Lambda::EventInvokeConfig")) {
      expect(config.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: { "Fn::GetAtt": ["FailedEventsQueue", "Arn"] } } });
    }
    expect(resources("AWS::Lambda::EventInvokeConfig")).toHaveLength(2);
    const ecsRules = resources("AWS::Events::Rule").filter(([, r]) => r.Properties.EventPattern.source[0] === "aws.ecs");
    for (const [, rule] of ecsRules) expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: { "Fn::GetAtt": ["FailedEventsQueue", "Arn"] } });
    const [[, policy]] = resources("AWS::SQS::QueuePolicy") as [[string, Resource]];
    const admitted = policy.Properties.PolicyDocument.Statement[0].Condition.ArnEquals["aws:SourceArn"].map((a: { "Fn::Sub": string }) => a["Fn::Sub"].split(":rule/")[1]);
    expect(admitted.sort()).toEqual(ecsRules.map(([, r]) => r.Properties.Name).sort());
  });

  it("declares the state table: pk string, TTL on expiresAt, on-demand, point-in-time recovery", () => {
    expect(template.Resources.StateTable!.Properties).toMatchObject({
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it("keeps the functions' logs 30 days", () => {
    const groups = resources("AWS::Logs::LogGroup");
    expect(groups).toHaveLength(2);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });

  it("has alarms on evaluator errors, the crash-loop guard (one over every service) and Spot fallback (per Spot service)", () => {
    const alarms = resources("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    expect(alarms.filter((a) => a.Namespace === "AWS/Lambda" && a.MetricName === "Errors")).toHaveLength(2);
    // One Metrics Insights alarm over every service, on exactly the dimensions Powertools publishes
    // (its `service` plus the runtime's `Service`); no standard alarm per service.
    expect(alarms.filter((a) => a.MetricName === RUNTIME_METRICS.crashLoopTripped)).toEqual([]);
    const crash = alarms.filter((a) => a.Metrics?.[0]?.Expression?.includes(RUNTIME_METRICS.crashLoopTripped));
    expect(crash.map((a) => a.Metrics[0].Expression)).toEqual([`SELECT SUM(${RUNTIME_METRICS.crashLoopTripped}) FROM SCHEMA("EcsAutoscaler", Service, service)`]);
    expect(alarms.filter((a) => a.MetricName === RUNTIME_METRICS.spotOnDemandTasks).map((a) => a.Dimensions)).toEqual([[{ Name: "Service", Value: "prod/worker-spot" }]]);
  });

  it("has as many per-deployment alarms as the own-bill model prices", () => {
    const names = resources("AWS::CloudWatch::Alarm").map(([, a]) => JSON.stringify(a.Properties.AlarmName));
    const perDeployment = names.filter((n) => !n.includes("-spot-fallback"));
    expect(perDeployment).toHaveLength(lambdaModel.deploymentAlarms);
  });

  it("makes a total failure visible: alarms on services not evaluated (a silent evaluator included), the runtime's failures, init failures (from both functions' logs) and undelivered queued passes", () => {
    const alarms = resources("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const named = (suffix: string) => alarms.find((a) => a.AlarmName["Fn::Sub"] === `\${AWS::StackName}-${suffix}`);
    expect(named("services-not-evaluated")).toMatchObject({ Namespace: RUNTIME_METRICS.namespace, MetricName: RUNTIME_METRICS.servicesNotEvaluated, Threshold: 1, TreatMissingData: "breaching" });
    expect(named("runtime-failures")!.Metrics[0].Expression).toBe(`SELECT SUM(${RUNTIME_METRICS.failures}) FROM SCHEMA("EcsAutoscaler", Stage, service)`);
    expect(named("init-failed")).toMatchObject({ Namespace: RUNTIME_METRICS.namespace, MetricName: INIT_FAILURES_METRIC });
    expect(named("pass-queue-backlog")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": ["PassQueue", "QueueName"] } }],
      Statistic: "Maximum",
      Threshold: 3,
    });
    const initFilters = resources("AWS::Logs::MetricFilter")
      .map(([, f]) => f.Properties)
      .filter((f) => f.MetricTransformations[0].MetricName === INIT_FAILURES_METRIC);
    expect(initFilters.map((f) => f.LogGroupName)).toEqual([{ Ref: "EvaluateLogGroup" }, { Ref: "TaskDasheventsLogGroup" }]);
    // The line the functions log when their config or environment is invalid is one the filter matches.
    expect(readFileSync(join(ROOT, "functions/lib/lambda-container.ts"), "utf8")).toContain('"invalid configuration: the function will not run"');
    expect(initFilters[0]!.FilterPattern).toContain('"invalid configuration: the function will not run"');
  });

  it("feeds the Spot fallback alarm from the decision lines of both functions' logs", () => {
    const filters = resources("AWS::Logs::MetricFilter")
      .map(([, f]) => f.Properties)
      .filter((f) => f.MetricTransformations[0].MetricName === RUNTIME_METRICS.spotOnDemandTasks);
    expect(filters.map((f) => f.LogGroupName)).toEqual([{ Ref: "EvaluateLogGroup" }, { Ref: "TaskDasheventsLogGroup" }]);
    for (const f of filters) {
      expect(f.MetricTransformations).toEqual([
        {
          MetricNamespace: RUNTIME_METRICS.namespace,
          MetricName: RUNTIME_METRICS.spotOnDemandTasks,
          MetricValue: "$.split.onDemand",
          Dimensions: [{ Key: "Service", Value: "$.ecsService" }],
          Unit: "Count",
        },
      ]);
    }
  });

  it("has a dashboard with desired vs running per service and backlog and oldest-message age per queue", () => {
    const body = template.Resources.Dashboard!.Properties.DashboardBody["Fn::Sub"] as string;
    const dashboard = JSON.parse(body) as { widgets: { properties: { title?: string; metrics?: unknown[][]; annotations?: unknown } }[] };
    const titles = dashboard.widgets.map((w) => w.properties.title);
    for (const s of ["prod/worker-spot", "batch/reports", "prod/api"]) expect(titles).toContain(`${s}: desired vs running tasks`);
    for (const q of ["jobs", "report-requests"]) {
      expect(titles).toContain(`${q}: backlog`);
      expect(titles).toContain(`${q}: oldest message age (s) against target`);
    }
    const age = dashboard.widgets.find((w) => w.properties.title === "jobs: oldest message age (s) against target")!;
    expect(age.properties.annotations).toEqual({ horizontal: [expect.objectContaining({ value: 20 })] });
    const decisions = dashboard.widgets.find((w) => w.properties.title?.startsWith("Decisions by reason"))!;
    expect((decisions.properties as { query?: string }).query).toContain("stats count(*) as decisions by reason");
    const desired = dashboard.widgets.find((w) => w.properties.title === "prod/api: desired vs running tasks")!;
    const query = (desired.properties as { query?: string }).query ?? "";
    expect(query).toContain('filter ecsService = "prod/api"');
    expect(query).toContain("stats max(to) as desired, max(running) as running, max(backlog) as backlog by bin(1m)");
  });
});

describe("packaging refuses bad input, listing every problem", () => {
  it("an invalid config: exit 2, each problem with its path, nothing packaged", () => {
    const run = runPackage(["--config", "test/fixtures/deploy/invalid.yaml", "--build-only"]);
    expect(run.status).toBe(2);
    for (const path of ["intervalSeconds", "services[0].policy.triggers[0].queueUrl", "services[0].policy.minTasks", "services[1].policy.maxTasks", "services[1].policy.triggers"]) {
      expect(run.stderr).toContain(`  ${path}: `);
    }
    expect(run.stdout).toBe("");
  });

  it("queue URLs from which no IAM ARN can be derived: exit 2, both named", () => {
    const run = runPackage(["--config", "test/fixtures/deploy/unknown-queue-host.yaml", "--build-only"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("services[0].policy.triggers[0].queueUrl: an SQS queue URL is https");
    expect(run.stderr).toContain("services[0].policy.triggers[1].queueUrl: the path must start with the 12-digit account");
  });

  it("bad parameters: exit 2, each named", () => {
    const run = runPackage(["--config", FIXTURE, "--dry-run", "maybe", "--interval", "90", "--updates-per-second", "9", "--build-only"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('param dryRun: must be true or false, got "maybe"');
    expect(run.stderr).toContain('param updatesPerSecond: must be a whole number of UpdateService calls per second from 1 to 5, got "9"');
    expect(run.stderr).toContain('param interval: must be a whole number of seconds from 1 to 60, got "90"');
  });

  it("`serverless package` run directly (the `npx serverless deploy` path) with an invalid config: fails, each problem listed once", () => {
    const run = spawnSync(process.execPath, ["node_modules/osls/bin/serverless.js", "package", "--param", "config=test/fixtures/deploy/invalid.yaml"], {
      cwd: ROOT,
      env: credentialFreeEnv(),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.status).not.toBe(0);
    const output = run.stdout + run.stderr;
    for (const path of ["intervalSeconds", "services[0].policy.minTasks", "services[1].policy.triggers"]) {
      expect(output.split(`  ${path}: `)).toHaveLength(2);
    }
    expect(output).toContain("the ecs-autoscaler build failed; every problem is listed above");
  });

  it("a missing config file: exit 2, naming it", () => {
    const run = runPackage(["--config", "test/fixtures/deploy/nope.yaml", "--build-only"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("test/fixtures/deploy/nope.yaml is invalid");
  });
});
