/** The AWS example events (test/fixtures/events), each read fresh so a test may change its copy. */
import { readFileSync } from "node:fs";

export type EventName =
  | "ecs-task-state-change-running"
  | "ecs-task-state-change-spot-termination-notice"
  | "ecs-task-state-change-stopped-scale-in"
  | "ecs-service-action-placement-failure-fargate-spot"
  | "ecs-deployment-state-change-in-progress"
  | "cloudwatch-alarm-state-change";

// biome-ignore lint/suspicious/noExplicitAny: events are free-form JSON that tests reshape.
export type RawEvent = Record<string, any>;

/** A fresh copy of one example event. */
export function exampleEvent(name: EventName): RawEvent {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), "utf8"));
}
