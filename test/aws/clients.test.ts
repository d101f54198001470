/**
 * The client factory: standard retries with a bounded number of attempts, timeouts on every client,
 * built once per container. Faults are injected into the real clients through loopback HTTP endpoints.
 */
import { describe, expect, it } from "vitest";
import { awsClients, createAwsClients, DEFAULT_MAX_ATTEMPTS, REQUEST_TIMEOUTS } from "../../shared/aws/clients.ts";

describe("createAwsClients", () => {
  it("gives ECS, SQS, CloudWatch and DynamoDB clients standard retries with the default attempts, and the UpdateService client none", async () => {
    // Act
    const clients = createAwsClients({ region: "eu-west-1" });
    // Assess
    for (const [name, client] of Object.entries(clients)) {
      const strategy = await client.config.retryStrategy();
      expect({ name, mode: strategy.mode, attempts: await client.config.maxAttempts() }).toEqual({
        name,
        mode: "standard",
        attempts: name === "ecsUpdates" ? 1 : DEFAULT_MAX_ATTEMPTS,
      });
      expect(await client.config.region()).toBe("eu-west-1");
    }
  });

  it("takes the number of attempts and endpoint overrides", async () => {
    // Act
    const clients = createAwsClients({ region: "us-east-1", maxAttempts: 2, endpoints: { dynamodb: "http://127.0.0.1:4567" } });
    // Assess
    expect(await clients.dynamodb.config.maxAttempts()).toBe(2);
    const endpoint = await clients.dynamodb.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe("http://127.0.0.1:4567");
  });

  it.each([0, 1.5])("refuses maxAttempts %s", (maxAttempts) => {
    expect(() => createAwsClients({ maxAttempts })).toThrow(/maxAttempts must be an integer >= 1/);
  });
});

describe("awsClients", () => {
  it("returns the same clients on every call, as handlers at module scope need", () => {
    expect(awsClients({ region: "eu-west-1" })).toBe(awsClients());
  });
});

describe("retries against a real HTTP endpoint", () => {
  /**
   * A loopback ECS endpoint answering with `responses` in turn (the last one repeats; `"hang"` never
   * answers); counts requests.
   */
  async function fakeEcsEndpoint(responses: ({ status: number; body: object } | "hang")[]) {
    const { createServer } = await import("node:http");
    let requests = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const r = responses[Math.min(requests, responses.length - 1)]!;
        requests += 1;
        if (r === "hang") return;
        res.writeHead(r.status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(r.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      requests: () => requests,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
  const throttled = { status: 400, body: { __type: "ThrottlingException", message: "Rate exceeded" } };
  const described = { status: 200, body: { services: [], failures: [] } };
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };

  /** Wall milliseconds for one throttle then `calls` successful DescribeServices on one client. */
  async function throttleThenCalls(retryMode: "standard" | "adaptive", calls: number): Promise<number> {
    const { ECSClient, DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
    const server = await fakeEcsEndpoint([throttled, described]);
    const ecs = new ECSClient({ region: "eu-west-1", endpoint: server.endpoint, credentials, retryMode, maxAttempts: 4 });
    const started = performance.now();
    for (let i = 0; i < calls; i++) await ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }));
    const ms = performance.now() - started;
    ecs.destroy();
    await server.close();
    return ms;
  }

  it("the retry mode was chosen by measurement: after one throttle, adaptive mode slows the next calls by seconds, standard does not", async () => {
    const standard = await throttleThenCalls("standard", 4);
    const adaptive = await throttleThenCalls("adaptive", 4);
    // Standard: the retry's backoff (a throttle's jitter is up to 1 s) and four fast calls.
    expect(standard).toBeLessThan(1500);
    // Adaptive: the same backoff, then its client-side limiter, cut to about 0.5 requests per second.
    expect(adaptive - standard).toBeGreaterThan(1000);
  }, 20_000);

  it("a hung endpoint fails each attempt at the request timeout instead of waiting on the socket", async () => {
    // Prepare
    const server = await fakeEcsEndpoint(["hang"]);
    const { ecs } = createAwsClients({ region: "eu-west-1", maxAttempts: 2, endpoints: { ecs: server.endpoint }, credentials });
    const { DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
    const started = performance.now();
    // Act
    const sending = ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }));
    // Assess
    await expect(sending).rejects.toMatchObject({ name: "TimeoutError" });
    const seconds = (performance.now() - started) / 1000;
    expect(server.requests()).toBe(2);
    expect(seconds).toBeGreaterThanOrEqual((2 * REQUEST_TIMEOUTS.requestMs.ecs) / 1000 - 0.1);
    expect(seconds).toBeLessThan((2 * REQUEST_TIMEOUTS.requestMs.ecs) / 1000 + 2);
    await server.close();
  }, 20_000);

  it("the UpdateService client sends one request on a 500 (no SDK retry that could repeat an applied update)", async () => {
    // Prepare
    const server = await fakeEcsEndpoint([{ status: 500, body: { __type: "ServerException", message: "boom" } }]);
    const { ecs, ecsUpdates } = createAwsClients({ region: "eu-west-1", endpoints: { ecs: server.endpoint }, credentials });
    const { UpdateServiceCommand } = await import("@aws-sdk/client-ecs");
    // Act
    const sending = ecsUpdates.send(new UpdateServiceCommand({ cluster: "c", service: "s", desiredCount: 3 }));
    // Assess
    await expect(sending).rejects.toMatchObject({ name: "ServerException", $metadata: { attempts: 1 } });
    expect(server.requests()).toBe(1);
    expect(await ecs.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    await server.close();
  });

  it("retries a throttled call, then after maxAttempts throws ThrottlingException for the caller to count", async () => {
    // Prepare
    const server = await fakeEcsEndpoint([throttled]);
    const { ecs } = createAwsClients({ region: "eu-west-1", maxAttempts: 2, endpoints: { ecs: server.endpoint }, credentials });
    const { DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
    // Act
    const sending = ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }));
    // Assess
    await expect(sending).rejects.toMatchObject({ name: "ThrottlingException", $metadata: { attempts: 2 } });
    expect(server.requests()).toBe(2);
    await server.close();
  });
});
