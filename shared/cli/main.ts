/**
 * The `ecs-autoscaler` command line: the user's local entry point. Each command lives in
 * ./commands and registers itself on the program; this file only wires them.
 */
import { Command, CommanderError } from "commander";
import { registerDecide } from "./commands/decide.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerSchema } from "./commands/schema.ts";
import { registerSimulate } from "./commands/simulate.ts";
import { registerValidate } from "./commands/validate.ts";
import { InputError } from "./read-input.ts";

/** Builds the program; exported so tests can inspect the commands without spawning. */
export function buildProgram(): Command {
  const program = new Command("ecs-autoscaler")
    .description("Event-driven autoscaler for Amazon ECS: decide, validate, simulate, explain")
    .exitOverride()
    .showHelpAfterError();
  registerDecide(program);
  registerValidate(program);
  registerSchema(program);
  registerSimulate(program);
  registerExplain(program);
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`ecs-autoscaler: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
