/**
 * `simulate --config FILE` with several services and no `--service`: every service's own policy, each
 * against its own traffic (`--service-trace NAME=FILE`, or the run's scenario or trace), each in its
 * own simulated world with the run's other options. ECS's account-wide UpdateService budget is not a
 * constraint inside the worlds: every service's calls are played through ECS's bucket afterwards
 * (shared/sim/update-budget.ts) and the run says how many would have been throttled.
 */
import type { SimulationOutput } from "../../sim/result.ts";
import { type SimulateOptions, simulate } from "../../sim/simulate.ts";
import { formatTable } from "../../sim/table.ts";
import { checkUpdateBudget, type UpdateBudgetCheck } from "../../sim/update-budget.ts";
import type { UserPolicy } from "../../sim/user-config.ts";
import { writeOutputsOrSay } from "../write-output.ts";

/** One simulated service of the config: its name, where its traffic came from, and the simulator's output. */
export interface ServiceRun {
  service: string;
  traffic: string;
  output: SimulationOutput;
}

/** What a multi-service run writes as JSON. */
export interface ServicesOutput {
  configFile: string;
  services: ServiceRun[];
  /** ecs-autoscaler's UpdateService calls of every service, through ECS's account bucket. */
  updateServiceBudget: UpdateBudgetCheck;
}

export interface ServicesRunInput {
  configFile: string;
  policies: readonly UserPolicy[];
  /** `cluster/service` → trace file, from `--service-trace`. */
  traces: ReadonlyMap<string, string>;
  /** The run's options (source, world, policies), shared by every service. */
  options: SimulateOptions;
  /** Whether `--interval` was given (else each service runs at its config's interval). */
  intervalGiven: boolean;
  onService?: (service: string, index: number) => void;
}

/** Runs every service in turn; a trace or slice problem throws, naming the service. */
export async function simulateServices(input: ServicesRunInput): Promise<ServicesOutput> {
  const times: number[] = [];
  const services: ServiceRun[] = [];
  for (const [index, policy] of input.policies.entries()) {
    input.onService?.(policy.service, index);
    const trace = input.traces.get(policy.service) ?? input.options.trace;
    const options: SimulateOptions = {
      ...input.options,
      ...(trace !== undefined ? { trace } : {}),
      ecsAutoscalerPolicy: policy.policy,
      ecsAutoscalerPolicySource: `${input.configFile}: ${policy.service}`,
      ...(input.intervalGiven ? {} : { intervalSeconds: policy.intervalSeconds }),
      onUpdateService: (name, seconds) => {
        if (name === "ecs-autoscaler") times.push(seconds);
      },
    };
    try {
      const output = await simulate(options);
      services.push({ service: policy.service, traffic: trafficOf(options), output });
    } catch (error) {
      if (error instanceof Error) error.message = `${policy.service}: ${error.message}`;
      throw error;
    }
  }
  return { configFile: input.configFile, services, updateServiceBudget: checkUpdateBudget(times) };
}

function trafficOf(options: SimulateOptions): string {
  return options.trace !== undefined ? `trace ${options.trace}` : `scenario ${options.scenario ?? "default"}`;
}

/** The per-service report file: `report.html` → `report-<cluster>-<service>.html`. */
export function serviceReportPath(report: string, service: string): string {
  const suffix = `-${service.replace("/", "-")}`;
  const dot = report.lastIndexOf(".");
  const slash = Math.max(report.lastIndexOf("/"), report.lastIndexOf("\\"));
  return dot > slash ? `${report.slice(0, dot)}${suffix}${report.slice(dot)}` : `${report}${suffix}`;
}

/** The run's files: one JSON for every service, one report per service. */
export function servicesFiles(
  result: ServicesOutput,
  json: string | undefined,
  report: string | undefined,
  render: (output: SimulationOutput) => string,
): { path: string; text: string }[] {
  return [
    ...(json ? [{ path: json, text: `${JSON.stringify(result, null, 2)}\n` }] : []),
    ...(report
      ? result.services.map((s) => ({ path: serviceReportPath(report, s.service), text: render(s.output) }))
      : []),
  ];
}

/** The tables of every service, then the account budget line. */
export function formatServices(result: ServicesOutput): string {
  const parts = result.services.map((s) => `== ${s.service} (${s.traffic})\n${formatTable(s.output)}`);
  const b = result.updateServiceBudget;
  const budget =
    `UpdateService, ecs-autoscaler over the ${result.services.length} services: ${b.calls} calls, ` +
    `at most ${b.peakPerSecond} in one second (at ${Math.round(b.peakAtSeconds)} s); ` +
    `${b.throttled} would be throttled by ECS's account bucket (burst ${b.bucket.burst}, ${b.bucket.perSecond} per second). ` +
    "Each service ran in its own world: the budget was checked after the run, not applied in it.\n";
  return `${parts.join("\n")}\n${budget}`;
}

/** Writes the files and prints the tables; returns the exit code (2 when a file cannot be written). */
export function reportServices(
  result: ServicesOutput,
  json: string | undefined,
  report: string | undefined,
  render: (output: SimulationOutput) => string,
): number {
  const files = servicesFiles(result, json, report, render);
  if (!writeOutputsOrSay("simulate", files)) return 2;
  process.stdout.write(formatServices(result));
  for (const s of result.services) {
    for (const warning of s.output.warnings ?? [])
      process.stderr.write(`simulate: warning: ${s.service}: ${warning}\n`);
  }
  if (json) process.stdout.write(`JSON written to ${json}\n`);
  for (const f of files.slice(json ? 1 : 0))
    process.stdout.write(`Report written to ${f.path} (open it in a browser)\n`);
  return 0;
}

/** `--service-trace NAME=FILE` entries as `cluster/service` → file; NAME is a service or cluster/service. */
export function serviceTraces(
  entries: readonly string[],
  policies: readonly UserPolicy[],
): { traces: Map<string, string> } | { problems: string[] } {
  const labels = policies.map((p) => p.service);
  const traces = new Map<string, string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const name = at > 0 ? entry.slice(0, at) : "";
    const file = at > 0 ? entry.slice(at + 1) : "";
    if (name === "" || file === "") {
      problems.push(`--service-trace: "${entry}" is not NAME=FILE`);
      continue;
    }
    const matches = labels.filter((l) => l === name || l.split("/")[1] === name);
    if (matches.length !== 1) {
      const why =
        matches.length === 0 ? `no service "${name}"` : `"${name}" names ${matches.length} services`;
      problems.push(`--service-trace: ${why} in the config; one of: ${labels.join(", ")}`);
    } else if (traces.has(matches[0]!)) {
      problems.push(`--service-trace: ${matches[0]} is given twice`);
    } else traces.set(matches[0]!, file);
  }
  return problems.length > 0 ? { problems } : { traces };
}
