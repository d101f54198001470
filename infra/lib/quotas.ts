// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * The AWS quotas a packaged stack must stay within, measured on what will be deployed. A stack over
 * one of them fails only at deploy time, half-created; packaging refuses it instead, naming the quota,
 * the limit and the measured size. Sizes are measured with CloudFormation's placeholders replaced by
 * the longest values they can take (partition, region, account, ARNs of the stack's own resources),
 * so a stack that passes here fits in every region.
 *
 * Limits, as AWS documents them: EventBridge event pattern 2,048 characters (adjustable to 4,096);
 * IAM inline policies 10,240 characters per role in total and a managed policy 6,144, whitespace not
 * counted; a role's trust policy 2,048; CloudFormation 500 resources, 200 outputs and a 1 MB template
 * (51,200 bytes when passed inline; the framework uploads it to S3); a CloudWatch dashboard 500
 * widgets, 500 metrics per widget and 2,500 metrics across its widgets.
 */
import type { DeployValues } from "./values.ts";

/** One quota as measured on one resource (or the whole template). */
export interface QuotaMeasure {
  quota: string;
  /** Which resource, e.g. `EvaluateRole`. */
  where: string;
  unit: string;
  limit: number;
  measured: number;
}

export const LIMITS = {
  eventPatternChars: 2048,
  roleInlinePolicyChars: 10_240,
  managedPolicyChars: 6144,
  trustPolicyChars: 2048,
  templateResources: 500,
  templateOutputs: 200,
  templateBytes: 1_000_000,
  templateInlineBytes: 51_200,
  dashboardWidgets: 500,
  dashboardMetricsPerWidget: 500,
  dashboardMetrics: 2500,
} as const;

/** The longest values CloudFormation may substitute, so a size measured here holds in every region. */
const LONGEST: Record<string, string> = {
  "AWS::Partition": "aws-us-gov",
  "AWS::Region": "ap-southeast-5",
  "AWS::AccountId": "123456789012",
  "AWS::StackName": "x".repeat(64),
};
/** An ARN or name of one of the stack's own resources (`Fn::GetAtt`, `Ref`, `${Resource}`), generously long. */
const OWN_RESOURCE = "x".repeat(160);

const substitute = (template: string) =>
  template.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => LONGEST[name] ?? OWN_RESOURCE);

/** A value with every intrinsic function resolved to its longest plausible text. */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (typeof object["Fn::Sub"] === "string") return substitute(object["Fn::Sub"]);
  if ("Fn::GetAtt" in object || "Ref" in object) return OWN_RESOURCE;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]));
}

