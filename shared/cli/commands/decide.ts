/**
 * `ecs-autoscaler decide [FILE|-]`: one JSON request in, one JSON decision out.
 * Invalid input: exit 2, one problem per line on stderr naming its JSON path, nothing on stdout.
 */
import type { Command } from "commander";
import { formatProblems, ValidationError } from "../../config/issues.ts";
import { parseDecideRequest } from "../../config/request.ts";
import { decide } from "../../engine/decide.ts";
import { readInput } from "../read-input.ts";

/** Registers the `decide` command. */
export function registerDecide(program: Command): void {
  program
    .command("decide")
    .description("Compute one service's desired task count from a JSON request (file or - for stdin)")
    .argument("[file]", "request JSON file, or - for standard input", "-")
    .action((file: string) => {
      process.exitCode = runDecide(file);
    });
}

/** Runs `decide` on `file`; returns the exit code. */
export function runDecide(file: string): number {
  const text = readInput(file, "request");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const source = file === "-" ? "standard input" : file;
    process.stderr.write(`${source}: not valid JSON: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const decision = decide(parseDecideRequest(json));
    process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`${formatProblems(error.problems)}\n`);
      return 2;
    }
    throw error;
  }
}
