/** At-least-once, unordered delivery: duplicates and stale task versions are recognised; the list stays bounded. */
import { describe, expect, it } from "vitest";
import { dedupeKeyOf, freshness, hasMarker, remember, SEEN_MAX_ENTRIES, SEEN_RETENTION_SECONDS } from "../../shared/runtime/dedupe.ts";
import { type ParsedEvent, parseEvent } from "../../shared/runtime/parse-event.ts";
import { exampleEvent } from "./fixtures.ts";

const now = new Date("2026-03-02T12:00:00Z");
const arn = "arn:aws:ecs:us-west-2:1:task/c/abc";

function parsedOf(raw: unknown): ParsedEvent {
  const result = parseEvent(raw);
  if (!result.ok) throw result.error;
  return result.value;
}

describe("dedupe keys", () => {
  it("keys a task event on task ARN and detail.version", () => {
    expect(dedupeKeyOf(parsedOf(exampleEvent("ecs-task-state-change-running")))).toEqual({
      kind: "task",
      taskArn: "arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad",
      version: 4,
    });
  });

  it("keys a service action (which has no detail.version) on the event id", () => {
    expect(dedupeKeyOf(parsedOf(exampleEvent("ecs-service-action-placement-failure-fargate-spot")))).toEqual({
      kind: "id",
      id: "ddca6449-b258-46c0-8653-e0e3a6d0468b",
    });
  });

  it("has no key for the trimmed real event without id or taskArn", () => {
    expect(dedupeKeyOf(parsedOf(exampleEvent("ecs-task-state-change-stopped-scale-in")))).toBeUndefined();
  });
});

describe("freshness", () => {
  const seen = remember(undefined, now, { kind: "task", taskArn: arn, version: 5 });

  it.each([
    ["the same version again", 5, "duplicate"],
    ["an older version arriving late", 4, "stale"],
    ["a newer version", 6, "new"],
  ] as const)("%s is %s", (_name, version, expected) => {
    expect(freshness(seen, { kind: "task", taskArn: arn, version })).toBe(expected);
  });

  it("treats another task's versions as unrelated", () => {
    expect(freshness(seen, { kind: "task", taskArn: `${arn}x`, version: 1 })).toBe("new");
  });

  it("recognises a repeated event id", () => {
    const byId = remember(undefined, now, { kind: "id", id: "e-1" });
    expect(freshness(byId, { kind: "id", id: "e-1" })).toBe("duplicate");
    expect(freshness(byId, { kind: "id", id: "e-2" })).toBe("new");
  });
});

describe("remember", () => {
  it("keeps only a task's highest version", () => {
    let seen = remember(undefined, now, { kind: "task", taskArn: arn, version: 3 });
    seen = remember(seen, now, { kind: "task", taskArn: arn, version: 5 });
    expect(seen.map((e) => e.id)).toEqual([`task:${arn}#5`]);
  });

  it("adds markers once", () => {
    let seen = remember(undefined, now, undefined, ["spot:t1"]);
    seen = remember(seen, now, undefined, ["spot:t1"]);
    expect(seen).toHaveLength(1);
    expect(hasMarker(seen, "spot:t1")).toBe(true);
  });

  it("drops entries older than the retention (EventBridge retries for up to 24 h)", () => {
    const old = remember(undefined, new Date(now.getTime() - (SEEN_RETENTION_SECONDS + 1) * 1000), { kind: "id", id: "old" });
    const seen = remember(old, now, { kind: "id", id: "new" });
    expect(seen.map((e) => e.id)).toEqual(["event:new"]);
  });

  it("caps the list, dropping the oldest", () => {
    let seen = remember(undefined, now, undefined);
    for (let i = 0; i < SEEN_MAX_ENTRIES + 20; i++) seen = remember(seen, now, { kind: "id", id: `e${i}` });
    expect(seen).toHaveLength(SEEN_MAX_ENTRIES);
    expect(seen[0]?.id).toBe("event:e20");
  });
});
