/**
 * The import rules of docs/architecture.md, enforced over every .ts file of the ruled folders. A
 * violation prints as `file:line imports X (rule: …)`. The fixtures prove the checker catches each
 * kind of leak the rules exist for.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile, formatViolation, importsOf, layers, type Violation } from "./import-rules.ts";

const root = join(import.meta.dirname, "../..");

function repositoryViolations(): Violation[] {
  return layers.flatMap((layer) =>
    readdirSync(join(root, layer), { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => {
        const file = `${layer}/${name.split("\\").join("/")}`;
        return checkFile(file, readFileSync(join(root, file), "utf8"));
      }),
  );
}

describe("import rules of the repository", () => {
  const violations = repositoryViolations();

  it("hold for every file", () => {
    expect(violations.map(formatViolation)).toEqual([]);
  });
});

describe("the checker", () => {
  it.each([
    ["engine importing config", "shared/engine/decide.ts", 'import { requestSchema } from "../config/request.ts";', "../config/request.ts"],
    ["engine importing a config type", "shared/engine/bounds.ts", 'import type { Policy } from "../config/policy.ts";', "../config/policy.ts"],
    ["engine importing a node built-in", "shared/engine/decide.ts", 'import { readFileSync } from "node:fs";', "node:fs"],
    ["runtime importing the aws adapters", "shared/runtime/observe.ts", 'import { classify } from "../aws/errors.ts";', "../aws/errors.ts"],
    ["runtime importing Powertools", "shared/runtime/evaluate-service.ts", 'import { Logger } from "@aws-lambda-powertools/logger";', "@aws-lambda-powertools/logger"],
    ["runtime importing the AWS SDK", "shared/runtime/evaluate-service.ts", 'import { ECSClient } from "@aws-sdk/client-ecs";', "@aws-sdk/client-ecs"],
    ["runtime importing middy", "shared/runtime/evaluate-service.ts", 'import middy from "@middy/core";', "@middy/core"],
    ["runtime importing Lambda types", "shared/runtime/evaluate-service.ts", 'import type { Context } from "aws-lambda";', "aws-lambda"],
    ["config importing engine code (not only types)", "shared/config/policy.ts", 'import { decide } from "../engine/decide.ts";', "../engine/decide.ts"],
    ["config importing engine names without `type`", "shared/config/policy.ts", 'import { type Policy, reasonCodes } from "../engine/types.ts";', "../engine/types.ts"],
    ["ports importing config", "shared/ports/metrics.ts", 'import type { Config } from "../config/config-file.ts";', "../config/config-file.ts"],
    ["sim importing the aws adapters", "shared/sim/world.ts", 'import { EcsServices } from "../aws/ecs-services.ts";', "../aws/ecs-services.ts"],
    ["shared importing functions", "shared/cli/main.ts", 'import { handler } from "../../functions/evaluate/handler.ts";', "../../functions/evaluate/handler.ts"],
    ["shared importing infra", "shared/config/index.ts", 'export * from "../../infra/lib/plan.ts";', "../../infra/lib/plan.ts"],
    ["a dynamic import", "shared/engine/decide.ts", 'const m = await import("../config/request.ts");', "../config/request.ts"],
    ["an import() type", "shared/engine/decide.ts", 'let p: import("../config/policy.ts").Policy;', "../config/policy.ts"],
    ["a re-export", "shared/engine/types.ts", 'export type { Policy } from "../config/policy.ts";', "../config/policy.ts"],
    ["the runtime reading package.json (only the CLI may)", "shared/runtime/evaluate-service.ts", 'import pkg from "../../package.json" with { type: "json" };', "../../package.json"],
    ["the own-bill model importing config", "shared/cost/own-bill.ts", 'import type { Config } from "../config/config-file.ts";', "../config/config-file.ts"],
    ["the worker helper importing the runtime", "shared/worker/consumer.ts", 'import { runEvaluationPass } from "../runtime/evaluation-pass.ts";', "../runtime/evaluation-pass.ts"],
  ])("reports %s", (_name, file, source, specifier) => {
    expect(checkFile(file, `// fixture\n${source}\n`).map(formatViolation)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2 imports ${specifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(rule: .+\\)$`)),
    ]);
  });

  it.each([
    ["engine importing itself and croner", "shared/engine/bounds.ts", 'import { x } from "./cron.ts";\nimport { Cron } from "croner";'],
    ["config importing engine types", "shared/config/policy.ts", 'import type { Policy } from "../engine/types.ts";\nimport { type History } from "../engine/types.ts";'],
    [
      "runtime importing engine, config and ports",
      "shared/runtime/observe.ts",
      'import { decide } from "../engine/decide.ts";\nimport { parseConfigText } from "../config/config-file.ts";\nimport type { Queues } from "../ports/queues.ts";',
    ],
    [
      "aws importing the SDK, ports and config",
      "shared/aws/sqs-queues.ts",
      'import { SQSClient } from "@aws-sdk/client-sqs";\nimport type { Queues } from "../ports/queues.ts";\nimport { problemsOf } from "../config/issues.ts";',
    ],
    [
      "functions importing Lambda libraries and shared",
      "functions/evaluate/handler.ts",
      'import middy from "@middy/core";\nimport { Logger } from "@aws-lambda-powertools/logger";\nimport { evaluate } from "../../shared/runtime/evaluation-pass.ts";',
    ],
    ["a file outside the ruled folders", "test/engine/decide.test.ts", 'import { EcsServices } from "../../shared/aws/ecs-services.ts";'],
  ])("allows %s", (_name, file, source) => {
    expect(checkFile(file, source)).toEqual([]);
  });

  it("reads every kind of specifier with its line and whether it is type-only", () => {
    const source = [
      'import a from "a";',
      'import type { B } from "b";',
      'import { type C } from "c";',
      'export { d } from "d";',
      'export type { E } from "e";',
      'const f = import("f");',
      'let g: import("g").G;',
      'import "h";',
    ].join("\n");
    expect(importsOf("x.ts", source)).toEqual([
      { line: 1, specifier: "a", typeOnly: false },
      { line: 2, specifier: "b", typeOnly: true },
      { line: 3, specifier: "c", typeOnly: true },
      { line: 4, specifier: "d", typeOnly: false },
      { line: 5, specifier: "e", typeOnly: true },
      { line: 6, specifier: "f", typeOnly: false },
      { line: 7, specifier: "g", typeOnly: true },
      { line: 8, specifier: "h", typeOnly: false },
    ]);
  });
});
