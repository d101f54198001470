/**
 * `ecs-autoscaler simulate`: replays a scenario or a trace against this autoscaler and the policies users
 * would otherwise pick, prints a comparison table, and writes the JSON (the contract in docs/simulator.md)
 * and an HTML report. Bad options, output paths that cannot be written and runs over the simulator's
 * limits (shared/sim/limits.ts) are refused before the run: exit 2 with one line per problem on stderr.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { SliceError } from "../../sim/arrivals.ts";
import { parseStartup, type ServiceDistribution, serviceDistributions } from "../../sim/distributions.ts";
import {
  LimitError,
  maxConcurrency,
  maxDurationSeconds,
  maxKedaQueueLength,
  maxServiceSeconds,
  maxStartupSeconds,
  maxTargetWaitSeconds,
  maxTasksLimit,
} from "../../sim/limits.ts";
import { renderReport } from "../../sim/report/render.ts";
import { type PolicyName, policyNames } from "../../sim/result.ts";
import { allScenarios, defaultScenarioName } from "../../sim/scenarios.ts";
import { type SimulateOptions, simulate, UnknownScenarioError } from "../../sim/simulate.ts";
import { formatTable } from "../../sim/table.ts";
import { TraceError } from "../../sim/trace/formats.ts";
import { formatDuration, parseDuration } from "../../sim/trace/time.ts";
import { type UserPolicy, userPolicies, userPolicy } from "../../sim/user-config.ts";
import { readInput } from "../read-input.ts";
import { outputPathProblem, writeOutputsOrSay } from "../write-output.ts";
import { reportServices, serviceTraces, simulateServices } from "./simulate-services.ts";

interface RawOptions {
  scenario?: string;
  trace?: string;
  traceTrigger?: string;
  targetWait?: string;
  serviceTime?: string;
  serviceDistribution?: string;
  startup?: string;
  seed?: string;
  scale?: string;
  start?: string;
  duration?: string;
  policies?: string;
  interval?: string;
  concurrency?: string;
  maxTasks?: string;
  kedaQueueLength?: string;
  protection?: boolean;
  config?: string;
  service?: string;
  serviceTrace: string[];
  json?: string;
  report?: string;
  listScenarios?: boolean;
  progress: boolean;
}

/** Registers the `simulate` command. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "Replay a scenario or trace against ecs-autoscaler, AWS target tracking, step and predictive scaling, KEDA, a static count and the oracle (knows the future)",
    )
    .option(
      "--scenario <name>",
      `built-in scenario (default ${defaultScenarioName}; --list-scenarios shows them)`,
    )
    .option("--trace <file>", "trace file: CSV time,count or any format in data/traces; plain, .gz or .bz2")
    .option(
      "--trace-trigger <type>",
      "per-function traces (HashFunction,Trigger,…): only rows of this trigger",
    )
    .option("--target-wait <seconds>", "how long a message may wait (default 120)")
    .option("--service-time <seconds>", "mean processing time of one message (default 2)")
    .option("--service-distribution <name>", `${serviceDistributions.join(" | ")} (default exponential)`)
    .option("--startup <seconds>", "task startup: fixed (45) or a uniform range (30-90, the default)")
    .option("--seed <n>", "random seed; the same seed gives the same run (default 1)")
    .option("--scale <factor>", "multiply the number of arrivals")
    .option(
      "--start <time>",
      "slice start: a time in the trace's format, a date (2026-03-02: its midnight), or an offset such as 2h or 1h30m",
    )
    .option("--duration <d>", "slice length such as 6h, 90m, 1h30m, 2d or 3600 (seconds)")
    .option("--policies <list>", `comma-separated subset of ${policyNames.join(",")}`)
    .option("--interval <seconds>", "ecs-autoscaler evaluation interval (default 10)")
    .option("--concurrency <n>", "messages one task works on at once (default 1)")
    .option("--max-tasks <n>", "upper bound for every policy (default: twice the peak need + 10)")
    .option("--keda-queue-length <n>", "keda's queueLength, messages per replica (default 5, KEDA's default)")
    .option(
      "--protection",
      "workers set ECS task scale-in protection while they hold a message (default off: a scale-in can stop busy tasks)",
    )
    .option(
      "--config <file>",
      "run ecs-autoscaler with this config file's policy (validated as the runtime does; its sqs triggers read the simulated queue)",
    )
    .option(
      "--service <name>",
      "with --config: the service (name or cluster/service) when the file has several",
    )
    .option(
      "--service-trace <name=file>",
      "with --config and several services: this service's traffic (repeat per service; the others get --trace or the scenario)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--json <file>", "write the results as JSON")
    .option("--report <file>", "write the HTML report")
    .option("--list-scenarios", "list the built-in scenarios and exit")
    .option("--no-progress", "no progress output on stderr")
    .action(async (raw: RawOptions) => {
      process.exitCode = await runSimulate(raw);
    });
}

/** The user's policies for ecs-autoscaler: one service's, or every service's with their traces. */
type OwnPolicies =
  | { policy: UserPolicy }
  | { policies: UserPolicy[]; traces: Map<string, string> }
  | { problems: string[] };

