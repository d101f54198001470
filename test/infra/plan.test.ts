// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders.
/**
 * Package-time derivations, without packaging: queue ARNs from URLs, the deployment plan from a
 * config, the parameters, the event patterns (checked against the real AWS example events) and the
 * IAM statements (including a property over generated configs).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterArn, queueFromUrl, serviceArn } from "../../infra/lib/arns.ts";
import { functionStatements } from "../../infra/lib/iam.ts";
import { eventPatterns, TASK_STATUSES } from "../../infra/lib/patterns.ts";
import { type DeployPlan, planDeployment } from "../../infra/lib/plan.ts";
import { parseSettings } from "../../infra/lib/settings.ts";
import { type Config, checkConfig } from "../../shared/config/index.ts";

// The AWS example events the project ships (copied from the reference set; see test/fixtures/events/README.md).
const EVENTS = new URL("../fixtures/events/", import.meta.url);
const event = (name: string) => JSON.parse(readFileSync(new URL(name, EVENTS), "utf8")) as Record<string, unknown>;

/** A schema-valid config from a compact description. */
function config(services: { cluster: string; service: string; queues?: string[]; sibling?: string; alarms?: string[] }[], capacityProviders: string[] = []): Config {
  const checked = checkConfig({
    services: services.map((s) => ({
      cluster: s.cluster,
      service: s.service,
      policy: {
        maxTasks: 10,
        triggers: s.queues?.length
          ? s.queues.map((queueUrl) => ({ type: "sqs", queueUrl }))
          : [{ type: "metric", metric: { namespace: "AWS/ApplicationELB", name: "RequestCountPerTarget" }, target: 100 }],
      },
      ...(s.sibling ? { spotFallback: { onDemandService: s.sibling } } : {}),
      ...(s.alarms ? { alarms: s.alarms } : {}),
    })),
    capacityProviders: capacityProviders.map((name) => ({ name, managedScaling: { targetCapacity: 90 } })),
  });
  if (!checked.config) throw new Error(JSON.stringify(checked.problems));
  return checked.config;
}

function plan(c: Config): DeployPlan {
  const planned = planDeployment(c);
  if (!planned.plan) throw new Error(JSON.stringify(planned.problems));
  return planned.plan;
}

