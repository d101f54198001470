/** `ecs-autoscaler validate FILE`: checks a config file; each problem with its path; exit 2 when invalid. */
import { existsSync } from "node:fs";
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
      if (file !== "-" && !existsSync(file)) {
        process.stderr.write(`${file}: no such file\n`);
        process.exitCode = 2;
        return;
      }
      const { config, problems } = parseConfigText(readInput(file));
      if (!config) {
        process.stderr.write(`${file} is invalid:\n${formatProblems(problems)}\n`);
        process.exitCode = 2;
        return;
      }
      const triggers = config.services.reduce((n, s) => n + s.policy.triggers.length, 0);
      process.stdout.write(
        `${file} is valid: ${config.services.length} service(s), ${triggers} trigger(s)\n`,
      );
      process.exitCode = 0;
    });
}
