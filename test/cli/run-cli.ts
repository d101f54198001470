/** Spawns the real `ecs-autoscaler` command (bin/ecs-autoscaler.js under this Node) for CLI tests. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/ecs-autoscaler.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args`, feeding `input` on stdin; `env` replaces the environment when given. */
export function runCli(args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
    ...(env ? { env } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
