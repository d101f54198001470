/**
 * A `sqs-consumer` worker under scale-in protection: SQS through the real SDK client with its commands
 * answered by aws-sdk-client-mock (no in-process SQS server speaks the SDK's current JSON protocol),
 * the agent endpoint through a local server. The task is protected before a handler starts, stays
 * protected until the message is deleted, and a failing agent never costs a message.
 */
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentEndpoint } from "../../shared/worker/agent-endpoint.ts";
import { createProtectedConsumer } from "../../shared/worker/consumer.ts";
import { ScaleInProtection } from "../../shared/worker/scale-in-protection.ts";
import { useFakeAgent } from "./fake-agent.ts";

const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
const { agent, uri: agentUri } = useFakeAgent();
const sqsMock = mockClient(SQSClient);
beforeEach(() => sqsMock.reset());
afterEach(() => sqsMock.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (id: string): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: `job ${id}` });

/** Events in the order they happened: agent PUTs, handler starts and ends, SQS deletes. */
function timeline() {
  const events: string[] = [];
  return { events, push: (e: string) => events.push(e) };
}

function worker(log: ReturnType<typeof timeline>, handler: (m: Message) => Promise<Message | undefined>) {
  sqsMock
    .on(ReceiveMessageCommand)
    .resolvesOnce({ Messages: [message("a"), message("b")] })
    .resolves({ Messages: [] });
  sqsMock.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle: string }) => {
    log.push(`delete ${input.ReceiptHandle}`);
    return {};
  });
  const protection = new ScaleInProtection({
    endpoint: new AgentEndpoint({ agentUri: agentUri(), timeoutMs: 500 }),
    expiresInMinutes: 2,
    idleSeconds: 0.1,
    retryAfterSeconds: 0,
    onEvent: (e) => log.push(`protection ${e.type}`),
  });
  return createProtectedConsumer({
    queueUrl,
    sqs: new SQSClient({ region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }),
    pollingWaitTimeMs: 20,
    protection,
    handleMessage: async (m) => {
      log.push(`start ${m.MessageId} protected=${agent.protectionEnabled}`);
      const result = await handler(m);
      log.push(`end ${m.MessageId}`);
      return result;
    },
  });
}

async function runUntil(consumer: ReturnType<typeof worker>, done: () => boolean): Promise<void> {
  consumer.start();
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await sleep(10);
  await sleep(250);
  await consumer.stop(1000);
}

describe("createProtectedConsumer", () => {
  it("protects before the first handler, deletes every message, unprotects after the last delete", async () => {
    const log = timeline();
    const consumer = worker(log, async (m) => {
      await sleep(50);
      return m;
    });
    await runUntil(consumer, () => agent.puts.includes(false));
    const at = (event: string) => log.events.indexOf(event);
    expect(at("protection protected")).toBe(0);
    expect(log.events.filter((e) => e.startsWith("start")).sort()).toEqual(["start a protected=true", "start b protected=true"]);
    expect(at("delete rh-a")).toBeGreaterThan(at("end a"));
    expect(at("delete rh-b")).toBeGreaterThan(at("end b"));
    expect(at("protection unprotected")).toBe(log.events.length - 1);
    expect(agent.puts).toEqual([true, false]);
  });

  it("a failing agent costs no message: the handler runs and the message is deleted", async () => {
    agent.script.push("server-error", "server-error");
    const log = timeline();
    const consumer = worker(log, async (m) => m);
    await runUntil(consumer, () => sqsMock.commandCalls(DeleteMessageCommand).length === 2);
    expect(log.events.filter((e) => e.startsWith("start") || e.startsWith("delete")).sort()).toEqual(["delete rh-a", "delete rh-b", "start a protected=false", "start b protected=false"]);
    expect(log.events).toContain("protection failed");
  });

  it("a handler that throws releases its hold: the task is unprotected again, the message left for redelivery", async () => {
    const log = timeline();
    const consumer = worker(log, async () => {
      throw new Error("job failed");
    });
    consumer.consumer.on("processing_error", () => {});
    await runUntil(consumer, () => agent.puts.includes(false));
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(agent.puts).toEqual([true, false]);
    expect(consumer.protection.holding).toBe(0);
  });

  it("without a given protection, the expiry covers the visibility timeout plus a minute", () => {
    const consumer = createProtectedConsumer({
      queueUrl,
      sqs: new SQSClient({ region: "eu-west-1" }),
      visibilityTimeout: 300,
      handleMessage: async (m) => m,
      protectionOptions: { endpoint: new AgentEndpoint({ agentUri: agentUri() }) },
    });
    expect((consumer.protection as unknown as { minutes: number }).minutes).toBe(6);
  });
});
