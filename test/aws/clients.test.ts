/** The client factory: adaptive retries with a bounded number of attempts, built once per container. */
import { describe, expect, it } from "vitest";
import { awsClients, createAwsClients, DEFAULT_MAX_ATTEMPTS } from "../../shared/aws/clients.ts";

describe("createAwsClients", () => {
  it("gives ECS, SQS, CloudWatch and DynamoDB clients adaptive retries with the default attempts", async () => {
    // Act
    const clients = createAwsClients({ region: "eu-west-1" });
    // Assess
    for (const [name, client] of Object.entries(clients)) {
      const strategy = await client.config.retryStrategy();
      expect({ name, mode: strategy.mode, attempts: await client.config.maxAttempts() }).toEqual({
        name,
        mode: "adaptive",
        attempts: DEFAULT_MAX_ATTEMPTS,
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
  /** A loopback ECS endpoint answering with `responses` in turn (the last one repeats); counts requests. */
  async function fakeEcsEndpoint(responses: { status: number; body: object }[]) {
    const { createServer } = await import("node:http");
    let requests = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const r = responses[Math.min(requests, responses.length - 1)] as { status: number; body: object };
        requests += 1;
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
  // One case only: after a throttle, adaptive mode's client-side limiter drops to 0.5 requests/s,
  // so every retried call here costs about 2 s of real time.
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };

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