/** `--config`/`--service`/`--service-trace`: the user's policies, or the problems; undefined without them. */
function ownPolicies(raw: RawOptions): OwnPolicies | undefined {
  const traces = raw.serviceTrace ?? [];
  if (raw.config === undefined) {
    const problems = [
      ...(raw.service !== undefined ? ["--service: only with --config FILE"] : []),
      ...(traces.length > 0 ? ["--service-trace: only with --config FILE"] : []),
    ];
    return problems.length > 0 ? { problems } : undefined;
  }
  const text = readInput(raw.config, "config");
  if (raw.service !== undefined) {
    if (traces.length > 0)
      return { problems: ["--service-trace: with --service, give its traffic with --trace"] };
    return userPolicy(text, raw.config, raw.service);
  }
  const all = userPolicies(text, raw.config);
  if ("problems" in all) return all;
  const named = serviceTraces(traces, all.policies);
  if ("problems" in named) return named;
  return all.policies.length === 1 && named.traces.size === 0
    ? { policy: all.policies[0]! }
    : { policies: all.policies, traces: named.traces };
}

/** Runs the command; returns the exit code. */
export async function runSimulate(raw: RawOptions): Promise<number> {
  if (raw.listScenarios) {
    const width = Math.max(...allScenarios.map((s) => s.name.length));
    for (const s of allScenarios) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n`);
    return 0;
  }
  const parsed = parseOptions(raw);
  if ("problems" in parsed) {
    process.stderr.write(parsed.problems.map((p) => `simulate: ${p}\n`).join(""));
    return 2;
  }
  const own = ownPolicies(raw);
  if (own && "problems" in own) {
    process.stderr.write(own.problems.map((p) => `simulate: ${p}\n`).join(""));
    return 2;
  }
  if (own && "policies" in own) return runServices(raw, parsed.options, own);
  if (own) {
    parsed.options.ecsAutoscalerPolicy = own.policy.policy;
    parsed.options.ecsAutoscalerPolicySource = `${raw.config}: ${own.policy.service}`;
    if (raw.interval === undefined) parsed.options.intervalSeconds = own.policy.intervalSeconds;
    for (const w of own.policy.warnings) process.stderr.write(`simulate: warning: ${w}\n`);
  }
  const output = await withProgress(raw, (onProgress) => simulate({ ...parsed.options, ...onProgress }));
  if (output === REFUSED) return 2;
  const files = [
    ...(raw.json ? [{ path: raw.json, text: `${JSON.stringify(output, null, 2)}\n` }] : []),
    ...(raw.report ? [{ path: raw.report, text: renderReport(output) }] : []),
  ];
  if (!writeOutputsOrSay("simulate", files)) return 2;
  process.stdout.write(formatTable(output));
  for (const warning of output.warnings ?? []) process.stderr.write(`simulate: warning: ${warning}\n`);
  if (raw.json) process.stdout.write(`JSON written to ${raw.json}\n`);
  if (raw.report) process.stdout.write(`Report written to ${raw.report} (open it in a browser)\n`);
  return 0;
}

/** Every service of the config, each in its own world; see simulate-services.ts. */
async function runServices(
  raw: RawOptions,
  options: SimulateOptions,
  own: { policies: UserPolicy[]; traces: Map<string, string> },
): Promise<number> {
  for (const w of own.policies.flatMap((p) => p.warnings)) process.stderr.write(`simulate: warning: ${w}\n`);
  const result = await withProgress(raw, (onProgress) =>
    simulateServices({
      configFile: raw.config!,
      policies: own.policies,
      traces: own.traces,
      options: { ...options, ...onProgress },
      intervalGiven: raw.interval !== undefined,
    }),
  );
  if (result === REFUSED) return 2;
  return reportServices(result, raw.json, raw.report, renderReport);
}

/** What {@link withProgress} returns when the simulator refused its input (said on stderr). */
const REFUSED = Symbol("refused");

/**
 * Runs `run` with the progress bar when asked for (`--no-progress` turns it off), ending the bar
 * before anything else is printed; the simulator's refusal of its input is one line on stderr and
 * {@link REFUSED}.
 */
async function withProgress<T>(
  raw: RawOptions,
  run: (onProgress: Pick<SimulateOptions, "onProgress">) => Promise<T>,
): Promise<T | typeof REFUSED> {
  const progress = raw.progress ? progressReporter() : undefined;
  let result: T;
  try {
    result = await run(progress ? { onProgress: progress.update } : {});
  } catch (error) {
    progress?.done();
    if (!isInputError(error)) throw error;
    process.stderr.write(`simulate: ${(error as Error).message}\n`);
    return REFUSED;
  }
  progress?.done();
  return result;
}

/** The simulator's refusals of its input (trace, slice, scenario, limits): exit 2, not a crash. */
function isInputError(error: unknown): boolean {
  return (
    error instanceof TraceError ||
    error instanceof SliceError ||
    error instanceof UnknownScenarioError ||
    error instanceof LimitError
  );
}

/** A numeric option: its flag, where it comes from and goes, what it accepts, and how that reads. */
interface NumberOption {
  flag: string;
  raw: keyof RawOptions;
  key: keyof SimulateOptions;
  accepts: (n: number) => boolean;
  expected: string;
}

const numberOptions: readonly NumberOption[] = [
  {
    flag: "--target-wait",
    raw: "targetWait",
    key: "targetWaitSeconds",
    accepts: (n) => n > 0 && n <= maxTargetWaitSeconds,
    expected: `seconds > 0 and at most ${maxTargetWaitSeconds} (a day)`,
  },
  {
    flag: "--service-time",
    raw: "serviceTime",
    key: "secondsPerMessage",
    accepts: (n) => n > 0 && n <= maxServiceSeconds,
    expected: `seconds > 0 and at most ${maxServiceSeconds} (a day)`,
  },
  {
    flag: "--seed",
    raw: "seed",
    key: "seed",
    accepts: (n) => Number.isSafeInteger(n) && n >= 0,
    expected: "an integer ≥ 0",
  },
  { flag: "--scale", raw: "scale", key: "scale", accepts: (n) => n > 0, expected: "a factor > 0" },
  {
    flag: "--interval",
    raw: "interval",
    key: "intervalSeconds",
    accepts: (n) => Number.isInteger(n) && n >= 1 && n <= 60,
    expected: "whole seconds from 1 to 60",
  },
  {
    flag: "--concurrency",
    raw: "concurrency",
    key: "concurrency",
    accepts: (n) => Number.isInteger(n) && n >= 1 && n <= maxConcurrency,
    expected: `an integer from 1 to ${maxConcurrency}`,
  },
  {
    flag: "--max-tasks",
    raw: "maxTasks",
    key: "maxTasks",
    accepts: (n) => Number.isInteger(n) && n >= 1 && n <= maxTasksLimit,
    expected: `an integer from 1 to ${maxTasksLimit}`,
  },
  {
    flag: "--keda-queue-length",
    raw: "kedaQueueLength",
    key: "kedaQueueLength",
    accepts: (n) => n > 0 && n <= maxKedaQueueLength,
    expected: `messages per replica > 0 and at most ${maxKedaQueueLength}`,
  },
];

/** Checks and converts the raw option strings; every problem is reported, not just the first. */
export function parseOptions(raw: RawOptions): { options: SimulateOptions } | { problems: string[] } {
  const problems: string[] = [];
  const options: SimulateOptions = {};
  parseSource(raw, options, problems);
  parseNumbers(raw, options, problems);
  if (raw.protection) options.taskProtection = true;
  parseModel(raw, options, problems);
  parsePolicies(raw, options, problems);
  problems.push(...outputProblems(raw));
  return problems.length > 0 ? { problems } : { options };
}

/** What to replay: a scenario or a trace (not both), and which part of it. */
function parseSource(raw: RawOptions, options: SimulateOptions, problems: string[]): void {
  if (raw.scenario !== undefined && raw.trace !== undefined)
    problems.push("--scenario and --trace: choose one");
  if (raw.scenario !== undefined) {
    if (!allScenarios.some((s) => s.name === raw.scenario)) {
      problems.push(
        `--scenario: unknown scenario "${raw.scenario}"; choose one of: ${allScenarios.map((s) => s.name).join(", ")}`,
      );
    }
    options.scenario = raw.scenario;
  }
  if (raw.trace !== undefined) {
    if (raw.trace.trim() === "") problems.push('--trace: expected a file path, got ""');
    else options.trace = raw.trace;
  }
  if (raw.traceTrigger !== undefined) options.traceTrigger = raw.traceTrigger;
  if (raw.start !== undefined) options.start = raw.start;
  if (raw.duration !== undefined) {
    const problem = durationProblem(raw.duration);
    if (problem) problems.push(problem);
    else options.duration = raw.duration;
  }
}

function parseNumbers(raw: RawOptions, options: SimulateOptions, problems: string[]): void {
  for (const option of numberOptions) {
    const value = raw[option.raw];
    if (typeof value !== "string") continue;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || !option.accepts(n)) {
      problems.push(`${option.flag}: expected ${option.expected}, got "${value}"`);
    } else {
      (options as Record<string, unknown>)[option.key] = n;
    }
  }
}

/** The simulated service's model: how long messages take and tasks start. */
function parseModel(raw: RawOptions, options: SimulateOptions, problems: string[]): void {
  if (raw.serviceDistribution !== undefined) {
    if ((serviceDistributions as readonly string[]).includes(raw.serviceDistribution)) {
      options.serviceDistribution = raw.serviceDistribution as ServiceDistribution;
    } else {
      problems.push(
        `--service-distribution: expected one of ${serviceDistributions.join(", ")}, got "${raw.serviceDistribution}"`,
      );
    }
  }
  if (raw.startup !== undefined) {
    const startup = parseStartup(raw.startup);
    if (startup && startup.maxSeconds <= maxStartupSeconds) options.startup = startup;
    else
      problems.push(
        `--startup: expected seconds (45) or a range (30-90), at most ${maxStartupSeconds}, got "${raw.startup}"`,
      );
  }
}

function parsePolicies(raw: RawOptions, options: SimulateOptions, problems: string[]): void {
  if (raw.policies === undefined) return;
  const names = raw.policies
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const unknown = names.filter((n) => !(policyNames as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    problems.push(
      `--policies: unknown ${unknown.map((u) => `"${u}"`).join(", ") || "(empty list)"}; choose from ${policyNames.join(", ")}`,
    );
  } else {
    options.policies = [...new Set(names)] as PolicyName[];
  }
}

function durationProblem(text: string): string | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds <= 0)
    return `--duration: expected a duration such as 6h, 90m, 1h30m or 3600, got "${text}"`;
  if (seconds > maxDurationSeconds)
    return `--duration ${text}: longer than the ${formatDuration(maxDurationSeconds)} one run may simulate`;
  return undefined;
}

/** `--json` and `--report` must be writable files, and not the same one, before the run starts. */
function outputProblems(raw: RawOptions): string[] {
  const problems: string[] = [];
  for (const [flag, path] of [
    ["--json", raw.json],
    ["--report", raw.report],
  ] as const) {
    const problem = path === undefined ? undefined : outputPathProblem(flag, path);
    if (problem) problems.push(problem);
  }
  if (raw.json !== undefined && raw.report !== undefined && resolve(raw.json) === resolve(raw.report))
    problems.push(`--json and --report: both name ${raw.json}; give two files`);
  for (const [flag, path] of [
    ["--json", raw.json],
    ["--report", raw.report],
  ] as const) {
    if (path !== undefined && raw.trace !== undefined && resolve(path) === resolve(raw.trace))
      problems.push(`${flag} ${path}: is the --trace file; writing it would overwrite the trace`);
  }
  return problems;
}

/**
 * Progress on stderr once a run has taken more than a second: a bar redrawn in place on a terminal, a line
 * per policy otherwise (CI logs).
 */
function progressReporter(): { update: (policy: PolicyName, fraction: number) => void; done: () => void } {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let lastPolicy: PolicyName | undefined;
  let lastDraw = 0;
  return {
    update(policy, fraction) {
      const now = Date.now();
      if (now - started < 1000) {
        lastPolicy = policy;
        return;
      }
      if (tty) {
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(
          `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${policy.padEnd(16)}`,
        );
        shown = true;
      } else if (policy !== lastPolicy) {
        process.stderr.write(`simulating ${policy}… (${Math.floor(fraction * 100)}% done)\n`);
      }
      lastPolicy = policy;
    },
    done() {
      if (tty && shown) process.stderr.write("\r\x1b[K");
    },
  };
}
