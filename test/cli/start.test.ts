/**
 * How the `ecs-autoscaler` command starts: from a cached esbuild bundle rebuilt when its sources change,
 * safe when two calls build at once, loading only the command that runs, with a clear line when it
 * cannot be built. Every build here goes to a temporary cache (and a temporary copy of the checkout
 * where sources change), never to the checkout's own files.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Help } from "commander";
import { describe, expect, inject, it, vi } from "vitest";
import { buildProgram, COMMANDS, internalErrorMessage, requestedCommand } from "../../shared/cli/main.ts";
import { cliEnv, runCli, runCliAsync } from "./run-cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const BUILD = 60_000;
/** The README's `decide` example. */
const readmeRequest = {
  now: "2026-03-02T12:00:00Z",
  policy: { maxTasks: 20, triggers: [{ type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", targetBacklogPerTask: 25 }] },
  service: { desiredCount: 10, runningCount: 10, pendingCount: 0 },
  observations: [{ visible: 200, inFlight: 100 }],
};

/** A copy of what the CLI is built from, in a temporary folder, with `node_modules` linked (all, or all but some packages). */
function copyCheckout(options: { without?: string[] } = {}): string {
  const copy = mkdtempSync(join(tmpdir(), "ecs-autoscaler-checkout-"));
  for (const path of ["bin", "shared", "package.json", "package-lock.json"]) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  if (!options.without) {
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    return copy;
  }
  mkdirSync(join(copy, "node_modules"));
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (!options.without.includes(name) && name !== ".cache") symlinkSync(join(ROOT, "node_modules", name), join(copy, "node_modules", name));
  }
  return copy;
}

const freshCache = () => mkdtempSync(join(tmpdir(), "ecs-autoscaler-cache-"));
const builds = (cache: string) => readdirSync(cache);

/** Every module file a CLI call loaded from the cache, by name, as a resolve hook saw them. */
function loadedChunks(args: string[], input?: string): string[] {
  const hook = `import { registerHooks } from "node:module"; registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.includes("/ecs-autoscaler-cli-cache-")) process.stderr.write("LOADED " + r.url + "\\n"); return r; } });`;
  const env = cliEnv({ NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hook)}` });
  const { status, stderr } = runCli(args, input, { env });
  expect(status).toBe(0);
  return [...stderr.matchAll(/^LOADED file:.*\/([^/]+)$/gm)].map((m) => m[1]!);
}

/** What each chunk of the run's build holds (chunks.json, written by the build). */
function chunkContents(): Record<string, string[]> {
  const cache = inject("cliCacheDir");
  const [build] = builds(cache).filter((name) => statSync(join(cache, name, "chunks.json"), { throwIfNoEntry: false }));
  return JSON.parse(readFileSync(join(cache, build!, "chunks.json"), "utf8"));
}

describe("ecs-autoscaler --version and --help", () => {
  it("--version prints package.json's version", () => {
    expect(runCli(["--version"])).toEqual({ status: 0, stdout: `${packageJson.version}\n`, stderr: "" });
  });

  it("--help lists every command with its description", () => {
    const { status, stdout } = runCli(["--help"]);
    expect(status).toBe(0);
    for (const entry of Object.values(COMMANDS)) expect(stdout.replace(/\s+/g, " ")).toContain(`${entry.term} ${entry.description}`);
  });

  it("the top-level help's terms and descriptions are the ones the commands register", async () => {
    const help = new Help();
    for (const entry of Object.values(COMMANDS)) {
      const program = new Command();
      (await entry.load())(program);
      const [command] = program.commands;
      expect({ term: help.subcommandTerm(command!), description: command!.description() }).toEqual({ term: entry.term, description: entry.description });
    }
  });
});

describe("lazy loading", () => {
  const aws = (held: string) => held.startsWith("@aws-sdk/") || held.startsWith("shared/aws/");
  const simulator = (held: string) => held.startsWith("shared/sim/");
  const command = (held: string) => held.startsWith("shared/cli/commands/");
  it.each([
    { name: "--help loads no command, no AWS SDK, no simulator", args: ["--help"], avoid: { aws, simulator, command } },
    { name: "--version loads no command, no AWS SDK, no simulator", args: ["--version"], avoid: { aws, simulator, command } },
    { name: "decide loads neither the AWS SDK nor the simulator", args: ["decide", "-"], input: JSON.stringify(readmeRequest), avoid: { aws, simulator } },
    { name: "validate loads neither the AWS SDK nor the simulator", args: ["validate", join(ROOT, "config/example.yaml")], avoid: { aws, simulator } },
  ])("$name", ({ args, input, avoid }) => {
    const loaded = loadedChunks(args, input);
    expect(loaded).toContain("main.mjs");
    const contents = chunkContents();
    for (const [what, test] of Object.entries(avoid))
      expect(
        loaded.filter((chunk) => contents[chunk]?.some(test)),
        what,
      ).toEqual([]);
  });

  it("the build holds only project files under shared/ (what its cache key covers) and package.json", () => {
    const projectFiles = Object.values(chunkContents())
      .flat()
      .filter((held) => held.includes("/") && !held.startsWith("@"));
    expect(projectFiles.filter((f) => !f.startsWith("shared/") && f !== "package.json")).toEqual([]);
  });

  it.each([
    { argv: ["--help"], expected: undefined },
    { argv: ["decide", "-"], expected: "decide" },
    { argv: ["help", "simulate"], expected: "simulate" },
    { argv: ["--no-such-flag", "explain", "--config", "x"], expected: "explain" },
    { argv: ["nope"], expected: undefined },
    { argv: ["toString"], expected: undefined },
  ])("argv $argv asks for $expected", ({ argv, expected }) => {
    expect(requestedCommand(["node", "ecs-autoscaler", ...argv])).toBe(expected);
  });

  it("building the program loads only the requested command's module", async () => {
    const spies = Object.fromEntries(Object.entries(COMMANDS).map(([name, entry]) => [name, vi.spyOn(entry, "load")]));
    try {
      await buildProgram(["node", "ecs-autoscaler", "schema"]);
      expect(
        Object.entries(spies)
          .filter(([, spy]) => spy.mock.calls.length > 0)
          .map(([name]) => name),
      ).toEqual(["schema"]);
    } finally {
      for (const spy of Object.values(spies)) spy.mockRestore();
    }
  });
});

describe("the build cache", () => {
  it(
    "rebuilds after a source or package.json change, and reuses the build otherwise",
    () => {
      const copy = copyCheckout();
      const bin = join(copy, "bin", "ecs-autoscaler.js");
      const env = { ...process.env, ECS_AUTOSCALER_CACHE_DIR: freshCache() };
      expect(runCli(["--version"], undefined, { bin, env }).stdout).toBe(`${packageJson.version}\n`);
      expect(runCli(["--version"], undefined, { bin, env }).stdout).toBe(`${packageJson.version}\n`);
      expect(builds(env.ECS_AUTOSCALER_CACHE_DIR)).toHaveLength(1);

      const pkg = join(copy, "package.json");
      writeFileSync(pkg, readFileSync(pkg, "utf8").replace(`"version": "${packageJson.version}"`, `"version": "9.8.7"`));
      expect(runCli(["--version"], undefined, { bin, env }).stdout).toBe("9.8.7\n");

      const main = join(copy, "shared", "cli", "main.ts");
      writeFileSync(main, readFileSync(main, "utf8").replace("Event-driven autoscaler for Amazon ECS:", "Edited description:"));
      expect(runCli(["--help"], undefined, { bin, env }).stdout).toContain("Edited description: decide, validate");
      expect(builds(env.ECS_AUTOSCALER_CACHE_DIR)).toHaveLength(3);
    },
    BUILD,
  );

  it(
    "two first calls building at once both succeed and leave one complete build",
    async () => {
      const env = { ...process.env, ECS_AUTOSCALER_CACHE_DIR: freshCache() };
      const results = await Promise.all([runCliAsync(["--version"], { env }), runCliAsync(["--version"], { env })]);
      expect(results).toEqual([0, 1].map(() => ({ status: 0, stdout: `${packageJson.version}\n`, stderr: "" })));
      const left = builds(env.ECS_AUTOSCALER_CACHE_DIR);
      expect(left).toHaveLength(1);
      expect(readdirSync(join(env.ECS_AUTOSCALER_CACHE_DIR, left[0]!))).toContain("main.mjs");
    },
    BUILD,
  );

  it(
    "a source that does not compile: one line naming the file, line and column, exit 1, no cache entry",
    () => {
      const copy = copyCheckout();
      const main = join(copy, "shared", "cli", "main.ts");
      writeFileSync(main, `${readFileSync(main, "utf8")}\nexport const broken = ;\n`);
      const env = { ...process.env, ECS_AUTOSCALER_CACHE_DIR: freshCache() };
      const { status, stdout, stderr } = runCli(["--version"], undefined, { bin: join(copy, "bin", "ecs-autoscaler.js"), env });
      expect({ status, stdout }).toEqual({ status: 1, stdout: "" });
      expect(stderr).toMatch(/^ecs-autoscaler: cannot build the CLI: shared\/cli\/main\.ts:\d+:\d+: Unexpected ";"\n$/);
      expect(builds(env.ECS_AUTOSCALER_CACHE_DIR)).toEqual([]);
    },
    BUILD,
  );

  it(
    "without esbuild (an install without the dev dependencies): one line saying what to run, exit 1",
    () => {
      const copy = copyCheckout({ without: ["esbuild", "tsx", ".bin"] });
      const env = { ...process.env, ECS_AUTOSCALER_CACHE_DIR: freshCache() };
      const { status, stdout, stderr } = runCli(["--version"], undefined, { bin: join(copy, "bin", "ecs-autoscaler.js"), env });
      expect({ status, stdout }).toEqual({ status: 1, stdout: "" });
      expect(stderr).toBe(`ecs-autoscaler: esbuild is not installed, so the CLI cannot be built; run \`npm ci\` in ${copy} (the CLI needs the dev dependencies)\n`);
    },
    BUILD,
  );
});

describe("unexpected errors", () => {
  const error = new Error("boom\nsecond line");
  it.each([
    { name: "one line without ECS_AUTOSCALER_DEBUG", env: {}, expected: "ecs-autoscaler: internal error: boom (set ECS_AUTOSCALER_DEBUG=1 for the stack)\n" },
    {
      name: "one line with ECS_AUTOSCALER_DEBUG set to something else",
      env: { ECS_AUTOSCALER_DEBUG: "yes" },
      expected: "ecs-autoscaler: internal error: boom (set ECS_AUTOSCALER_DEBUG=1 for the stack)\n",
    },
    { name: "the stack with ECS_AUTOSCALER_DEBUG=1", env: { ECS_AUTOSCALER_DEBUG: "1" }, expected: `ecs-autoscaler: ${error.stack}\n` },
    { name: "a thrown non-Error, as text", env: {}, value: "plain", expected: "ecs-autoscaler: internal error: plain (set ECS_AUTOSCALER_DEBUG=1 for the stack)\n" },
  ])("$name", ({ env, value, expected }) => {
    expect(internalErrorMessage(value ?? error, env)).toBe(expected);
  });
});
