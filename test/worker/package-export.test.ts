/**
 * `ecs-autoscaler/worker` as a plain JavaScript worker imports it: the built bundle loads in a fresh
 * Node process and its declarations point at files that exist.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildWorker } from "../../scripts/build-worker.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the worker build", () => {
  it("bundles an ES module that a JavaScript file can import, with declarations for every module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "worker-build-"));
    // The bundle leaves its npm dependencies (sqs-consumer, the SDK) as imports, resolved from here.
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    const out = join(dir, "dist");
    expect(await buildWorker(out)).toEqual(["agent-endpoint.d.ts", "consumer.d.ts", "index.d.ts", "index.js", "scale-in-protection.d.ts"]);
    const index = readFileSync(join(out, "index.d.ts"), "utf8");
    for (const [, target] of index.matchAll(/from "\.\/([^"]+)\.js"/g)) expect(existsSync(join(out, `${target}.d.ts`))).toBe(true);
    writeFileSync(
      join(dir, "worker.mjs"),
      `import { ScaleInProtection, createProtectedConsumer, AgentEndpoint } from "./dist/index.js";
const events = [];
const p = new ScaleInProtection({ endpoint: new AgentEndpoint({ agentUri: "" }), onEvent: (e) => events.push(e.type) });
await p.hold(); p.release(); await p.close();
console.log(JSON.stringify({ events, consumer: typeof createProtectedConsumer }));`,
    );
    const run = spawnSync(process.execPath, [join(dir, "worker.mjs")], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ events: ["unavailable"], consumer: "function" });
  });

  it("package.json exports it as ecs-autoscaler/worker", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.exports["./worker"]).toEqual({ types: "./dist/worker/index.d.ts", default: "./dist/worker/index.js" });
  });
});
