// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are names a user might write, which CloudFormation would substitute.
/**
 * Names the config hands to AWS follow AWS's own rules: a wildcard, a `${…}` or a name AWS would
 * never accept is refused at its path with the rule named, never packaged into IAM or a pattern.
 */
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../shared/config/config-file.ts";

const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
const service = (over: Record<string, unknown> = {}, trigger: Record<string, unknown> = {}) => ({
  cluster: "prod",
  service: "worker",
  policy: { maxTasks: 5, triggers: [{ type: "sqs", queueUrl, ...trigger }] },
  ...over,
});
const provider = (name: string) => ({ name, managedScaling: { targetCapacity: 90 } });

function problems(config: Record<string, unknown>): string[] {
  const checked = checkConfig(config);
  return checked.config ? [] : checked.problems.map((p) => `${p.path}: ${p.message}`);
}
const one = (over: Record<string, unknown> = {}, trigger: Record<string, unknown> = {}) => problems({ services: [service(over, trigger)] });

describe("ECS cluster and service names: 1–255 letters, numbers, hyphens, underscores", () => {
  it.each([
    { field: "cluster", value: "*", rule: "wildcards are not allowed" },
    { field: "cluster", value: "prod*", rule: "wildcards are not allowed" },
    { field: "cluster", value: "", rule: "1–255 letters, numbers, hyphens and underscores" },
    { field: "cluster", value: "arn:aws:ecs:eu-west-1:123456789012:cluster/prod", rule: "1–255 letters" },
    { field: "cluster", value: "a".repeat(256), rule: "it has 256 characters" },
    { field: "service", value: "*", rule: "wildcards are not allowed" },
    { field: "service", value: "api?", rule: "wildcards are not allowed" },
    { field: "service", value: "${StateTable}", rule: "would be read by CloudFormation as a variable" },
    { field: "service", value: "my service", rule: "1–255 letters" },
    { field: "service", value: "prod/api", rule: "1–255 letters" },
  ])("$field $value is refused: $rule", ({ field, value, rule }) => {
    const kind = field === "cluster" ? "an ECS cluster name" : "an ECS service name";
    expect(one({ [field]: value })).toEqual([expect.stringMatching(new RegExp(`^services\\[0\\]\\.${field}: ${kind} must be .*${rule.replace(/[?*]/g, "\\$&")}`))]);
  });

  it.each(["prod", "Prod_2-eu", "a".repeat(255)])("%s is an ECS name", (name) => {
    expect(one({ cluster: name, service: name })).toEqual([]);
  });

  it("an on-demand sibling follows the service name rule", () => {
    expect(one({ spotFallback: { onDemandService: "*" } })).toEqual([expect.stringContaining("services[0].spotFallback.onDemandService: an ECS service name must be")]);
  });
});

describe("SQS queue URLs: https://sqs.<region>.amazonaws.com/<12-digit account>/<1–80 letters, numbers, - and _, optionally .fifo>", () => {
  it.each([
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/*", rule: "wildcards are not allowed" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs*", rule: "wildcards are not allowed" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/${StateTable}", rule: "would be read by CloudFormation as a variable" },
    { url: "http://sqs.eu-west-1.amazonaws.com/123456789012/jobs", rule: "an SQS queue URL is https" },
    { url: "https://example.com/123456789012/jobs", rule: '"example.com" is not an SQS endpoint' },
    { url: "https://sqs.eu-west-1.amazonaws.com/12345/jobs", rule: "12-digit account" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/", rule: "cannot get the queue name" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs/extra", rule: "cannot get the queue name" },
    { url: `https://sqs.eu-west-1.amazonaws.com/123456789012/${"q".repeat(81)}`, rule: "1–80 letters" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.dlq", rule: "optionally ending in .fifo" },
    { url: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs?x=1", rule: "no query" },
  ])("$url is refused: $rule", ({ url, rule }) => {
    expect(one({}, { queueUrl: url })).toEqual([expect.stringContaining(`services[0].policy.triggers[0].queueUrl: ${""}`)]);
    expect(one({}, { queueUrl: url })[0]).toContain(rule);
  });

  it.each([
    "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
    "https://sqs.us-gov-west-1.amazonaws.com/123456789012/jobs_2-a",
    "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/jobs",
    "https://sqs.eu-west-1.api.aws/123456789012/jobs",
    "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo",
    `https://sqs.eu-west-1.amazonaws.com/123456789012/${"q".repeat(75)}.fifo`,
    "https://eu-west-1.queue.amazonaws.com/123456789012/jobs",
    "https://queue.amazonaws.com/123456789012/jobs",
  ])("%s is a queue URL", (url) => {
    expect(one({}, { queueUrl: url })).toEqual([]);
  });
});

describe("capacity provider names: 1–255 letters, numbers, - and _, not starting with aws, ecs or fargate", () => {
  it.each([
    { name: "*", rule: "wildcards are not allowed" },
    { name: "ec2 large", rule: "1–255 letters" },
    { name: "ecs-prod", rule: 'cannot start with "ecs"' },
    { name: "AWS_thing", rule: 'cannot start with "aws"' },
    { name: "fargate-mine", rule: 'cannot start with "fargate"' },
    { name: "FARGATE", rule: "FARGATE has no managed scaling to set" },
  ])("$name is refused: $rule", ({ name, rule }) => {
    const found = problems({ services: [service()], capacityProviders: [provider(name)] });
    expect(found).toEqual([expect.stringContaining("capacityProviders[0].name: ")]);
    expect(found[0]).toContain(rule);
  });

  it("prod-ec2 is a capacity provider name", () => {
    expect(problems({ services: [service()], capacityProviders: [provider("prod-ec2")] })).toEqual([]);
  });
});

describe("alarm names and permission prefixes", () => {
  it("an alarm name with ${ is refused", () => {
    expect(one({ alarms: ["${StateTable}"] })).toEqual([expect.stringContaining('services[0].alarms[0]: an alarm name must not contain "${"')]);
  });

  it.each([
    { prefix: "*", problem: "no wildcards" },
    { prefix: "jo", problem: "3–79 letters" },
    { prefix: "jobs-*", problem: "no wildcards" },
  ])("queue name prefix $prefix is refused", ({ prefix, problem }) => {
    const found = problems({ services: [service()], permissions: { queueNamePrefixes: [prefix] } });
    expect(found).toEqual([expect.stringContaining("permissions.queueNamePrefixes[0]: ")]);
    expect(found[0]).toContain(problem);
  });
});
