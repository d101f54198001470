/**
 * The `ECS Task State Change` event the simulated service emits when a task reaches RUNNING, shaped like
 * the real one (test/fixtures/events/ecs-task-state-change-running.json, AWS's example event): group `service:<name>`,
 * clusterArn, createdAt/startedAt, a per-task version.
 */
import type { Config } from "../../config/index.ts";
import type { EvaluationDeps } from "../../runtime/evaluation-pass.ts";
import { type EventOutcome, handleEcsEvent } from "../../runtime/task-events.ts";
import { simTarget } from "../ports.ts";
import type { TaskRunning, World } from "../world.ts";

const account = "123456789012";
const region = "us-east-1";

/** The raw EventBridge event for a task that reached RUNNING. */
export function taskRunningEvent(world: World, task: TaskRunning): Record<string, unknown> {
  const taskArn = `arn:aws:ecs:${region}:${account}:task/${simTarget.cluster}/${task.taskId}`;
  const started = world.date(task.startedAt).toISOString();
  return {
    version: "0",
    id: `sim-${task.taskId}-running`,
    "detail-type": "ECS Task State Change",
    source: "aws.ecs",
    account,
    time: started,
    region,
    resources: [taskArn],
    detail: {
      clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${simTarget.cluster}`,
      createdAt: world.date(task.createdAt).toISOString(),
      startedAt: started,
      updatedAt: started,
      desiredStatus: "RUNNING",
      lastStatus: "RUNNING",
      group: `service:${simTarget.service}`,
      launchType: "FARGATE",
      startedBy: "ecs-svc/1234567890123456789",
      taskArn,
      taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/${simTarget.service}:1`,
      version: 4,
      containers: [],
    },
  };
}

/**
 * Hands a RUNNING task to the runtime's event handler, as EventBridge would the task-events function.
 * A malformed or ignored outcome means the simulated event drifted from the real shape: fail loudly.
 */
export async function deliverTaskRunning(
  deps: EvaluationDeps,
  config: Config,
  world: World,
  task: TaskRunning,
): Promise<EventOutcome> {
  const outcome = await handleEcsEvent(deps, config, taskRunningEvent(world, task), world.date());
  if (outcome.status === "malformed" || outcome.status === "ignored") {
    throw new Error(`the runtime did not take the simulated task event: ${JSON.stringify(outcome)}`);
  }
  return outcome;
}
