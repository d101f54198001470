/**
 * The emulation's one loopback HTTP endpoint. The real SDK clients are pointed at it (endpoint
 * override), so requests go through their whole stack: signing, the NodeHttpHandler with its
 * connection and request timeouts, retries, and the JSON protocols' error parsing. Requests are
 * routed by `X-Amz-Target` (ECS awsJson1_1; SQS, CloudWatch and DynamoDB awsJson1_0 in this SDK
 * version); DynamoDB requests are forwarded to dynalite. Each request waits a seeded 30–80 ms and may
 * meet a fault from the {@link FaultPlan}.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { REQUEST_TIMEOUTS } from "../../../shared/aws/clients.ts";
import type { Answer, CallOptions, EmulatedEcs } from "./ecs.ts";
import type { FaultKind, FaultPlan, Lane } from "./faults.ts";
import { landedItems, type ReadItem } from "./landed-writes.ts";
import type { EmulatedCloudWatch, EmulatedSqs } from "./queues-metrics.ts";
import { between, type Random, seededRandom } from "./rng.ts";

/** A write that DynamoDB (dynalite) accepted: the item it stored, and when (see landed-writes.ts). */
export interface LandedSave {
  /** The item's `pk`. */
  key: string;
  version: number;
  item: Record<string, unknown>;
  /** Epoch ms when dynalite answered. */
  at: number;
}

const TARGETS: Record<string, Lane> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  AmazonSQS: "sqs",
  GraniteServiceVersion20100801: "cloudwatch",
  DynamoDB_20120810: "dynamodb",
};

/** Each lane's throttling and 5xx error, as that service names them. */
const ERRORS: Record<Lane, { throttle: string; server: string; contentType: string }> = {
  ecs: { throttle: "ThrottlingException", server: "ServerException", contentType: "application/x-amz-json-1.1" },
  sqs: { throttle: "RequestThrottled", server: "InternalError", contentType: "application/x-amz-json-1.0" },
  cloudwatch: {
    throttle: "Throttling",
    server: "InternalServiceFault",
    contentType: "application/x-amz-json-1.0",
  },
  dynamodb: {
    throttle: "ThrottlingException",
    server: "InternalServerError",
    contentType: "application/x-amz-json-1.0",
  },
};

export interface EmulatorBackends {
  ecs: EmulatedEcs;
  sqs: EmulatedSqs;
  cloudwatch: EmulatedCloudWatch;
  /** http://host:port of dynalite. */
  dynamodbUpstream: string;
  /** Reads an item straight from dynalite (for writes whose request does not hold the item). */
  readItem: ReadItem;
  faults: FaultPlan;
  /** Seed of the latency draws. */
  seed: number;
  /** Latency range per request, ms (default 30–80). */
  latencyMs?: { min: number; max: number };
}

/** The running endpoint. */
export interface Emulator {
  endpoint: string;
  /** Every item a write dynalite accepted stored, in the order it answered. */
  saves: LandedSave[];
  /** Requests per `lane:operation` that arrived (faulted or not). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/** Starts the endpoint on a free loopback port. */
export async function startEmulator(backends: EmulatorBackends): Promise<Emulator> {
  const random = seededRandom(backends.seed);
  const saves: LandedSave[] = [];
  const requests = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const ctx: Context = { backends, random, saves, later };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const [prefix = "", operation = ""] = target.split(".");
      const lane = TARGETS[prefix];
      if (!lane) return send(res, 400, "application/json", { __type: "UnknownOperationException" });
      requests.set(`${lane}:${operation}`, (requests.get(`${lane}:${operation}`) ?? 0) + 1);
      serve(ctx, { req, res, lane, operation, body: Buffer.concat(chunks) });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    saves,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Context {
  backends: EmulatorBackends;
  random: Random;
  saves: LandedSave[];
  later: (ms: number, fn: () => void) => void;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  lane: Lane;
  operation: string;
  body: Buffer;
}

/** One request: its fault (if any), then the service's answer after the latency. */
function serve(ctx: Context, call: Call): void {
  const { backends, random, later } = ctx;
  const fault = backends.faults.draw(call.lane, call.operation);
  const latency = between(random, backends.latencyMs?.min ?? 30, backends.latencyMs?.max ?? 80);
  const drop = () => {
    call.req.socket.destroy();
  };
  const errorAnswer = faultAnswer(call.lane, fault);
  if (fault === "reset") drop();
  else if (fault === "hang") later(REQUEST_TIMEOUTS.requestMs[call.lane] + 500, drop);
  else if (errorAnswer) later(latency, () => reply(call, errorAnswer));
  else respond(ctx, call, { answered: fault !== "lostResponse", stale: fault === "staleDescribe" }, latency, drop);
}

/** The service's answer after `latency`; unless `answered`, the effect without the answer. */
function respond(ctx: Context, call: Call, options: CallOptions, latency: number, drop: () => void): void {
  const deliver = (answer: Answer) => ctx.later(latency, () => (options.answered ? reply(call, answer) : drop()));
  if (call.lane === "dynamodb") {
    forward(ctx, call).then(deliver, () => drop());
    return;
  }
  deliver(answerOf(ctx.backends, call, options));
}

/** The error answer of a fault that has no effect, or undefined. */
function faultAnswer(lane: Lane, fault: FaultKind | undefined): Answer | undefined {
  if (fault === "throttle") return { status: 400, body: { __type: ERRORS[lane].throttle, message: "Rate exceeded" } };
  if (fault === "serverError") return { status: 500, body: { __type: ERRORS[lane].server, message: "We encountered an internal error." } };
  if (fault === "conditionalCheck")
    return {
      status: 400,
      body: {
        __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        message: "The conditional request failed",
      },
    };
  return undefined;
}

function answerOf(backends: EmulatorBackends, call: Call, options: CallOptions): Answer {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(call.body.toString("utf8") || "{}");
  } catch {
    return { status: 400, body: { __type: "SerializationException", message: "bad JSON" } };
  }
  if (call.lane === "ecs") return backends.ecs.handle(call.operation, input, options);
  if (call.lane === "sqs") return backends.sqs.handle(call.operation, input);
  return backends.cloudwatch.handle(call.operation, input);
}

function reply(call: Call, answer: Answer): void {
  send(call.res, answer.status, ERRORS[call.lane].contentType, answer.body);
}

function send(res: ServerResponse, status: number, contentType: string, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": "emulated" });
  res.end(text);
}

/** Forwards a DynamoDB request to dynalite; records an accepted PutItem. */
async function forward(ctx: Context, call: Call): Promise<Answer> {
  const url = new URL(ctx.backends.dynamodbUpstream);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const headers = { ...call.req.headers, host: url.host, "content-length": String(call.body.length) };
    const up = request({ hostname: url.hostname, port: url.port, method: call.req.method, path: call.req.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 500, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    up.on("error", reject);
    up.end(call.body);
  });
  if (status === 200) {
    for (const item of await landedItems(call.operation, call.body, text, ctx.backends.readItem)) ctx.saves.push({ key: String(item.pk), version: Number(item.version), item, at: Date.now() });
  }
  return { status, body: text };
}
