/**
 * The config file: the services to scale, each with its policy, plus runtime settings. YAML (or JSON)
 * on disk, validated by {@link configSchema}; the runtime and simulator only see {@link Config}.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ValidationError, problemsOf, type ConfigProblem } from "./issues.ts";
import { policySchema } from "./policy.ts";

export const serviceConfigSchema = z.strictObject({
  cluster: z.string().min(1).describe("ECS cluster name"),
  service: z.string().min(1).describe("ECS service name"),
  policy: policySchema,
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path of the JSON Schema, for editors"),
    intervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(10)
      .describe("How often the evaluator re-evaluates every service inside one invocation"),
    services: z.array(serviceConfigSchema).min(1).describe("The services to scale"),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.services.forEach((s, i) => {
      const key = `${s.cluster}/${s.service}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["services", i, "service"], message: `${key} is already configured at services[${first}]` });
      } else seen.set(key, i);
    });
  });

/** A validated config with every default applied. */
export type Config = z.output<typeof configSchema>;
export type ServiceConfig = Config["services"][number];

/** Validates an already-parsed config object. Returns problems instead of throwing. */
export function checkConfig(value: unknown): { config: Config; problems: [] } | { config?: undefined; problems: ConfigProblem[] } {
  const result = configSchema.safeParse(value);
  return result.success ? { config: result.data, problems: [] } : { problems: problemsOf(result.error) };
}

/** Parses YAML/JSON text into a config, or reports YAML syntax errors and schema problems with their paths. */
export function parseConfigText(text: string): { config: Config; problems: [] } | { config?: undefined; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "$",
        message: e.message.split("\n")[0] ?? e.message,
      })),
    };
  }
  return checkConfig(doc.toJS());
}

/** Reads and validates a config file; throws {@link ValidationError} naming every problem. */
export function loadConfigFile(path: string): Config {
  const parsed = parseConfigText(readFileSync(path, "utf8"));
  if (parsed.config === undefined) throw new ValidationError(path, parsed.problems);
  return parsed.config;
}
