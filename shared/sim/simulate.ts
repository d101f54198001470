/**
 * One simulation: build the arrivals once (scenario or trace), then run every policy on its own world
 * with those arrivals and the same seed, and score each. Returns the simulator output (the JSON contract
 * documented in docs/simulator.md).
 */

import type { PolicyInput } from "../config/index.ts";
import type { OwnCost } from "../cost/own-cost.ts";
import {
  type ArrivalPlan,
  arrivalsPerMinute,
  generateWorkload,
  sliceTrace,
  type Workload,
} from "./arrivals.ts";
import { defaultStartup, type ServiceDistribution, type StartupModel } from "./distributions.ts";
import { formatCount, formatNumber, LimitError, maxTasksLimit } from "./limits.ts";
import { runOracle } from "./oracle/record.ts";
import { awsPredictivePolicy, firstForecastAt, predictiveDefaults } from "./policies/aws-predictive.ts";
import { type EcsAutoscalerPolicy, ecsAutoscalerPolicy } from "./policies/ecs-autoscaler.ts";
import { kedaDefaultQueueLength, kedaPolicy } from "./policies/keda.ts";
import { staticPolicy } from "./policies/static.ts";
import { stepScalingPolicy } from "./policies/step-scaling.ts";
import { targetTrackingPolicy } from "./policies/target-tracking.ts";
import type { PolicySetting, SimPolicy } from "./policies/types.ts";
import { type PolicyName, type PolicySeries, policyNames, type SimulationOutput } from "./result.ts";
import { allScenarios, commonDefaults, detectBurst, findScenario, type Scenario } from "./scenarios.ts";
import { scoreRun, waitDistribution } from "./score.ts";
import type { Trace } from "./trace/formats.ts";
import { readTrace } from "./trace/read.ts";
import { World, type WorldOptions } from "./world.ts";

export interface SimulateOptions {
  /** A built-in scenario (see scenarios.ts); ignored when `trace` is set. */
  scenario?: string;
  /** A trace file (any format in trace/formats.ts). */
  trace?: string;
  /** function-matrix traces: keep only this trigger type. */
  traceTrigger?: string;
  start?: string;
  duration?: string;
  scale?: number;
  seed?: number;
  targetWaitSeconds?: number;
  secondsPerMessage?: number;
  serviceDistribution?: ServiceDistribution;
  startup?: StartupModel;
  concurrency?: number;
  maxTasks?: number;
  intervalSeconds?: number;
  policies?: readonly PolicyName[];
  /** KEDA's `queueLength` (messages per replica); default KEDA's own, 5. */
  kedaQueueLength?: number;
  /** ECS task scale-in protection on the workers (see {@link WorldOptions.taskProtection}); default off. */
  taskProtection?: boolean;
  /** ecs-autoscaler runs this policy (a user's, from `--config`) instead of the default queue-worker one. */
  ecsAutoscalerPolicy?: PolicyInput;
  /** Where that policy comes from (`FILE: cluster/service`), recorded in the output's settings. */
  ecsAutoscalerPolicySource?: string;
  /** World knobs (defaults in {@link worldDefaults}). */
  world?: Partial<
    Pick<
      WorldOptions,
      "visibilityTimeoutSeconds" | "attributeStalenessSeconds" | "attributeError" | "metricDelaySeconds"
    >
  >;
  /** Called at every UpdateService a policy makes: the policy and the virtual seconds from the start. */
  onUpdateService?: (policy: PolicyName, seconds: number) => void;
  /** Called as the run advances: the policy being simulated and the fraction of all work done. */
  onProgress?: (policy: PolicyName, fraction: number) => void;
}

/**
 * World defaults: SQS's default visibility timeout (30 s); GetQueueAttributes up to 5 s stale and ±2%
 * ("approximate", SQS DG), the AWS/SQS CloudWatch minutes ±2% too; CloudWatch datapoints visible 60 s after their minute closes — kinder to the
 * alarm-based baselines than AWS's own measurement (363 s from load to a target-tracking scale-out,
 * reported on the AWS containers roadmap, which this model gives as about 240 s).
 */
