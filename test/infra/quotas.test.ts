// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders.
/** The quota checks: each limit holds at its value and is named, with the size, one past it. */
import { describe, expect, it } from "vitest";
import { describeExcess, exceeded, LIMITS, measureTemplate, resolvedSize } from "../../infra/lib/quotas.ts";

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const base: Resources = { Table: { Type: "AWS::DynamoDB::Table" } };
/** A string whose JSON is exactly `n` characters (quotes included). */
const jsonOf = (n: number) => "x".repeat(n - 2);

const cases: { quota: string; at: (n: number) => { resources: Resources; bytes?: number; outputs?: number }; limit: number }[] = [
  {
    quota: "CloudFormation resources per stack",
    limit: LIMITS.templateResources,
    at: (n) => ({ resources: Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: "AWS::SNS::Topic" }])) }),
  },
  { quota: "CloudFormation outputs per stack", limit: LIMITS.templateOutputs, at: (n) => ({ resources: base, outputs: n }) },
  { quota: "CloudFormation template size (S3)", limit: LIMITS.templateBytes, at: (n) => ({ resources: base, bytes: n }) },
  {
    quota: "EventBridge event pattern size",
    limit: LIMITS.eventPatternChars,
    // {"a":"…"} is 8 characters around the string's content.
    at: (n) => ({ resources: { Rule: { Type: "AWS::Events::Rule", Properties: { EventPattern: { a: "x".repeat(n - 8) } } } } }),
  },
  {
    quota: "IAM inline policy size per role",
    limit: LIMITS.roleInlinePolicyChars,
    at: (n) => ({ resources: { Role: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyDocument: jsonOf(n - 4) }, { PolicyDocument: jsonOf(4) }] } } } }),
  },
  { quota: "IAM managed policy size", limit: LIMITS.managedPolicyChars, at: (n) => ({ resources: { P: { Type: "AWS::IAM::ManagedPolicy", Properties: { PolicyDocument: jsonOf(n) } } } }) },
  {
    quota: "CloudWatch dashboard widgets",
    limit: LIMITS.dashboardWidgets,
    at: (n) => ({
      resources: { D: { Type: "AWS::CloudWatch::Dashboard", Properties: { DashboardBody: { "Fn::Sub": JSON.stringify({ widgets: Array.from({ length: n }, () => ({ properties: {} })) }) } } } },
    }),
  },
  {
    quota: "CloudWatch metrics per dashboard widget",
    limit: LIMITS.dashboardMetricsPerWidget,
    at: (n) => ({
      resources: { D: { Type: "AWS::CloudWatch::Dashboard", Properties: { DashboardBody: JSON.stringify({ widgets: [{ properties: { metrics: Array.from({ length: n }, () => []) } }] }) } } },
    }),
  },
];

describe("measureTemplate", () => {
  it.each(cases)("$quota: $limit is within the limit, one more is refused with both numbers", ({ quota, limit, at }) => {
    const measure = (n: number) => {
      const { resources, bytes = 1000, outputs = 0 } = at(n);
      return measureTemplate({ Resources: resources, Outputs: Object.fromEntries(Array.from({ length: outputs }, (_, i) => [`O${i}`, {}])) }, bytes);
    };
    expect(exceeded(measure(limit)).map((m) => m.quota)).not.toContain(quota);
    const over = exceeded(measure(limit + 1)).filter((m) => m.quota === quota);
    expect(over).toHaveLength(1);
    expect(describeExcess(over[0]!).message).toContain(`${(limit + 1).toLocaleString("en-US")} `);
    expect(describeExcess(over[0]!).message).toContain(`over the limit of ${limit.toLocaleString("en-US")}`);
  });
});

describe("resolvedSize", () => {
  it("counts CloudFormation placeholders at their longest: partition, region, account, the stack's own ARNs", () => {
    expect(resolvedSize({ "Fn::Sub": "${AWS::Partition}:${AWS::Region}:${AWS::AccountId}" })).toBe(JSON.stringify("aws-us-gov:ap-southeast-5:123456789012").length);
    expect(resolvedSize({ "Fn::GetAtt": ["StateTable", "Arn"] })).toBe(162);
    expect(resolvedSize({ "Fn::Sub": "literal ${!Not} placeholder" })).toBe(JSON.stringify("literal ${!Not} placeholder").length);
  });

  it("IAM counts without whitespace", () => {
    expect(resolvedSize({ a: "x y" }, true)).toBe(JSON.stringify({ a: "xy" }).length);
  });
});