describe("queueFromUrl", () => {
  it.each([
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", arn: "arn:aws:sqs:eu-west-1:123456789012:jobs" },
    { url: "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo", arn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo" },
    { url: "https://eu-central-1.queue.amazonaws.com/123456789012/legacy", arn: "arn:aws:sqs:eu-central-1:123456789012:legacy" },
    { url: "https://queue.amazonaws.com/123456789012/oldest", arn: "arn:aws:sqs:us-east-1:123456789012:oldest" },
    { url: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/china", arn: "arn:aws-cn:sqs:cn-north-1:123456789012:china" },
    { url: "https://sqs.us-gov-west-1.amazonaws.com/123456789012/gov", arn: "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:gov" },
    { url: "https://sqs.eu-west-1.api.aws/123456789012/dualstack", arn: "arn:aws:sqs:eu-west-1:123456789012:dualstack" },
  ])("derives $arn from $url", ({ url, arn }) => {
    expect(queueFromUrl(url)).toMatchObject({ arn });
  });

  it.each([
    { url: "http://localhost:4566/000000000000/jobs", problem: 'cannot derive the queue ARN from host "localhost"' },
    { url: "https://sqs.eu-west-1.amazonaws.com/jobs", problem: "cannot derive the queue ARN from path" },
    { url: "https://sqs.eu-west-1.amazonaws.com/12345/jobs", problem: "12-digit account" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs/extra", problem: "cannot derive the queue ARN from path" },
    { url: "not a url", problem: "not a URL" },
  ])("refuses $url, saying why", ({ url, problem }) => {
    const result = queueFromUrl(url);
    expect(result).toHaveProperty("problem");
    expect((result as { problem: string }).problem).toContain(problem);
  });
});

describe("planDeployment", () => {
  it("includes each Spot service's on-demand sibling, since the autoscaler updates it too", () => {
    const p = plan(config([{ cluster: "prod", service: "w", sibling: "w-od" }]));
    expect(p.services).toEqual([
      { cluster: "prod", service: "w", role: "configured", onDemandService: "w-od" },
      { cluster: "prod", service: "w-od", role: "on-demand sibling" },
    ]);
  });

  it("lists clusters, queues and alarms once each, in config order", () => {
    const q1 = "https://sqs.eu-west-1.amazonaws.com/123456789012/a";
    const q2 = "https://sqs.eu-west-1.amazonaws.com/123456789012/b";
    const p = plan(
      config([
        { cluster: "c1", service: "s1", queues: [q1], alarms: ["x"] },
        { cluster: "c2", service: "s2", queues: [q2, q1], alarms: ["x", "y"] },
        { cluster: "c1", service: "s3" },
      ]),
    );
    expect(p.clusters).toEqual(["c1", "c2"]);
    expect(p.queues.map((q) => [q.name, q.usedBy])).toEqual([
      ["a", ["services[0].policy.triggers[0].queueUrl", "services[1].policy.triggers[1].queueUrl"]],
      ["b", ["services[1].policy.triggers[0].queueUrl"]],
    ]);
    expect(p.alarmNames).toEqual(["x", "y"]);
  });

  it("never sees a queue URL from which no ARN can be derived: the schema refuses it, with its path", () => {
    const queues = ["http://localhost:4566/000000000000/a", "https://sqs.eu-west-1.amazonaws.com/123456789012/ok", "https://example.com/123456789012/b"];
    const checked = checkConfig({ services: [{ cluster: "c", service: "s", policy: { maxTasks: 1, triggers: queues.map((queueUrl) => ({ type: "sqs", queueUrl })) } }] });
    expect(checked.problems.map((p) => p.path)).toEqual(["services[0].policy.triggers[0].queueUrl", "services[0].policy.triggers[2].queueUrl"]);
  });
});

describe("parseSettings", () => {
  it.each([
    { raw: {}, settings: { configPath: "config/example.yaml", dryRun: true } },
    { raw: { dryRun: "false", config: "my.yaml" }, settings: { configPath: "my.yaml", dryRun: false } },
    { raw: { interval: "5" }, settings: { configPath: "config/example.yaml", dryRun: true, intervalSeconds: 5 } },
    { raw: { updatesPerSecond: "2" }, settings: { configPath: "config/example.yaml", dryRun: true, updatesPerSecond: 2 } },
    {
      raw: { alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops" },
      settings: { configPath: "config/example.yaml", dryRun: true, alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops" },
    },
  ])("accepts $raw", ({ raw, settings }) => {
    expect(parseSettings(raw).settings).toEqual(settings);
  });

  it("names every bad parameter at once, never falling back to a default", () => {
    const { problems } = parseSettings({ dryRun: "yes", interval: "0", alarmTopicArn: "ops-topic" });
    expect(problems.map((p) => p.path)).toEqual(["param dryRun", "param interval", "param alarmTopicArn"]);
  });

  it.each(["61", "1.5", "ten", "-3"])("refuses interval %s", (interval) => {
    expect(parseSettings({ interval }).problems).toHaveLength(1);
  });

  it.each(["0", "6", "2.5", "four"])("refuses updatesPerSecond %s, naming it", (updatesPerSecond) => {
    expect(parseSettings({ updatesPerSecond }).problems).toEqual([{ path: "param updatesPerSecond", message: expect.stringContaining("from 1 to 5") }]);
  });
});

/** The value at a pattern key path in an event, e.g. ["detail", "clusterArn"]. */
function at(e: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], e);
}

/** Every key path a pattern filters on, e.g. [["source"], ["detail", "clusterArn"]]. */
function filteredPaths(pattern: object, prefix: string[] = []): string[][] {
  return Object.entries(pattern).flatMap(([k, v]) => (Array.isArray(v) ? [[...prefix, k]] : filteredPaths(v as object, [...prefix, k])));
}

describe("eventPatterns", () => {
  const p = plan(
    config([
      { cluster: "prod", service: "w", sibling: "w-od", alarms: ["high"] },
      { cluster: "batch", service: "r" },
    ]),
  );
  const patterns = eventPatterns(p);

  it.each([
    { name: "ecsTask" as const, file: "ecs-task-state-change-running.json" },
    { name: "ecsTask" as const, file: "ecs-task-state-change-stopped-scale-in.json" },
    { name: "ecsServiceAction" as const, file: "ecs-service-action-placement-failure-fargate-spot.json" },
    { name: "ecsDeployment" as const, file: "ecs-deployment-state-change-in-progress.json" },
    { name: "alarm" as const, file: "cloudwatch-alarm-state-change.json" },
  ])("$name filters only on fields that $file carries", ({ name, file }) => {
    const e = event(file);
    const pattern = patterns[name]!;
    expect(pattern.source).toContain(e.source);
    expect(pattern["detail-type"]).toContain(e["detail-type"]);
    // The stopped-scale-in example is trimmed (no clusterArn); every other field must be there.
    const paths = filteredPaths(pattern).filter((path) => !(file.includes("stopped-scale-in") && path.join(".") === "detail.clusterArn"));
    for (const path of paths) expect(at(e, path), `${file} has ${path.join(".")}`).toBeDefined();
  });

  it("matches task events by cluster ARN and the `service:` group prefix: per cluster, never per service", () => {
    expect(patterns.ecsTask.detail).toEqual({
      clusterArn: [{ "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/prod" }, { "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/batch" }],
      group: [{ prefix: "service:" }],
      lastStatus: ["RUNNING", "STOPPED"],
    });
  });

  /** EventBridge's matching for the operators these patterns use: exact strings and `prefix`. */
  function matches(pattern: object, e: Record<string, unknown>, stack = { region: "us-west-2", account: "111122223333" }): boolean {
    const sub = (v: unknown) =>
      typeof v === "object" && v !== null && "Fn::Sub" in v
        ? (v["Fn::Sub"] as string).replace("${AWS::Partition}", "aws").replace("${AWS::Region}", stack.region).replace("${AWS::AccountId}", stack.account)
        : v;
    const one = (wanted: unknown, value: unknown): boolean => {
      if (typeof wanted === "object" && wanted !== null && "prefix" in wanted) return typeof value === "string" && value.startsWith(sub(wanted.prefix) as string);
      return sub(wanted) === value;
    };
    return filteredPaths(pattern).every((path) => {
      const wanted = at(pattern as Record<string, unknown>, path) as unknown[];
      const value = at(e, path);
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => wanted.some((w) => one(w, v)));
    });
  }

  it.each([
    { clusters: ["default"], matched: true },
    { clusters: ["other", "default"], matched: true },
    { clusters: ["defaul"], matched: false },
    { clusters: ["default-2"], matched: false },
  ])("service action and deployment events of clusters $clusters: matched $matched", ({ clusters, matched }) => {
    const byCluster = eventPatterns(plan(config(clusters.map((cluster) => ({ cluster, service: "x" })))));
    expect(matches(byCluster.ecsServiceAction, event("ecs-service-action-placement-failure-fargate-spot.json"))).toBe(matched);
    expect(matches(byCluster.ecsDeployment, event("ecs-deployment-state-change-in-progress.json"))).toBe(matched);
  });

  it("task events: a service's task of a configured cluster matches, a standalone task (family: group) does not", () => {
    const byCluster = eventPatterns(plan(config([{ cluster: "FargateCluster", service: "x" }])));
    const running = event("ecs-task-state-change-running.json");
    expect(matches(byCluster.ecsTask, running)).toBe(false);
    expect(matches(byCluster.ecsTask, { ...running, detail: { ...(running.detail as object), group: "service:sample-fargate" } })).toBe(true);
  });

  it.each(["ecs-task-state-change-running.json", "ecs-task-state-change-stopped-scale-in.json", "ecs-task-state-change-spot-termination-notice.json"])(
    "lets %s through the lastStatus filter (start-up samples, start failures, Spot notices)",
    (file) => {
      expect(TASK_STATUSES).toContain((event(file).detail as { lastStatus: string }).lastStatus);
    },
  );

  it("matches service and deployment events by a prefix of the service ARN per cluster", () => {
    const prefixes = ["prod", "batch"].map((c) => ({ prefix: { "Fn::Sub": `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${c}/` } }));
    expect(patterns.ecsServiceAction.resources).toEqual(prefixes);
    expect(patterns.ecsDeployment.resources).toEqual(prefixes);
  });

  it("has no alarm pattern when no service names an alarm", () => {
    expect(eventPatterns(plan(config([{ cluster: "c", service: "s" }]))).alarm).toBeUndefined();
  });
});

describe("functionStatements", () => {
  it("grants capacity-provider actions to the evaluator only, and only when providers are configured", () => {
    const withProviders = plan(config([{ cluster: "c", service: "s" }], ["ec2-a"]));
    const actions = (fn: "evaluate" | "task-events", p: DeployPlan) => functionStatements(p, fn).flatMap((s) => s.Action);
    expect(actions("evaluate", withProviders)).toContain("ecs:UpdateCapacityProvider");
    expect(actions("task-events", withProviders)).not.toContain("ecs:UpdateCapacityProvider");
    expect(actions("evaluate", plan(config([{ cluster: "c", service: "s" }])))).not.toContain("ecs:UpdateCapacityProvider");
  });

  it("grants BatchGetItem on the state table to the evaluator only (the event handler loads one record)", () => {
    const p = plan(config([{ cluster: "c", service: "s" }]));
    const batchGet = (fn: "evaluate" | "task-events") => functionStatements(p, fn).filter((s) => s.Action.includes("dynamodb:BatchGetItem"));
    expect(batchGet("evaluate").map((s) => s.Resource)).toEqual([{ "Fn::GetAtt": ["StateTable", "Arn"] }]);
    expect(batchGet("task-events")).toEqual([]);
  });

  it.each([
    { fn: "evaluate" as const, records: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"] },
    { fn: "task-events" as const, records: ["dynamodb:GetItem", "dynamodb:PutItem"] },
  ])("$fn: UpdateItem only on the shared budget's keys, the state records by $records only", ({ fn, records }) => {
    const statements = functionStatements(plan(config([{ cluster: "c", service: "s" }])), fn);
    const dynamodb = statements.filter((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
    expect(dynamodb.map((s) => ({ Action: s.Action, Condition: s.Condition }))).toEqual([
      { Action: records, Condition: undefined },
      { Action: ["dynamodb:UpdateItem"], Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["~budget/ecs-update/*"] } } },
    ]);
  });

  it("has no SQS read statement on configured queues when no trigger reads a queue (an empty Resource list is invalid IAM); the pass queue's stays", () => {
    const statements = functionStatements(plan(config([{ cluster: "c", service: "s" }])), "evaluate");
    const reads = statements.filter((s) => s.Action.includes("sqs:GetQueueAttributes"));
    expect(reads.map((s) => [s.Sid, s.Resource])).toEqual([["ReceivePassesFromPassQueue", { "Fn::GetAtt": ["PassQueue", "Arn"] }]]);
  });

  it.each([
    {
      prefixes: [],
      granted: ["arn:aws:sqs:eu-west-1:123456789012:orders-a", "arn:aws:sqs:eu-west-1:123456789012:orders-b", "arn:aws:sqs:us-east-1:123456789012:orders-c", "arn:aws:sqs:eu-west-1:123456789012:jobs"],
    },
    { prefixes: ["orders-"], granted: ["arn:aws:sqs:eu-west-1:123456789012:orders-*", "arn:aws:sqs:us-east-1:123456789012:orders-*", "arn:aws:sqs:eu-west-1:123456789012:jobs"] },
    { prefixes: ["ord", "jobs"], granted: ["arn:aws:sqs:eu-west-1:123456789012:ord*", "arn:aws:sqs:us-east-1:123456789012:ord*", "arn:aws:sqs:eu-west-1:123456789012:jobs*"] },
  ])("queue name prefixes $prefixes: one ARN pattern per prefix, region and account, the rest one ARN each", ({ prefixes, granted }) => {
    const url = (region: string, name: string) => `https://sqs.${region}.amazonaws.com/123456789012/${name}`;
    const checked = checkConfig({
      services: [
        { cluster: "c", service: "a", policy: { maxTasks: 1, triggers: [url("eu-west-1", "orders-a"), url("eu-west-1", "orders-b")].map((queueUrl) => ({ type: "sqs", queueUrl })) } },
        { cluster: "c", service: "b", policy: { maxTasks: 1, triggers: [url("us-east-1", "orders-c"), url("eu-west-1", "jobs")].map((queueUrl) => ({ type: "sqs", queueUrl })) } },
      ],
      permissions: { queueNamePrefixes: prefixes },
    });
    const statements = functionStatements(plan(checked.config!), "evaluate");
    expect(statements.find((s) => s.Action.includes("sqs:GetQueueAttributes"))!.Resource).toEqual(granted);
  });

  it("a configured service tag is required on every service scaled (aws:ResourceTag condition)", () => {
    const checked = checkConfig({ ...config([{ cluster: "c", service: "s" }]), permissions: { serviceTag: { key: "autoscaler", value: "ecs-autoscaler" } } });
    const update = functionStatements(plan(checked.config!), "task-events").find((s) => s.Action.includes("ecs:UpdateService"))!;
    expect(update.Condition).toEqual({ ArnEquals: { "ecs:cluster": [clusterArn("c")] }, StringEquals: { "aws:ResourceTag/autoscaler": "ecs-autoscaler" } });
  });

  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
  const accountQueue = fc.tuple(fc.constantFrom("eu-west-1", "us-east-1"), fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/));
  it("for any config: UpdateService on exactly its clusters' services (resource and ecs:cluster condition), GetQueueAttributes exactly on its queues, no wildcard action", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ cluster: name, service: name, sibling: fc.option(name, { nil: undefined }), queues: fc.array(accountQueue, { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 6,
          selector: (s) => s.service,
        }),
        (entries) => {
          const services = entries.map((e) => ({
            cluster: e.cluster,
            service: e.service,
            ...(e.sibling && !entries.some((o) => o.service === e.sibling) && e.sibling !== e.service ? { sibling: e.sibling } : {}),
            queues: e.queues.map(([region, q]) => `https://sqs.${region}.amazonaws.com/123456789012/${q}`),
          }));
          const siblings = new Set<string>();
          const deduped = services.map((s) => {
            if (!("sibling" in s) || siblings.has(`${s.cluster}/${s.sibling}`)) return { ...s, sibling: undefined };
            siblings.add(`${s.cluster}/${s.sibling}`);
            return s;
          });
          const p = plan(config(deduped));
          for (const fn of ["evaluate", "task-events"] as const) {
            const statements = functionStatements(p, fn);
            for (const s of statements) for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
            const [update, ...more] = statements.filter((s) => s.Action.includes("ecs:UpdateService"));
            expect(more).toEqual([]);
            const clusters = [...new Set(deduped.map((s) => s.cluster))];
            expect(update!.Resource).toEqual(clusters.map((c) => ({ "Fn::Sub": `${serviceArn(c, "")["Fn::Sub"]}*` })));
            expect(update!.Condition).toEqual({ ArnEquals: { "ecs:cluster": clusters.map(clusterArn) } });
            const queueArns = [...new Set(deduped.flatMap((s) => s.queues.map((u) => (queueFromUrl(u) as { arn: string }).arn)))];
            const reads = statements.filter((s) => s.Action.includes("sqs:GetQueueAttributes") && s.Sid !== "ReceivePassesFromPassQueue").flatMap((s) => s.Resource);
            expect(reads).toEqual(queueArns);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