/** Characters of the value's compact JSON once resolved; `withoutWhitespace` as IAM counts. */
export function resolvedSize(value: unknown, withoutWhitespace = false): number {
  const text = JSON.stringify(resolve(value)) ?? "";
  return withoutWhitespace ? text.replace(/\s/g, "").length : text.length;
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** The dashboard's widgets and metric lines (its body is an `Fn::Sub` of JSON). */
function dashboardMeasures(id: string, body: unknown): QuotaMeasure[] {
  const text = typeof body === "string" ? body : (body as { "Fn::Sub": string })["Fn::Sub"];
  const widgets = (JSON.parse(text) as { widgets: { properties?: { metrics?: unknown[] } }[] }).widgets;
  const lines = widgets.map((w) => w.properties?.metrics?.length ?? 0);
  return [
    {
      quota: "CloudWatch dashboard widgets",
      where: id,
      unit: "widgets",
      limit: LIMITS.dashboardWidgets,
      measured: widgets.length,
    },
    {
      quota: "CloudWatch metrics per dashboard widget",
      where: id,
      unit: "metrics",
      limit: LIMITS.dashboardMetricsPerWidget,
      measured: Math.max(0, ...lines),
    },
    {
      quota: "CloudWatch metrics per dashboard",
      where: id,
      unit: "metrics",
      limit: LIMITS.dashboardMetrics,
      measured: lines.reduce((a, b) => a + b, 0),
    },
  ];
}

/** The quotas that apply to one resource, measured. */
function resourceMeasures(id: string, resource: Resource): QuotaMeasure[] {
  const p = resource.Properties ?? {};
  switch (resource.Type) {
    case "AWS::Events::Rule":
      if (p.EventPattern === undefined) return [];
      return [
        {
          quota: "EventBridge event pattern size",
          where: id,
          unit: "characters",
          limit: LIMITS.eventPatternChars,
          measured: resolvedSize(p.EventPattern),
        },
      ];
    case "AWS::IAM::Role": {
      const policies = (p.Policies as { PolicyDocument: unknown }[] | undefined) ?? [];
      return [
        {
          quota: "IAM inline policy size per role",
          where: id,
          unit: "characters",
          limit: LIMITS.roleInlinePolicyChars,
          measured: policies.reduce((n, x) => n + resolvedSize(x.PolicyDocument, true), 0),
        },
        {
          quota: "IAM role trust policy size",
          where: id,
          unit: "characters",
          limit: LIMITS.trustPolicyChars,
          measured: resolvedSize(p.AssumeRolePolicyDocument, true),
        },
      ];
    }
    case "AWS::IAM::ManagedPolicy":
      return [
        {
          quota: "IAM managed policy size",
          where: id,
          unit: "characters",
          limit: LIMITS.managedPolicyChars,
          measured: resolvedSize(p.PolicyDocument, true),
        },
      ];
    case "AWS::CloudWatch::Dashboard":
      return dashboardMeasures(id, p.DashboardBody);
    default:
      return [];
  }
}

/** Every quota of a compiled CloudFormation template (`bytes`: the template file's size). */
export function measureTemplate(
  template: { Resources: Record<string, Resource>; Outputs?: Record<string, unknown> },
  bytes: number,
): QuotaMeasure[] {
  const stack = "template";
  return [
    {
      quota: "CloudFormation resources per stack",
      where: stack,
      unit: "resources",
      limit: LIMITS.templateResources,
      measured: Object.keys(template.Resources).length,
    },
    {
      quota: "CloudFormation outputs per stack",
      where: stack,
      unit: "outputs",
      limit: LIMITS.templateOutputs,
      measured: Object.keys(template.Outputs ?? {}).length,
    },
    {
      quota: "CloudFormation template size (S3)",
      where: stack,
      unit: "bytes",
      limit: LIMITS.templateBytes,
      measured: bytes,
    },
    ...Object.entries(template.Resources).flatMap(([id, r]) => resourceMeasures(id, r)),
  ];
}

/**
 * The quotas the config decides, measured on the values before any template exists (`--build-only`
 * and the framework's own `serverless deploy`): event patterns, IAM policies, the dashboard and the
 * generated resources (which, with the ~30 fixed ones, must fit in 500).
 */
export function measureValues(values: DeployValues): QuotaMeasure[] {
  const rules = Object.entries(values.patterns).map(([name, pattern]) => ({
    id: `rule ${name}`,
    resource: { Type: "AWS::Events::Rule", Properties: { EventPattern: pattern } },
  }));
  const roles = Object.entries(values.iam).map(([name, statements]) => ({
    id: `role ${name}`,
    resource: {
      Type: "AWS::IAM::Role",
      Properties: { Policies: [{ PolicyDocument: { Version: "2012-10-17", Statement: statements } }] },
    },
  }));
  const dashboard = {
    id: "Dashboard",
    resource: { Type: "AWS::CloudWatch::Dashboard", Properties: { DashboardBody: values.dashboardBody } },
  };
  return [
    {
      quota: "CloudFormation resources generated from the config",
      where: "values",
      unit: "resources",
      limit: LIMITS.templateResources - FIXED_RESOURCES,
      measured: Object.keys(values.serviceAlarms.Resources).length,
    },
    ...[...rules, ...roles, dashboard].flatMap(({ id, resource }) =>
      resourceMeasures(id, resource).filter((m) => m.quota !== "IAM role trust policy size"),
    ),
  ];
}

/**
 * Resources of the stack that do not depend on the config (functions, roles, rules, queues, the pass
 * queue's event source mapping, table, dashboard, the fixed alarms, the framework's own): 32 in the
 * packaged template of config/example.yaml; kept with some room.
 */
export const FIXED_RESOURCES = 40;

/** The measures over their limit. */
export function exceeded(measures: readonly QuotaMeasure[]): QuotaMeasure[] {
  return measures.filter((m) => m.measured > m.limit);
}

const n = (x: number) => x.toLocaleString("en-US");

/** What to do about a quota, besides sharding the fleet into several stacks by cluster. */
function remedy(quota: string): string {
  if (quota.startsWith("IAM inline")) {
    return "group the queues under name prefixes (permissions.queueNamePrefixes) or shard the fleet into several stacks by cluster";
  }
  if (quota.startsWith("EventBridge")) {
    return "fewer clusters or alarm names per stack: shard the fleet into several stacks by cluster";
  }
  return "shard the fleet into several stacks by cluster";
}

/** `EventBridge event pattern size (rule ecsTask)` / `2,453 characters, over the limit of 2,048: …`. */
export function describeExcess(m: QuotaMeasure): { path: string; message: string } {
  return {
    path: `${m.quota} (${m.where})`,
    message: `${n(m.measured)} ${m.unit}, over the limit of ${n(m.limit)}: ${remedy(m.quota)} (docs/deploy.md, "Limits")`,
  };
}

/** A table of the largest measure per quota, for `npm run package` to print. */
export function quotaTable(measures: readonly QuotaMeasure[]): string {
  const largest = new Map<string, QuotaMeasure>();
  for (const m of measures) {
    const known = largest.get(m.quota);
    if (!known || m.measured / m.limit > known.measured / known.limit) largest.set(m.quota, m);
  }
  const rows = [...largest.values()].map((m) => {
    const share = `${Math.round((100 * m.measured) / m.limit)} %`;
    return `  ${m.quota.padEnd(52)} ${`${n(m.measured)} / ${n(m.limit)} ${m.unit}`.padEnd(34)} ${share.padStart(5)}  (${m.where})`;
  });
  const template = largest.get("CloudFormation template size (S3)");
  const inline =
    template && template.measured > LIMITS.templateInlineBytes
      ? [
          `  (the template is above the ${n(LIMITS.templateInlineBytes)} bytes CloudFormation takes inline: the framework uploads it to S3)`,
        ]
      : [];
  return ["quotas (largest per quota):", ...rows, ...inline].join("\n");
}
