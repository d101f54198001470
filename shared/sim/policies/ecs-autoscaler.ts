/**
 * `ecs-autoscaler`: this project's engine and runtime, unchanged, against the simulated world through
 * its ports (ports.ts). Every `intervalSeconds` (default 10 s) the world runs `runEvaluationPass`, the
 * function the evaluator Lambda runs; each task that reaches RUNNING is delivered as an
 * `ECS Task State Change` event (see task-event.ts), so the runtime learns startup time the real way,
 * and it measures arrival and processing rates from the simulated CloudWatch AWS/SQS metrics.
 *
 * Default policy for a queue worker: latency-aware (targetWaitSeconds; secondsPerMessage and
 * messagesPerTask give the processing rate per task until one is measured), scale to zero, and every
 * other setting at the config schema's defaults — what a user who writes only this gets (the 60 s
 * scale-down window of a latency-aware policy included).
 */
import {
  type Config,
  configSchema,
  latencyAwareScaleDownWindowSeconds,
  type PolicyInput,
} from "../../config/index.ts";
import { type OwnCost, ownCostOf } from "../../cost/own-cost.ts";
import { UsageCounter } from "../../cost/usage-counter.ts";
import { runEvaluationPass } from "../../runtime/evaluation-pass.ts";
import { MemoryStateStore, RecordingSink, SimMetrics, SimQueues, SimServices, simTarget } from "../ports.ts";
import type { World } from "../world.ts";
import { deliverTaskRunning } from "./task-event.ts";
import type { PolicySetting, SimPolicy } from "./types.ts";

/**
 * Scale-down stabilization a latency-aware queue worker gets by default (the config schema's
 * `latencyAwareScaleDownWindowSeconds`): the simulator runs the shipped default, it does not set its own.
 */
export const queueWorkerScaleDownWindowSeconds = latencyAwareScaleDownWindowSeconds;

/** The policy a queue worker gets by default in the simulator (and the one `docs/simulator.md` shows). */
export function defaultQueueWorkerPolicy(setting: PolicySetting): PolicyInput {
  return {
    minTasks: 0,
    maxTasks: setting.maxTasks,
    triggers: [
      {
        type: "sqs",
        queueUrl: simTarget.queueUrl,
        targetWaitSeconds: setting.targetWaitSeconds,
        secondsPerMessage: setting.secondsPerMessage,
        ...(setting.concurrency > 1 ? { messagesPerTask: setting.concurrency } : {}),
      },
    ],
  };
}

export interface EcsAutoscalerOptions {
  intervalSeconds?: number;
  /** Replaces the default policy (validated like a config file's). */
  policy?: PolicyInput;
  /** Keep every decision record (for tests and debugging). */
  keepDecisions?: boolean;
}

/** A validated config with the one simulated service. Throws the schema's error on a bad policy. */
export function simConfig(setting: PolicySetting, options: EcsAutoscalerOptions = {}): Config {
  return configSchema.parse({
    intervalSeconds: options.intervalSeconds ?? 10,
    services: [
      {
        cluster: simTarget.cluster,
        service: simTarget.service,
        policy: options.policy ?? defaultQueueWorkerPolicy(setting),
      },
    ],
  });
}

export interface EcsAutoscalerPolicy extends SimPolicy {
  /** What the runtime reported during the run (failures mean the simulation is not trustworthy). */
  readonly sink: RecordingSink;
  readonly config: Config;
  /** The autoscaler's own AWS bill for what the run did over `seconds` (call after the run). */
  ownCost(seconds: number): OwnCost;
}

export function ecsAutoscalerPolicy(
  setting: PolicySetting,
  options: EcsAutoscalerOptions = {},
): EcsAutoscalerPolicy {
  const config = simConfig(setting, options);
  const service = new UsageCounter();
  const deployment = new UsageCounter();
  const sink = new RecordingSink(options.keepDecisions ?? false, { service, deployment });
  let passes = 0;
  let taskEvents = 0;
  return {
    name: "ecs-autoscaler",
    initialTasks: setting.initialTasks,
    sink,
    config,
    ownCost: (seconds) =>
      ownCostOf({
        seconds,
        intervalSeconds: config.intervalSeconds,
        passes,
        taskEvents,
        service,
        deployment,
      }),
    attach(world: World) {
      const state = new MemoryStateStore(service);
      // Warm start, as for every dynamic policy: the autoscaler has been running the opening count, so its
      // stabilization window remembers that count (nothing learned is seeded: rates and startup are measured).
      const start = world.date(0).toISOString();
      state.seed({
        key: `${simTarget.cluster}/${simTarget.service}`,
        history: {
          recommendations: [{ at: start, tasks: setting.initialTasks }],
          scaleEvents: [],
          failures: 0,
          ...(setting.initialTasks > 0 ? { idleSince: start } : {}),
        },
        learned: {},
      });
      const deps = {
        services: new SimServices(world, simTarget, service),
        queues: new SimQueues(world, simTarget, service),
        metrics: new SimMetrics(world, service),
        state,
        sink,
        dryRun: false,
      };
      world.every(config.intervalSeconds, 0, async () => {
        passes += 1;
        await runEvaluationPass(deps, config, world.date());
      });
      world.onTaskRunning(async (task) => {
        taskEvents += 1;
        await deliverTaskRunning(deps, config, world, task);
      });
    },
  };
}
