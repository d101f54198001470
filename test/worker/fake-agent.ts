/**
 * A local HTTP server that answers as the ECS container agent's task scale-in protection endpoint
 * does: `PUT {ECS_AGENT_URI}/task-protection/v1/state`, unknown fields and a missing
 * `ProtectionEnabled` refused with 400 `InvalidParameterException`, an out-of-range
 * `ExpiresInMinutes` relayed from ECS as 400, ECS failures as 200 `{"failure": …}`, server errors as
 * 500 `{"error": …}`. Tests script what the next answers are and read back every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** What the endpoint does with one request; "ok" applies it as ECS would. */
export type AgentAnswer = "ok" | "failure" | "deployment-blocked" | "server-error" | "access-denied" | "hang" | "reset" | "garbage";

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  body: unknown;
}

const taskArn = "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef";

/** Answers that do not depend on the request: ECS refusing it, or the agent failing. */
const canned: Partial<Record<AgentAnswer, [number, unknown]>> = {
  "server-error": [500, { error: { Arn: taskArn, Code: "ServerException", Message: "Unexpected error occurred" } }],
  "access-denied": [403, { error: { Arn: taskArn, Code: "AccessDeniedException", Message: "Invalid Request: no task IAM role credentials available for task" } }],
  failure: [200, { failure: { Arn: taskArn, Reason: "TASK_NOT_VALID", Detail: "The task is not part of a service" } }],
  // ECS refuses to protect more tasks than the service's desired count.
  "deployment-blocked": [200, { failure: { Arn: taskArn, Reason: "DEPLOYMENT_BLOCKED", Detail: "The service has more protected tasks than its desired count" } }],
};

export class FakeAgent {
  readonly requests: RecordedRequest[] = [];
  /** Answers for the next requests, in order; "ok" once they run out. */
  readonly script: AgentAnswer[] = [];
  protectionEnabled = false;
  expiresAt: Date | undefined;
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();

  /** Starts on a free loopback port; returns the URI to use as ECS_AGENT_URI. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/0123456789abcdef-1234567890`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The ProtectionEnabled values of the PUTs so far, in order. */
  get puts(): boolean[] {
    return this.requests.filter((r) => r.method === "PUT").map((r) => (r.body as { ProtectionEnabled: boolean }).ProtectionEnabled);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    this.requests.push({ at: Date.now(), method: req.method ?? "", path: req.url ?? "", body });
    if (!req.url?.endsWith("/task-protection/v1/state")) return send(res, 404, { error: { Code: "ResourceNotFoundException", Message: "not found" } });
    const answer = this.script.shift() ?? "ok";
    this.open.add(res);
    res.on("close", () => this.open.delete(res));
    this.answer(answer, req.method, body, res);
  }

  private answer(answer: AgentAnswer, method: string | undefined, body: unknown, res: ServerResponse): void {
    if (answer === "hang") return;
    if (answer === "reset") {
      res.socket?.destroy();
      return;
    }
    if (answer === "garbage") {
      res.writeHead(200).end("<html>proxy error</html>");
      return;
    }
    const [status, reply] = canned[answer] ?? (method === "GET" ? [200, { protection: this.state() }] : this.apply(body));
    send(res, status, reply);
  }

  /** The agent's request checks, then the change as ECS makes it. */
  private apply(body: unknown): [number, unknown] {
    const request = body as { ProtectionEnabled?: unknown; ExpiresInMinutes?: unknown };
    const unknownKeys = typeof body === "object" && body !== null ? Object.keys(body).filter((k) => k !== "ProtectionEnabled" && k !== "ExpiresInMinutes") : ["(not an object)"];
    if (unknownKeys.length > 0) {
      return [400, { error: { Code: "InvalidParameterException", Message: "UpdateTaskProtection: failed to decode request" } }];
    }
    if (typeof request.ProtectionEnabled !== "boolean") {
      return [400, { error: { Arn: taskArn, Code: "InvalidParameterException", Message: "Invalid request: does not contain 'ProtectionEnabled' field" } }];
    }
    const minutes = request.ExpiresInMinutes ?? 120;
    if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > 2880) {
      return [400, { requestID: "req-1", error: { Arn: taskArn, Code: "InvalidParameterException", Message: "expiresInMinutes must be between 1 and 2880" } }];
    }
    this.protectionEnabled = request.ProtectionEnabled;
    this.expiresAt = request.ProtectionEnabled ? new Date(Date.now() + minutes * 60_000) : undefined;
    return [200, { protection: this.state() }];
  }

  private state(): Record<string, unknown> {
    return {
      ...(this.expiresAt ? { ExpirationDate: this.expiresAt.toISOString() } : {}),
      ProtectionEnabled: this.protectionEnabled,
      TaskArn: taskArn,
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * One agent for a test file, started before its tests and stopped after them, its requests, script and
 * protection state cleared before each test. `uri()` is its ECS_AGENT_URI once started.
 */
export function useFakeAgent(): { agent: FakeAgent; uri: () => string } {
  const agent = new FakeAgent();
  let uri = "";
  beforeAll(async () => {
    uri = await agent.start();
  });
  afterAll(() => agent.stop());
  beforeEach(() => {
    agent.requests.length = 0;
    agent.script.length = 0;
    agent.protectionEnabled = false;
  });
  return { agent, uri: () => uri };
}
