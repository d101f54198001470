/**
 * `ecs-autoscaler validate FILE`: checks a config file; each problem on a line of its own naming the file
 * and the JSON path (`config.yaml: services[0].policy.maxTasks: …`); exit 2 when invalid.
 * Settings that contradict each other are warnings: printed, exit 0.
 */
import type { Command } from "commander";
import { parseConfigText } from "../../config/config-file.ts";
import { formatProblems } from "../../config/issues.ts";
import { readInput } from "../read-input.ts";

/** Registers the `validate` command. */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("Validate a config file (YAML or JSON); prints each problem with its path")
    .argument("<file>", "config file, or - for standard input")
    .action((file: string) => {
      process.exitCode = runValidate(file);
    });
}

/** Runs `validate` on `file`; returns the exit code. */
export function runValidate(file: string): number {
  const parsed = parseConfigText(readInput(file, "config"));
  if (!parsed.config) {
    process.stderr.write(`${formatProblems(parsed.problems, file)}\n`);
    return 2;
  }
  for (const w of parsed.warnings) process.stderr.write(`${file}: warning: ${w.path}: ${w.message}\n`);
  const { services } = parsed.config;
  const triggers = services.reduce((n, s) => n + s.policy.triggers.length, 0);
  const siblings = services.filter((s) => s.spotFallback !== undefined).length;
  const counted =
    siblings > 0
      ? `${services.length} service(s) + ${siblings} on-demand sibling(s)`
      : `${services.length} service(s)`;
  process.stdout.write(`${file} is valid: ${counted}, ${triggers} trigger(s)\n`);
  return 0;
}
