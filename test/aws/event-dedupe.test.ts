/**
 * Event dedupe lives in small items of their own, one per task (or per event id), on the real
 * DynamoDB adapter (dynalite), so the state item every pass loads and saves does not grow with
 * handled events.
 */
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { dedupeRecordKey } from "../../shared/ports/state-store.ts";
import { SEEN_RETENTION_SECONDS } from "../../shared/runtime/dedupe.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { handleEcsEvent } from "../../shared/runtime/task-events.ts";
import { type RawEvent, recentEvent } from "../runtime/fixtures.ts";
import { type AwsWorld, awsWorld, configOf, workerService } from "./aws-world.ts";

let world: AwsWorld | undefined;
afterEach(() => world?.close());

async function setUp(): Promise<AwsWorld> {
  world = await awsWorld();
  return world;
}

function runningTask(taskId: string): RawEvent {
  const event = recentEvent("ecs-task-state-change-running", world!.clock.now());
  event.detail.group = "service:worker";
  event.detail.taskArn = `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${taskId}`;
  event.id = `${event.id}-${taskId}`;
  return event;
}

const config = configOf({ services: [{ ...workerService("worker"), cluster: "FargateCluster" }] });
const key = "FargateCluster/worker";

async function item(w: AwsWorld, pk: string): Promise<Record<string, unknown> | undefined> {
  const out = await w.dynamodb.send(new GetItemCommand({ TableName: w.table, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}

const taskArn = (taskId: string) => `arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/${taskId}`;

describe("event dedupe in items of their own", () => {
  it("keeps handled events out of the state item and still recognises a redelivered one", async () => {
    const w = await setUp();
    const tasks = Array.from({ length: 20 }, (_, i) => `task${String(i).padStart(28, "0")}`);
    for (const t of tasks) await handleEcsEvent(w.deps, config, runningTask(t), w.clock.now());
    const again = await handleEcsEvent(w.deps, config, runningTask(tasks[3]!), w.clock.now());
    expect(again).toEqual({ status: "duplicate", service: key });
    const state = await item(w, key);
    expect(state).toMatchObject({ learned: { startupSamples: 20 } });
    expect(state).not.toHaveProperty("seen");
    const task = await item(w, dedupeRecordKey(key, { task: taskArn(tasks[3]!) }));
    expect(((task?.seen ?? []) as { id: string }[]).map((e) => e.id)).toEqual([`task:${taskArn(tasks[3]!)}#4`, `mark:startup:${taskArn(tasks[3]!)}`]);
    expect(task?.expiresAt).toEqual(expect.any(Number));
  });

  it("still honours a list an earlier version kept in the state item, until it ages out", async () => {
    const w = await setUp();
    const first = runningTask("legacy0000000000000000000000000");
    const handled = `task:${first.detail.taskArn}#${first.detail.version}`;
    const old = new Date(w.clock.now().getTime() - (SEEN_RETENTION_SECONDS + 60) * 1000).toISOString();
    await w.store.save({
      key,
      version: 0,
      learned: {},
      seen: [
        { id: handled, at: w.clock.now().toISOString() },
        { id: "event:gone", at: old },
      ],
    });
    expect(await handleEcsEvent(w.deps, config, first, w.clock.now())).toEqual({ status: "duplicate", service: key });
    await handleEcsEvent(w.deps, config, runningTask("new00000000000000000000000000000"), w.clock.now());
    expect((await item(w, key))?.seen).toEqual([expect.objectContaining({ id: handled })]);
  });

  it("is never read or written by an evaluation pass", async () => {
    const w = await setUp();
    w.service(key, { desired: 1 });
    await runEvaluationPass(w.deps, config, w.clock.now());
    const scanned = await w.dynamodb.send(new ScanCommand({ TableName: w.table }));
    expect(scanned.Items?.map((i) => i.pk?.S)).toEqual([key]);
  });
});
