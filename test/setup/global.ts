/**
 * Vitest global setup: starts the services the suite needs once, before any test file runs, and
 * stops them after the last one.
 *
 * dynalite: a real DynamoDB wire-protocol server (in memory, in this process) on a free loopback
 * port. Tests get its URL with `inject("dynamodbEndpoint")` (see test/setup/dynamodb.ts for a
 * client and a fresh table per test file).
 *
 * browser: a Chromium or Chrome for the browser tests (test/setup/chromium.ts), looked for, and
 * installed with apt-get where none is found and the machine allows it, once per run and only when a
 * browser test file is part of the run. Tests get it with `inject("browser")`.
 *
 * cliCacheDir: a temporary build cache for the CLI the tests spawn (test/cli/run-cli.ts), so they
 * never write into the checkout's node_modules/.cache; removed after the run.
 *
 * After a whole run (not in watch mode), the run fails when files appeared in or vanished from the
 * checkout (test/setup/checkout-guard.ts): tests write only to temporary folders.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import dynalite from "dynalite";
import type { TestProject } from "vitest/node";
import { checkoutChanges, checkoutSnapshot } from "./checkout-guard.ts";
import { type BrowserResolution, resolveBrowser } from "./chromium.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the dynalite server. */
    dynamodbEndpoint: string;
    /** The browser binary, or the one line the browser tests fail with; unset when none of them runs. */
    browser: BrowserResolution;
    /** ECS_AUTOSCALER_CACHE_DIR for spawned CLIs: a temporary folder of this run. */
    cliCacheDir: string;
  }
}

/** Browser test files, by name: test/report/*.browser.test.ts. */
const BROWSER_TEST = /\.browser\.test\.ts$/;

/** True when this run includes a browser test file (the files vitest was asked for, or all). */
async function runsBrowserTests(project: TestProject): Promise<boolean> {
  // The run's file filters are not public on the Vitest object; without them, assume every file runs.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const specs = await project.vitest.getRelevantTestSpecifications(filters);
  return specs.some((spec) => BROWSER_TEST.test(spec.moduleId));
}

/** Files the run itself writes into the checkout: the reporters' output files, the coverage report. */
function runOutputs(project: TestProject): string[] {
  const { root, outputFile, coverage } = project.config;
  const files = typeof outputFile === "string" ? [outputFile] : Object.values(outputFile ?? {});
  const outputs = [...files, ...(coverage.enabled ? [coverage.reportsDirectory] : [])];
  return outputs.map((f) => relative(root, resolve(root, f)));
}

/**
 * Fails the run when the checkout gained or lost files since `before`. A teardown's exception is only
 * logged by vitest ("error during close") with exit code 0, so this sets the exit code itself.
 */
function checkCheckout(project: TestProject, before: Set<string> | undefined): void {
  const after = before && checkoutSnapshot(project.config.root);
  if (!before || !after) return;
  const changes = checkoutChanges(before, after, runOutputs(project));
  if (changes.length > 0) {
    process.stderr.write(`\nFAIL: tests changed files in the checkout (they must write only to temporary folders): ${changes.join(", ")}\n`);
    process.exitCode = 1;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const checkoutBefore = project.config.watch ? undefined : checkoutSnapshot(project.config.root);
  // Tables become ACTIVE at once: waiting is DynamoDB's behaviour, not something the tests check.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  project.provide("dynamodbEndpoint", `http://127.0.0.1:${port}`);
  const cliCacheDir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-cli-cache-"));
  project.provide("cliCacheDir", cliCacheDir);
  if (await runsBrowserTests(project)) project.provide("browser", await resolveBrowser());

  return async () => {
    rmSync(cliCacheDir, { recursive: true, force: true });
    await new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve())));
    checkCheckout(project, checkoutBefore);
  };
}
