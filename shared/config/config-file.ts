/**
 * The config file: the services to scale, each with its policy, plus runtime settings. YAML (or JSON)
 * on disk, validated by {@link configSchema}; the runtime and simulator only see {@link Config}.
 */
import { parseDocument } from "yaml";
import { z } from "zod";
import { clusterName, queueNamePrefix, serviceName, serviceTagSchema } from "./aws-names.ts";
import { type ConfigProblem, problemsOf } from "./issues.ts";
import { policySchema } from "./policy.ts";
import { capacityProviderSchema, serviceRuntimeFields } from "./runtime-fields.ts";
import { configWarnings } from "./warnings.ts";

export const serviceConfigSchema = z.strictObject({
  cluster: clusterName,
  service: serviceName("ECS service name (1–255 letters, numbers, - and _)"),
  policy: policySchema,
  ...serviceRuntimeFields,
});

/** How the packaged IAM policy groups queue grants (when one ARN per queue would not fit) and narrows service grants. */
export const permissionsSchema = z
  .strictObject({
    queueNamePrefixes: z
      .array(queueNamePrefix)
      .default([])
      .describe(
        "Queues whose names start with one of these are granted as one ARN pattern per prefix, region and account (…:orders-*) instead of one ARN each; without it every queue is named",
      ),
    serviceTag: serviceTagSchema
      .optional()
      .describe(
        "Only services carrying this tag may be described and scaled (aws:ResourceTag condition); tag every configured service and sibling first",
      ),
  })
  .prefault({})
  .describe(
    "How the packaged IAM policy groups queue grants and narrows service grants (docs/deploy.md, Permissions)",
  );

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path of the JSON Schema, for editors"),
    intervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(10)
      .describe("How often the evaluator evaluates every service (the minute's tick, then queued passes)"),
    services: z.array(serviceConfigSchema).min(1).describe("The services to scale"),
    capacityProviders: z
      .array(capacityProviderSchema)
      .default([])
      .describe("EC2 capacity providers whose managed scaling follows schedule windows"),
    permissions: permissionsSchema,
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.services.forEach((s, i) => {
      const key = `${s.cluster}/${s.service}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["services", i, "service"],
          message: `${key} is already configured at services[${first}]`,
        });
      } else seen.set(key, i);
    });
    // A Spot fallback sibling is scaled only through its Spot service: two controllers must not fight.
    const siblings = new Map<string, number>();
    c.services.forEach((s, i) => {
      if (!s.spotFallback) return;
      const path = ["services", i, "spotFallback", "onDemandService"];
      const key = `${s.cluster}/${s.spotFallback.onDemandService}`;
      if (s.spotFallback.onDemandService === s.service) {
        ctx.addIssue({
          code: "custom",
          path,
          message: "must name a different service than the Spot service itself",
        });
      } else if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${key} is configured as a scaled service at services[${seen.get(key)}]`,
        });
      } else if (siblings.has(key)) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${key} is already the on-demand sibling of services[${siblings.get(key)}]`,
        });
      } else siblings.set(key, i);
    });
    const providers = new Map<string, number>();
    c.capacityProviders.forEach((p, i) => {
      const first = providers.get(p.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["capacityProviders", i, "name"],
          message: `${p.name} is already configured at capacityProviders[${first}]`,
        });
      } else providers.set(p.name, i);
    });
  });

/** A validated config with every default applied. */
export type Config = z.output<typeof configSchema>;
export type ServiceConfig = Config["services"][number];

/** Validates an already-parsed config object. Returns problems instead of throwing. */
export function checkConfig(
  value: unknown,
): { config: Config; problems: [] } | { config?: undefined; problems: ConfigProblem[] } {
  const result = configSchema.safeParse(value);
  return result.success ? { config: result.data, problems: [] } : { problems: problemsOf(result.error) };
}

/** What {@link parseConfigText} returns: the config, or every problem; warnings name settings that contradict. */
export type ParsedConfig =
  | { config: Config; problems: []; warnings: ConfigProblem[] }
  | { config?: undefined; problems: ConfigProblem[]; warnings: [] };

/**
 * Alias expansions a config may use. YAML anchors are fine for sharing a policy between services; a
 * document that expands aliases by the thousand is a resource-exhaustion ("billion laughs") attack.
 */
const maxAliasCount = 1000;

/** Parses YAML/JSON text into a config, or reports YAML syntax errors and schema problems with their paths. */
export function parseConfigText(text: string): ParsedConfig {
  if (text.trim() === "") {
    return {
      problems: [{ path: "$", message: "the file is empty: expected a config with a services list" }],
      warnings: [],
    };
  }
  const read = readYaml(text);
  if ("problems" in read) return { problems: read.problems, warnings: [] };
  const checked = checkConfig(read.value);
  if (!checked.config) return { problems: checked.problems, warnings: [] };
  return { config: checked.config, problems: [], warnings: configWarnings(read.value, checked.config) };
}

/** YAML (JSON is YAML) to plain data; syntax errors keep their line and column once, in the path. */
function readYaml(text: string): { value: unknown } | { problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "$",
        message: firstLineWithoutPosition(e.message),
      })),
    };
  }
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (error) {
    if (error instanceof ReferenceError) {
      const message = `more than ${maxAliasCount} alias expansions: refused as a resource-exhaustion document (expand fewer *aliases)`;
      return { problems: [{ path: "$", message }] };
    }
    throw error;
  }
}

/** The yaml library's pretty message repeats the position and quotes the source; the path has both. */
function firstLineWithoutPosition(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}
