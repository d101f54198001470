/**
 * The Lambda bundles map an error's stack to the TypeScript only when it is reported
 * (functions/lib/source-mapped-stack.ts): a handler in a minified bundle built as the functions are
 * (external map, no `sourceMappingURL`) throws, and the error it rejects with carries a stack that
 * names the source file, line and column; a
 * frame of a bundle without a map is left as it was.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mappedStack } from "../../functions/lib/source-mapped-stack.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-stack-"));
const bundle = join(dir, "bundle.mjs");

// The throw is on line 4 of the source, at column 9 (1-based).
const SOURCE = `import { sourceMappedErrors } from ${JSON.stringify(join(ROOT, "functions/lib/source-mapped-stack.ts"))};
export function failing(n: number): number {
  if (n > 0) {
    throw new Error("boom " + n);
  }
  return n;
}
import middy from ${JSON.stringify(join(ROOT, "node_modules/@middy/core/index.js"))};
const handler = middy(async (n: number) => failing(n)).use(sourceMappedErrors());
try { await handler(1, {} as never); } catch (error) { console.log((error as Error).stack); }
`;

beforeAll(async () => {
  writeFileSync(join(dir, "thrower.ts"), SOURCE);
  await build({
    absWorkingDir: dir,
    entryPoints: [join(dir, "thrower.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    minify: true,
    sourcemap: "external",
    sourcesContent: false,
    logLevel: "silent",
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("source-mapped stacks", () => {
  it("builds the bundle without a sourceMappingURL, so Node reads no map at import", () => {
    expect(readFileSync(bundle, "utf8")).not.toContain("sourceMappingURL");
  });

  it("maps the frames of the error a handler fails with to the source's file, line and column", () => {
    const child = spawnSync(process.execPath, [bundle], { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "" } });
    const lines = child.stdout.trim().split("\n");
    expect(lines[0]).toBe("Error: boom 1");
    expect(lines[1]).toMatch(/^\s+at \S+ \(thrower\.ts:4:11\)$/);
    expect(child.stdout).not.toContain("bundle.mjs");
  });

  it.each([
    ["a bundle without a map beside it", `    at f (file://${join(dir, "no-map.mjs")}:1:200)`],
    ["a frame outside any bundle", "    at f (node:internal/modules/run_main:123:5)"],
  ])("leaves %s as it was", (_name, frame) => {
    expect(mappedStack(`Error: x\n${frame}`)).toBe(`Error: x\n${frame}`);
  });
});
