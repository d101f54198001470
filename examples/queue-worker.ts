/**
 * A queue worker for an ECS service that ecs-autoscaler scales, protected from scale-in while it works:
 * ECS will not pick this task to stop while it holds a message (see docs/worker.md).
 *
 * Run it in the service's container (ECS sets ECS_AGENT_URI there; the task role needs
 * ecs:UpdateTaskProtection):
 *
 *   QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/jobs node --import tsx examples/queue-worker.ts
 *
 * Outside ECS it runs all the same and says once that protection is off.
 */
import type { Message } from "@aws-sdk/client-sqs";
import { createProtectedConsumer } from "ecs-autoscaler/worker";

const queueUrl = process.env.QUEUE_URL;
if (!queueUrl) {
  process.stderr.write("queue-worker: set QUEUE_URL to the queue's URL\n");
  process.exit(2);
}

/** The job itself: here, a few seconds of pretend work per message. */
async function work(message: Message): Promise<void> {
  const seconds = Number(message.MessageAttributes?.seconds?.StringValue ?? 2);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

const log = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fields)}\n`);

const worker = createProtectedConsumer({
  queueUrl,
  // Long jobs: keep the message invisible while it is worked on, and the task protected with it.
  visibilityTimeout: 120,
  heartbeatInterval: 60,
  messageAttributeNames: ["seconds"],
  handleMessage: async (message) => {
    await work(message);
    return message;
  },
  protectionOptions: { onEvent: (event) => log({ protection: event.type, ...event }) },
});
worker.consumer.on("error", (error) => log({ error: error.message }));
worker.consumer.on("processing_error", (error, message) =>
  log({ processingError: error.message, messageId: message.MessageId }),
);

// ECS sends SIGTERM before it stops a task (deployments, a Spot interruption, protection expired):
// stop receiving, finish what is in hand within the container's stopTimeout, then unprotect.
process.once("SIGTERM", () => {
  void worker.stop(25_000).then(() => process.exit(0));
});
worker.start();
log({ started: queueUrl });
