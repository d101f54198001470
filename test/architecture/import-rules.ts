/**
 * The import rules of docs/architecture.md as data, and a checker for them: every import, export-from,
 * dynamic `import()` and `import("…")` type of a TypeScript file, read with the TypeScript compiler's
 * parser, is matched against the rule of the file's layer.
 */
import { dirname, join, normalize } from "node:path";
import ts from "typescript";

/** The folders whose imports are ruled. A file outside all of them (tests, configs) is not checked. */
export const layers = [
  "shared/engine",
  "shared/cost",
  "shared/worker",
  "shared/config",
  "shared/ports",
  "shared/aws",
  "shared/runtime",
  "shared/sim",
  "shared/cli",
  "functions",
  "infra",
  "bench",
  "scripts",
] as const;
export type Layer = (typeof layers)[number];

/** How a layer may use another: any import, or `import type` only (erased at build time). */
type Use = "any" | "types";

/** One layer's rule: the project layers it may import and the npm packages it must not. */
export interface LayerRule {
  /** One line, quoted in every violation. */
  summary: string;
  /** Project layers it may import, and how. Its own layer is always allowed. */
  layers: Partial<Record<Layer, Use>>;
  /** npm packages (and node: built-ins) it may import; `undefined` allows any not in `forbid`. */
  allowPackages?: readonly RegExp[];
  /** npm packages it must not import. */
  forbidPackages?: readonly RegExp[];
  /** Repository files outside every ruled folder that it may import (the CLI reads its version). */
  allowFiles?: readonly string[];
}

const awsAndLambda = [/^@aws-sdk\//, /^@aws-lambda-powertools\//, /^@middy\//, /^aws-lambda$/, /^@smithy\//];
const lambdaOnly = [/^@aws-lambda-powertools\//, /^@middy\//, /^aws-lambda$/];
const anyShared = {
  "shared/engine": "any",
  "shared/cost": "any",
  "shared/worker": "any",
  "shared/config": "any",
  "shared/ports": "any",
  "shared/aws": "any",
  "shared/runtime": "any",
  "shared/sim": "any",
  "shared/cli": "any",
} as const;

/** The rules, one per layer (docs/architecture.md explains each). */
export const rules: Record<Layer, LayerRule> = {
  "shared/engine": {
    summary: "the engine imports nothing of the project; npm: croner only",
    layers: {},
    allowPackages: [/^croner$/],
  },
  "shared/cost": {
    summary: "the own-bill model imports nothing of the project and no npm packages: prices and arithmetic",
    layers: {},
    allowPackages: [],
  },
  "shared/worker": {
    summary: "the worker helper runs in the user's workers: nothing of the project; npm: sqs-consumer and the SQS client",
    layers: {},
    allowPackages: [/^sqs-consumer$/, /^@aws-sdk\/client-sqs$/],
  },
  "shared/config": {
    summary: "config imports engine types only; no AWS or Lambda packages",
    layers: { "shared/engine": "types" },
    forbidPackages: awsAndLambda,
  },
  "shared/ports": {
    summary: "ports import engine types only; no npm packages",
    layers: { "shared/engine": "types" },
    allowPackages: [],
  },
  "shared/aws": {
    summary: "aws adapters import ports, engine types, config and the own-bill model (item sizes); no Lambda packages",
    layers: { "shared/ports": "any", "shared/engine": "types", "shared/config": "any", "shared/cost": "any" },
    forbidPackages: lambdaOnly,
  },
  "shared/runtime": {
    summary: "runtime imports engine, config, ports and the own-bill model; never aws, @aws-sdk, Powertools, middy or aws-lambda",
    layers: { "shared/engine": "any", "shared/config": "any", "shared/ports": "any", "shared/cost": "any" },
    forbidPackages: awsAndLambda,
  },
  "shared/sim": {
    summary: "sim imports runtime, engine, config, ports and the own-bill model; never aws or AWS/Lambda packages",
    layers: { "shared/runtime": "any", "shared/engine": "any", "shared/config": "any", "shared/ports": "any", "shared/cost": "any" },
    forbidPackages: awsAndLambda,
  },
  "shared/cli": {
    summary: "cli may import anything in shared (and package.json, for --version), never functions or infra",
    layers: anyShared,
    allowFiles: ["package.json"],
  },
  functions: {
    summary: "functions may import shared and Lambda libraries, never infra",
    layers: anyShared,
  },
  infra: {
    summary: "infra may import shared and functions (to bundle and describe them)",
    layers: { ...anyShared, functions: "any" },
  },
  bench: {
    summary: "bench may import shared, functions and infra (it measures the bundle)",
    layers: { ...anyShared, functions: "any", infra: "any" },
  },
  scripts: {
    summary: "scripts may import anything",
    layers: { ...anyShared, functions: "any", infra: "any", bench: "any" },
  },
};

/** One import found in a file. */
export interface ImportSite {
  /** 1-based line of the specifier. */
  line: number;
  specifier: string;
  /** True for `import type`, `export type … from` and `import("…")` in a type position. */
  typeOnly: boolean;
}

/** Every module specifier `source` imports or re-exports, statically or dynamically. */
export function importsOf(fileName: string, source: string): ImportSite[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean) => sites.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, specifier, typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, isTypeOnlyImport(node));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(expression, expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument, argument.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) add(literal, literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}

/** `import type {…}`, or `import {type a, type b}` where every name is a type (erased entirely). */
function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** The layer of a repository-relative path, or undefined when no rule applies to it. */
export function layerOf(path: string): Layer | undefined {
  return layers.find((layer) => path === layer || path.startsWith(`${layer}/`));
}

/** What a specifier points at: a repository path (relative imports) or an npm package / built-in. */
type Target = { kind: "path"; path: string } | { kind: "package"; name: string };

function targetOf(fromFile: string, specifier: string): Target {
  if (specifier.startsWith(".")) return { kind: "path", path: normalize(join(dirname(fromFile), specifier)) };
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return { kind: "package", name };
}

/** One broken rule. */
export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/** Formats a violation as `file:line imports X (rule: …)`. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} imports ${v.specifier} (rule: ${v.rule})`;
}

/** The imports of one file (`file` relative to the repository root, `/`-separated) that break its rule. */
export function checkFile(file: string, source: string): Violation[] {
  const layer = layerOf(file);
  if (!layer) return [];
  const rule = rules[layer];
  return importsOf(file, source)
    .filter((site) => !allowed(rule, layer, targetOf(file, site.specifier), site.typeOnly))
    .map((site) => ({ file, line: site.line, specifier: site.specifier, rule: rule.summary }));
}

function allowed(rule: LayerRule, layer: Layer, target: Target, typeOnly: boolean): boolean {
  if (target.kind === "package") {
    const { name } = target;
    if (rule.allowPackages && !rule.allowPackages.some((p) => p.test(name))) return false;
    return !(rule.forbidPackages ?? []).some((p) => p.test(name));
  }
  const to = layerOf(target.path);
  if (to === layer) return true;
  // Outside every ruled folder (a test helper, package.json): only the tools may reach it.
  if (!to) return layer === "scripts" || layer === "bench" || layer === "infra" || (rule.allowFiles ?? []).includes(target.path);
  const use = rule.layers[to];
  return use === "any" || (use === "types" && typeOnly);
}