export const worldDefaults = {
  visibilityTimeoutSeconds: 30,
  attributeStalenessSeconds: 5,
  attributeError: 0.02,
  metricDelaySeconds: 60,
  minimumBilledSeconds: 60,
} as const;

export interface PreparedRun {
  scenario: Scenario | undefined;
  name: string;
  workload: Workload;
  setting: PolicySetting;
  burstAt: number | null;
  startup: StartupModel;
  concurrency: number;
  /** Warnings about the input (the trace parser's), copied to the output's `warnings`. */
  warnings: string[];
}

/** Resolves the options into the run's arrivals and policy setting (throws on bad input). */
export function prepare(options: SimulateOptions): PreparedRun {
  const seed = options.seed ?? 1;
  const { scenario, plan, warnings } = arrivalPlan(options);
  const defaults = scenario?.defaults ?? commonDefaults;
  const concurrency = options.concurrency ?? 1;
  const secondsPerMessage = options.secondsPerMessage ?? defaults.secondsPerMessage;
  const workload = generateWorkload(plan, {
    seed,
    service: {
      distribution: options.serviceDistribution ?? defaults.serviceDistribution,
      meanSeconds: secondsPerMessage,
    },
    serviceFromWork: defaults.serviceFromWork ?? false,
  });
  const perMinute = arrivalsPerMinute(workload);
  const name = scenario?.name ?? options.trace ?? "trace";
  const setting = policySetting(options, {
    workload,
    perMinute,
    name,
    seed,
    secondsPerMessage,
    concurrency,
    targetWaitSeconds: options.targetWaitSeconds ?? defaults.targetWaitSeconds,
  });
  return {
    scenario,
    name,
    workload,
    setting,
    burstAt:
      scenario === undefined || scenario.burstAt === "detect" ? detectBurst(perMinute) : scenario.burstAt,
    startup: options.startup ?? defaultStartup,
    concurrency,
    warnings: [...warnings, ...(plan.warnings ?? [])],
  };
}

