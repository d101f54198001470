/**
 * Renders the config reference (docs/config-reference.md) from the generated JSON Schema, so the
 * documentation cannot drift from the one zod schema: every key, its type, default and description.
 */
import { configJsonSchema } from "./json-schema.ts";

type Schema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
};

interface Row {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

/** The config reference as Markdown. */
export function renderConfigReference(): string {
  const rows: Row[] = [];
  walk(configJsonSchema() as Schema, "", rows, true);
  const lines = [
    "# Config reference",
    "",
    "Generated from the zod schema by `npm run docs:config` (a test fails when it is stale). The same schema",
    "validates the file (`npx ecs-autoscaler validate FILE`) and is published as JSON Schema in",
    "`config/ecs-autoscaler.schema.json` for editors. Unknown keys are errors. `[]` marks a list entry;",
    "`sqs`/`metric` rows belong to the trigger of that `type`.",
    "",
    "| key | type | required | default | meaning |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${r.type} | ${r.required ? "yes" : ""} | ${r.default === undefined ? "" : `\`${JSON.stringify(r.default)}\``} | ${r.description.replace(/\|/g, "\\|")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => `\`${String(e)}\``).join(" \\| ");
  const t = Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any");
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  const range =
    s.minimum !== undefined && max !== undefined
      ? ` ${s.minimum}–${max}`
      : s.minimum !== undefined
        ? ` ≥${s.minimum}`
        : s.exclusiveMinimum !== undefined
          ? ` >${s.exclusiveMinimum}`
          : "";
  if (t === "array" && s.items) return s.items.anyOf || s.items.oneOf ? "list" : `list of ${typeOf(s.items)}`;
  return `${t}${range}`;
}

function walk(schema: Schema, path: string, rows: Row[], required: boolean): void {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    for (const v of variants)
      walk({ ...v, description: v.description ?? schema.description }, path, rows, required);
    return;
  }
  if (path !== "" && path !== "$schema") {
    rows.push({
      path,
      type: typeOf(schema),
      required,
      default: schema.default,
      description: schema.description ?? "",
    });
  }
  if (schema.properties) {
    const kind = schema.properties.type?.const;
    for (const [key, child] of Object.entries(schema.properties)) {
      if (key === "type" && kind !== undefined) continue;
      const prefix = kind !== undefined ? `${path} (${String(kind)})` : path;
      walk(child, prefix === "" ? key : `${prefix}.${key}`, rows, schema.required?.includes(key) ?? false);
    }
  }
  if (schema.items && (schema.items.properties || schema.items.anyOf || schema.items.oneOf)) {
    walk({ ...schema.items, description: undefined }, `${path}[]`, rows, true);
  }
}
