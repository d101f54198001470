/**
 * Spawns the real `ecs-autoscaler` command (bin/ecs-autoscaler.js under this Node) for CLI tests. The
 * CLI builds itself into the run's temporary cache folder (global setup), not the checkout's.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

export const bin = fileURLToPath(new URL("../../bin/ecs-autoscaler.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment CLI tests run the command in: this one, with the run's build cache. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ECS_AUTOSCALER_CACHE_DIR: inject("cliCacheDir"), ...extra };
}

/** Runs the CLI with `args`, feeding `input` on stdin. */
export function runCli(args: readonly string[], input?: string, options: { bin?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [options.bin ?? bin, ...args], { input, encoding: "utf8", timeout: 60_000, env: options.env ?? cliEnv() });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like {@link runCli}, without blocking: for calls that must run at the same time. */
export function runCliAsync(args: readonly string[], options: { bin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? bin, ...args], { env: options.env ?? cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