/** The run's arrival plan: the trace's slice, or the named scenario's; with the warnings about the input. */
function arrivalPlan(options: SimulateOptions): {
  scenario: Scenario | undefined;
  plan: ArrivalPlan;
  warnings: string[];
} {
  const slice = {
    ...(options.start !== undefined ? { start: options.start } : {}),
    ...(options.duration !== undefined ? { duration: options.duration } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
  };
  if (options.trace !== undefined) {
    const trace = readTrace(options.trace, options.traceTrigger ? { trigger: options.traceTrigger } : {});
    const warnings = triggerWarning(options.traceTrigger, trace);
    return { scenario: undefined, plan: sliceTrace(trace, options.trace, slice), warnings };
  }
  const name = options.scenario ?? "step-burst";
  const scenario = findScenario(name);
  if (!scenario) throw new UnknownScenarioError(name);
  const warnings =
    options.traceTrigger === undefined
      ? []
      : [
          `--trace-trigger ${options.traceTrigger}: ignored with --scenario ${name}; it selects the rows of a per-function --trace file`,
        ];
  return { scenario, plan: scenario.plan(slice), warnings };
}

/**
 * The policies' common setting: the task ceiling (twice the peak's need plus 10, unless given; refused
 * above the simulator's limit), the opening count (sized for the first five minutes at 80%), the
 * metric delay and the seed.
 */
function policySetting(
  options: SimulateOptions,
  run: {
    workload: Workload;
    perMinute: Iterable<number>;
    name: string;
    seed: number;
    secondsPerMessage: number;
    concurrency: number;
    targetWaitSeconds: number;
  },
): PolicySetting {
  const { secondsPerMessage, concurrency } = run;
  let peakPerMinute = 0;
  for (const c of run.perMinute) peakPerMinute = Math.max(peakPerMinute, c);
  const peakRatePerSecond = peakPerMinute / 60;
  const maxTasks =
    options.maxTasks ??
    Math.max(10, Math.ceil((2 * peakRatePerSecond * secondsPerMessage) / concurrency) + 10);
  if (options.maxTasks === undefined && maxTasks > maxTasksLimit)
    throw tooManyTasks(options, run.name, peakRatePerSecond, secondsPerMessage, maxTasks);
  const opening = openingRate(run.workload);
  return {
    targetWaitSeconds: run.targetWaitSeconds,
    secondsPerMessage,
    concurrency,
    maxTasks,
    initialTasks: Math.min(maxTasks, Math.ceil((opening * secondsPerMessage) / concurrency / 0.8)),
    peakRatePerSecond,
    metricDelaySeconds: options.world?.metricDelaySeconds ?? worldDefaults.metricDelaySeconds,
    seed: run.seed,
  };
}

/** `--trace-trigger` only selects rows of a per-function trace: say so when the trace is another kind. */
function triggerWarning(trigger: string | undefined, trace: Trace): string[] {
  if (trigger === undefined || trace.format === "function-matrix-csv") return [];
  return [
    `--trace-trigger ${trigger}: ignored, ${trace.source} is a ${trace.format} trace, not a per-function one (HashFunction,Trigger,1,…); every message in it is simulated`,
  ];
}

function tooManyTasks(
  options: SimulateOptions,
  name: string,
  peak: number,
  secondsPerMessage: number,
  maxTasks: number,
): LimitError {
  const cause =
    options.secondsPerMessage !== undefined
      ? `--service-time ${formatNumber(options.secondsPerMessage)}`
      : options.scale !== undefined
        ? `--scale ${formatNumber(options.scale)}`
        : name;
  return new LimitError(
    `${cause}: a peak of ${formatCount(peak)} messages/s × ${secondsPerMessage} s each would need up to ${formatCount(maxTasks)} tasks; the limit is ${formatCount(maxTasksLimit)}: lower --service-time or --scale, raise --concurrency, or set --max-tasks`,
  );
}

/** Mean arrival rate of the first five minutes (what the service was sized for when the run starts). */
function openingRate(workload: Workload): number {
  const window = Math.min(300, workload.durationSeconds);
  let n = 0;
  for (const t of workload.arrivalTimes) {
    if (t >= window) break;
    n++;
  }
  return window > 0 ? n / window : 0;
}

/** The policies that run inside the event-driven world (every one but the clairvoyant oracle). */
export type WorldPolicyName = Exclude<PolicyName, "oracle">;

/** Builds the named policy for a setting (`kedaQueueLength`: KEDA's queueLength when the user set one). */
export function buildPolicy(
  name: WorldPolicyName,
  setting: PolicySetting,
  intervalSeconds: number,
  kedaQueueLength?: number,
  ecsAutoscaler?: PolicyInput,
): SimPolicy {
  switch (name) {
    case "ecs-autoscaler":
      return ecsAutoscalerPolicy(setting, {
        intervalSeconds,
        ...(ecsAutoscaler ? { policy: ecsAutoscaler } : {}),
      });
    case "target-tracking":
      return targetTrackingPolicy(setting);
    case "step-scaling":
      return stepScalingPolicy(setting);
    case "keda":
      return kedaPolicy(setting, kedaQueueLength === undefined ? {} : { queueLength: kedaQueueLength });
    case "static":
      return staticPolicy(setting);
    case "aws-predictive":
      return awsPredictivePolicy(setting);
  }
}

/** Runs every requested policy on the same arrivals and returns the simulator output. */
export async function simulate(options: SimulateOptions = {}): Promise<SimulationOutput> {
  return simulatePrepared(prepare(options), options);
}

/**
 * {@link simulate} on arrivals already prepared by `prepare(options)` (with the same arrival options):
 * for callers that run the same arrivals several times. No policy's run changes them.
 */
export async function simulatePrepared(
  run: PreparedRun,
  options: SimulateOptions,
): Promise<SimulationOutput> {
  const names = options.policies ?? policyNames;
  const sampleStepSeconds = sampleStep(run.workload.durationSeconds);
  const results: SimulationOutput["results"] = [];
  const series: PolicySeries[] = [];
  const warnings: string[] = [...run.warnings];
  let tracking: PolicyRun | undefined;
  for (const [index, name] of names.entries()) {
    const reused =
      name === "aws-predictive" &&
      tracking !== undefined &&
      run.workload.durationSeconds <= firstForecastAt(run.setting);
    const done =
      name === "oracle"
        ? oracleRun(run, sampleStepSeconds)
        : reused
          ? renamed(tracking!, name)
          : await worldRun(name, run, options, sampleStepSeconds, (fraction) =>
              options.onProgress?.(name, (index + fraction) / names.length),
            );
    if (name === "target-tracking") tracking = done;
    results.push(done.result);
    series.push(done.series);
    warnings.push(...done.warnings);
    if (name === "oracle" || reused) options.onProgress?.(name, (index + 1) / names.length);
  }
  options.onProgress?.(names[names.length - 1] ?? "static", 1);
  warnings.push(...predictiveWarning(names, run.workload));
  return {
    scenario: run.name,
    seed: run.setting.seed,
    targetWaitSeconds: run.setting.targetWaitSeconds,
    durationSeconds: run.workload.durationSeconds,
    results,
    lowerBound: {
      taskSeconds: Math.round((run.workload.totalServiceSeconds / run.concurrency) * 100) / 100,
    },
    series: {
      startIso: new Date(run.workload.startMs).toISOString(),
      stepSeconds: sampleStepSeconds,
      arrivals: arrivalsPerStep(run.workload, sampleStepSeconds),
      policies: series,
    },
    settings: outputSettings(run, options),
    warnings,
  };
}

/** One policy's scored result, its series and the warnings its run left. */
interface PolicyRun {
  result: SimulationOutput["results"][number];
  series: PolicySeries;
  warnings: string[];
}

/**
 * Another policy's run under `name`: for aws-predictive on a run that ends before its first forecast,
 * whose decisions (and so world) are then target tracking's, run for run.
 */
function renamed(done: PolicyRun, name: PolicyName): PolicyRun {
  return { result: { ...done.result, policy: name }, series: { ...done.series, policy: name }, warnings: [] };
}

/** The oracle's inputs for the run: the same arrivals, seed, startup model and bounds as the others'. */
export function oracleOptionsFor(
  run: PreparedRun,
  sampleStepSeconds: number,
): Parameters<typeof runOracle>[0] {
  const { workload, setting } = run;
  return {
    workload,
    seed: setting.seed,
    startup: run.startup,
    targetWaitSeconds: setting.targetWaitSeconds,
    concurrency: run.concurrency,
    maxTasks: setting.maxTasks,
    initialTasks: setting.initialTasks,
    minimumBilledSeconds: worldDefaults.minimumBilledSeconds,
    sampleStepSeconds,
  };
}

/** The clairvoyant oracle's schedule for the run, scored like the others. */
function oracleRun(run: PreparedRun, sampleStepSeconds: number): PolicyRun {
  const { setting } = run;
  const record = runOracle(oracleOptionsFor(run, sampleStepSeconds));
  return {
    result: {
      ...scoreRun("oracle", record, setting.targetWaitSeconds, run.concurrency),
      unavoidableLate: record.unavoidable,
    },
    series: {
      policy: "oracle",
      ...record.series,
      waitDistribution: waitDistribution(record, setting.targetWaitSeconds),
    },
    warnings: [],
  };
}

/** The world of one policy's run: the run's arrivals, seed and startup model, the world defaults or `options`' knobs. */
export function worldOptionsFor(
  run: PreparedRun,
  initialTasks: number,
  sampleStepSeconds: number,
  options: Pick<SimulateOptions, "world" | "taskProtection"> = {},
): WorldOptions {
  return {
    workload: run.workload,
    seed: run.setting.seed,
    startup: run.startup,
    concurrency: run.concurrency,
    visibilityTimeoutSeconds:
      options.world?.visibilityTimeoutSeconds ?? worldDefaults.visibilityTimeoutSeconds,
    attributeStalenessSeconds:
      options.world?.attributeStalenessSeconds ?? worldDefaults.attributeStalenessSeconds,
    attributeError: options.world?.attributeError ?? worldDefaults.attributeError,
    metricDelaySeconds: run.setting.metricDelaySeconds,
    initialTasks,
    minimumBilledSeconds: worldDefaults.minimumBilledSeconds,
    sampleStepSeconds,
    burstAt: run.burstAt,
    taskProtection: options.taskProtection ?? false,
  };
}

/** One policy on its own world with the run's arrivals and seed. */
async function worldRun(
  name: WorldPolicyName,
  run: PreparedRun,
  options: SimulateOptions,
  sampleStepSeconds: number,
  onProgress: (fraction: number) => void,
): Promise<PolicyRun> {
  const { workload, setting } = run;
  const policy = buildPolicy(
    name,
    setting,
    options.intervalSeconds ?? 10,
    options.kedaQueueLength,
    options.ecsAutoscalerPolicy,
  );
  const world = new World(worldOptionsFor(run, policy.initialTasks, sampleStepSeconds, options));
  if (options.onProgress) world.onProgress = onProgress;
  if (options.onUpdateService) world.onUpdateService = (seconds) => options.onUpdateService?.(name, seconds);
  policy.attach(world);
  const record = await world.run();
  const scored = scoreRun(name, record, setting.targetWaitSeconds, run.concurrency);
  return {
    result: "ownCost" in policy ? { ...scored, ownCost: ownCostOfRun(policy, workload) } : scored,
    series: {
      policy: name,
      ...record.series,
      waitDistribution: waitDistribution(record, setting.targetWaitSeconds),
    },
    warnings: runtimeFailureWarning(name, policy),
  };
}

/** The runtime's failures in an ecs-autoscaler run, summed up in one warning (none for the baselines). */
function runtimeFailureWarning(name: PolicyName, policy: SimPolicy): string[] {
  if (!("sink" in policy)) return [];
  const failures = (policy as { sink: { failures: { stage: string; failure: { message: string } }[] } }).sink
    .failures;
  if (failures.length === 0) return [];
  return [
    `${name}: ${failures.length} runtime failure(s), first: ${failures[0]!.stage}: ${failures[0]!.failure.message}`,
  ];
}

/** aws-predictive needs a day of history before it forecasts: on a shorter run it is target tracking. */
function predictiveWarning(names: readonly PolicyName[], workload: Workload): string[] {
  if (
    !names.includes("aws-predictive") ||
    workload.durationSeconds >= predictiveDefaults.minHistoryHours * 3600
  )
    return [];
  return [
    `aws-predictive: the run is shorter than the ${predictiveDefaults.minHistoryHours} h of history AWS predictive scaling needs before it forecasts, so here it is target tracking alone (the same results)`,
  ];
}

/** The settings the output records: the run's, the world's defaults and the user's overrides. */
function outputSettings(run: PreparedRun, options: SimulateOptions): SimulationOutput["settings"] {
  return {
    secondsPerMessage: run.setting.secondsPerMessage,
    serviceDistribution:
      options.serviceDistribution ?? run.scenario?.defaults.serviceDistribution ?? "exponential",
    startupSeconds: [run.startup.minSeconds, run.startup.maxSeconds],
    concurrency: run.concurrency,
    maxTasks: run.setting.maxTasks,
    intervalSeconds: options.intervalSeconds ?? 10,
    burstAtSeconds: run.burstAt,
    kedaQueueLength: options.kedaQueueLength ?? kedaDefaultQueueLength,
    ...(options.ecsAutoscalerPolicySource !== undefined
      ? { ecsAutoscalerPolicy: options.ecsAutoscalerPolicySource }
      : {}),
    ...worldDefaults,
    ...options.world,
    taskProtection: options.taskProtection ?? false,
  };
}

/** The own bill of an ecs-autoscaler run, over the workload's span. */
function ownCostOfRun(policy: SimPolicy, workload: Workload): OwnCost {
  return (policy as EcsAutoscalerPolicy).ownCost(workload.durationSeconds);
}

/** Report resolution: 10 s steps, coarser for long runs (at most about 2000 samples per series). */
export function sampleStep(durationSeconds: number): number {
  return Math.max(10, Math.ceil(durationSeconds / 2000 / 10) * 10);
}

function arrivalsPerStep(workload: Workload, step: number): number[] {
  const out = new Array<number>(Math.ceil(workload.durationSeconds / step)).fill(0);
  for (const t of workload.arrivalTimes) out[Math.min(out.length - 1, Math.floor(t / step))]!++;
  return out;
}

export class UnknownScenarioError extends Error {
  constructor(readonly scenario: string) {
    super(`unknown scenario "${scenario}"; choose one of: ${allScenarios.map((s) => s.name).join(", ")}`);
    this.name = "UnknownScenarioError";
  }
}
