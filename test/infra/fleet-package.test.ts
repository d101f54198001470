// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders.
/**
 * A fleet in one stack: `npm run package` of 1,000 services renders the real CloudFormation template,
 * and every documented quota holds on it (measured here directly, not through the packaging's own
 * measuring code); a fleet that does not fit is refused with the quota, the limit and the size named.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fleetConfig } from "./fleet-config.ts";
import { packagingCopy, runPackageIn } from "./package-run.ts";

const ROOT = packagingCopy();
const TEMP = mkdtempSync(join(tmpdir(), "ecs-autoscaler-fleet-"));
const OUT = join(TEMP, "out");
/** Writes a generated config into the temp folder and returns its path. */
function configFile(name: string, config: Record<string, unknown>): string {
  const file = join(TEMP, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed CloudFormation template, read by path in assertions
type Resource = { Type: string; Properties: Record<string, any> };
let template: { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
let templateBytes: number;
let stdout: string;

/** Fn::Sub placeholders as long as they get (the stack's own resources: 160 characters). */
const longest = (text: string) =>
  text
    .replaceAll("${AWS::Partition}", "aws-us-gov")
    .replaceAll("${AWS::Region}", "ap-southeast-5")
    .replaceAll("${AWS::AccountId}", "123456789012")
    .replace(/\$\{[^}]+\}/g, "x".repeat(160));
const resolved = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? ("Fn::Sub" in v ? longest(v["Fn::Sub"]) : "Fn::GetAtt" in v || "Ref" in v ? "x".repeat(160) : v) : v));
const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  const run = runPackageIn(ROOT, ["--config", configFile("fleet-1000", fleetConfig(1000, { queuePrefix: true })), "--out-dir", OUT]);
  if (run.status !== 0) throw new Error(`npm run package failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  stdout = run.stdout;
  const file = join(OUT, "serverless/cloudformation-template-update-stack.json");
  template = JSON.parse(readFileSync(file, "utf8"));
  templateBytes = statSync(file).size;
}, 240_000);

afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
  rmSync(TEMP, { recursive: true, force: true });
});

describe("1,000 services (10 clusters, 1,000 queues under one name prefix) in one stack", () => {
  it("packages, and prints what it measured against each quota", () => {
    expect(stdout).toContain("1000 service(s) + 100 on-demand sibling(s), 1000 queue(s)");
    for (const quota of ["CloudFormation resources per stack", "EventBridge event pattern size", "IAM inline policy size per role", "CloudWatch dashboard widgets"]) {
      expect(stdout).toMatch(new RegExp(`${quota} +[\\d,]+ / [\\d,]+ `));
    }
  });

  it("CloudFormation: at most 500 resources, 200 outputs, 1 MB of template", () => {
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(template.Outputs).length).toBeLessThanOrEqual(200);
    expect(templateBytes).toBeLessThanOrEqual(1_000_000);
  });

  it("EventBridge: every event pattern at most 2,048 characters, in the longest region and partition", () => {
    const rules = ofType("AWS::Events::Rule");
    expect(rules.length).toBe(4);
    for (const [id, rule] of rules) expect(resolved(rule.Properties.EventPattern).length, id).toBeLessThanOrEqual(2048);
  });

  it("IAM: each role's inline policies at most 10,240 characters (whitespace not counted), no managed policy", () => {
    expect(ofType("AWS::IAM::ManagedPolicy")).toEqual([]);
    for (const [id, role] of ofType("AWS::IAM::Role")) {
      const size = role.Properties.Policies.map((p: { PolicyDocument: unknown }) => resolved(p.PolicyDocument).replace(/\s/g, "").length).reduce((a: number, b: number) => a + b, 0);
      expect(size, id).toBeLessThanOrEqual(10_240);
    }
  });

  it("IAM: still the configured clusters only, the queues by their declared prefix, never a wildcard action", () => {
    const statements = template.Resources.EvaluateRole!.Properties.Policies[0].PolicyDocument.Statement as { Action: string[]; Resource: unknown }[];
    for (const s of statements) for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    const update = statements.find((s) => s.Action.includes("ecs:UpdateService"))!;
    expect((update.Resource as { "Fn::Sub": string }[]).map((r) => r["Fn::Sub"].split(":service/")[1])).toEqual(Array.from({ length: 10 }, (_, i) => `fleet-c${String(i + 1).padStart(2, "0")}/*`));
    expect(statements.find((s) => s.Action.includes("sqs:GetQueueAttributes"))!.Resource).toEqual(["arn:aws:sqs:eu-west-1:123456789012:fleet-*"]);
  });

  it("shards 1,000 services into 4 and lets the pass queue's mapping run one invocation per shard", () => {
    const [[, mapping]] = ofType("AWS::Lambda::EventSourceMapping") as [[string, Resource]];
    expect(mapping.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 4 });
  });

  it("CloudWatch: one dashboard within 500 widgets, 500 metrics per widget and 2,500 in all; no per-service alarms", () => {
    const [[, dashboard]] = ofType("AWS::CloudWatch::Dashboard") as [[string, Resource]];
    const widgets = JSON.parse(dashboard.Properties.DashboardBody["Fn::Sub"]).widgets as { properties: { metrics?: unknown[] } }[];
    expect(widgets.length).toBeLessThanOrEqual(500);
    const lines = widgets.map((w) => w.properties.metrics?.length ?? 0);
    expect(Math.max(...lines)).toBeLessThanOrEqual(500);
    expect(lines.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
    const names = ofType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties.AlarmName["Fn::Sub"] as string);
    expect(names).toEqual(expect.arrayContaining(["${AWS::StackName}-crash-loop", "${AWS::StackName}-spot-fallback", "${AWS::StackName}-services-not-evaluated"]));
    expect(names.filter((n) => n.includes("-crash-loop-"))).toEqual([]);
  });
});

describe("a fleet that does not fit one stack is refused, the quota, limit and size named", () => {
  it.each([
    {
      name: "1,000 queues named one by one",
      config: () => fleetConfig(1000),
      refusal: /IAM inline policy size per role \(role evaluate\): [\d,]+ characters, over the limit of 10,240: group the queues under name prefixes \(permissions\.queueNamePrefixes\)/,
    },
    {
      name: "1,000 services in 50 clusters",
      config: () => fleetConfig(1000, { queuePrefix: true, perCluster: 20 }),
      refusal: /EventBridge event pattern size \(rule ecsTask\): [\d,]+ characters, over the limit of 2,048: fewer clusters or alarm names per stack/,
    },
  ])("$name: exit 2, nothing written", ({ name, config, refusal }) => {
    const out = join(TEMP, `refused-${name.replace(/\W+/g, "-")}`);
    const run = runPackageIn(ROOT, ["--config", configFile(name.replace(/\W+/g, "-"), config()), "--out-dir", out]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/does not fit one stack:/);
    expect(run.stderr).toMatch(refusal);
    expect(() => statSync(join(out, "deploy-values.json"))).toThrow();
    expect(() => statSync(join(out, "serverless"))).toThrow();
  });
});
