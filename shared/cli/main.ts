/**
 * The `ecs-autoscaler` command line: the user's local entry point. Each command lives in
 * ./commands and registers itself on the program; this file only wires them, loading a command's
 * module only when that command runs, so `--help`, `--version` and `decide` never load the simulator
 * or the AWS SDK.
 */
import { Command, CommanderError, Help } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { InputError } from "./read-input.ts";

type Register = (program: Command) => void;

/** One command as the top-level help shows it, and how to load the module that registers it. */
export interface CommandEntry {
  /** Name and arguments, as commander prints them in the command list. */
  term: string;
  description: string;
  load: () => Promise<Register>;
}

/**
 * Every command. `term` and `description` repeat what the command registers (a test keeps them
 * equal) so the top-level help needs none of the modules.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  decide: {
    term: "decide [file]",
    description: "Compute one service's desired task count from a JSON request (file or - for stdin)",
    load: async () => (await import("./commands/decide.ts")).registerDecide,
  },
  validate: {
    term: "validate <file>",
    description: "Validate a config file (YAML or JSON); prints each problem with its path",
    load: async () => (await import("./commands/validate.ts")).registerValidate,
  },
  schema: {
    term: "schema",
    description: "Print the JSON Schema of the config file, for editors",
    load: async () => (await import("./commands/schema.ts")).registerSchema,
  },
  simulate: {
    term: "simulate [options]",
    description:
      "Replay a scenario or trace against ecs-autoscaler, AWS target tracking, step and predictive scaling, KEDA, a static count and the oracle (knows the future)",
    load: async () => (await import("./commands/simulate.ts")).registerSimulate,
  },
  explain: {
    term: "explain [options]",
    description:
      "Read live state with your AWS credentials and print each service's would-be decision and why (changes nothing)",
    load: async () => (await import("./commands/explain.ts")).registerExplain,
  },
};

/** The command `argv` asks for (`ecs-autoscaler help <command>` included), if it names one. */
export function requestedCommand(argv: readonly string[]): string | undefined {
  const operands = argv.slice(2).filter((a) => !a.startsWith("-"));
  const name = operands[0] === "help" ? operands[1] : operands[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/**
 * Builds the program for `argv`: the requested command registered in full, every other one as a
 * name and description for the help (exported so tests can inspect the commands without spawning).
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("ecs-autoscaler")
    .description("Event-driven autoscaler for Amazon ECS: decide, validate, simulate, explain")
    .version(packageJson.version, "-V, --version", "print the version")
    // A usage mistake is one line (commander's "error: …", with a suggestion where it has one), not the
    // whole help: `--help` shows that.
    .exitOverride();
  const requested = requestedCommand(argv);
  const terms = new Map<Command, string>();
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (name === requested) {
      (await entry.load())(program);
    } else {
      terms.set(program.command(name).description(entry.description), entry.term);
    }
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? standard.subcommandTerm(cmd) });
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(internalErrorMessage(error, process.env));
    return 1;
  }
}

/** An unexpected error in one line, or with its stack when ECS_AUTOSCALER_DEBUG=1. */
export function internalErrorMessage(
  error: unknown,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (env.ECS_AUTOSCALER_DEBUG === "1") {
    return `ecs-autoscaler: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `ecs-autoscaler: internal error: ${message.split("\n")[0]} (set ECS_AUTOSCALER_DEBUG=1 for the stack)\n`;
}
