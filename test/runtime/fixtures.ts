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

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * One example event moved in time, every timestamp by the same amount, so that its `time` is `at`
 * (default: the in-memory world's start): the examples date from 2019–2023, far older than the
 * runtime acts on.
 */
export function recentEvent(name: EventName, at = new Date("2026-03-02T12:00:00Z")): RawEvent {
  const event = exampleEvent(name);
  const times: number[] = [];
  walk(event, (s) => {
    times.push(Date.parse(s));
    return s;
  });
  const anchor = event.time !== undefined ? Date.parse(event.time) : Math.max(...times);
  const delta = at.getTime() - anchor;
  walk(event, (s) => new Date(Date.parse(s) + delta).toISOString());
  return event;
}

function walk(value: RawEvent, edit: (iso: string) => string): void {
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" && ISO.test(v) && !Number.isNaN(Date.parse(v))) value[k] = edit(v);
    else if (typeof v === "object" && v !== null) walk(v, edit);
  }
}
