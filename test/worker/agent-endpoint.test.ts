/**
 * The task protection endpoint client against a local server answering as the ECS agent documents:
 * every outcome is a result, never an exception.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentEndpoint, clampMinutes, parseResponse } from "../../shared/worker/agent-endpoint.ts";
import { type AgentAnswer, FakeAgent } from "./fake-agent.ts";

const agent = new FakeAgent();
let uri: string;
beforeAll(async () => {
  uri = await agent.start();
});
afterAll(() => agent.stop());

describe("AgentEndpoint.setProtection", () => {
  it("protects for the minutes asked: PUT ProtectionEnabled and ExpiresInMinutes, the expiry read back", async () => {
    // Prepare
    const endpoint = new AgentEndpoint({ agentUri: uri });
    const before = Date.now();
    // Act
    const result = await endpoint.setProtection(true, 3);
    // Assess
    expect(agent.requests.at(-1)).toMatchObject({ method: "PUT", path: "/api/0123456789abcdef-1234567890/task-protection/v1/state", body: { ProtectionEnabled: true, ExpiresInMinutes: 3 } });
    expect(result.ok && result.state.enabled).toBe(true);
    const expires = result.ok ? (result.state.expiresAt?.getTime() ?? 0) : 0;
    expect(expires - before).toBeGreaterThanOrEqual(180_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(180_000 + 5000);
  });

  it("unprotects with ProtectionEnabled false and no expiry", async () => {
    const result = await new AgentEndpoint({ agentUri: uri }).setProtection(false, 3);
    expect(agent.requests.at(-1)?.body).toEqual({ ProtectionEnabled: false });
    expect(result).toEqual({ ok: true, state: { enabled: false, taskArn: expect.stringMatching(/^arn:aws:ecs:/) } });
  });

  it.each<{ answer: AgentAnswer; kind: string; message: RegExp }>([
    { answer: "failure", kind: "failure", message: /^TASK_NOT_VALID: The task is not part of a service$/ },
    { answer: "deployment-blocked", kind: "failure", message: /^DEPLOYMENT_BLOCKED: The service has more protected tasks/ },
    { answer: "server-error", kind: "error", message: /^500 ServerException: Unexpected error occurred$/ },
    { answer: "access-denied", kind: "error", message: /^403 AccessDeniedException: Invalid Request: no task IAM role credentials/ },
    { answer: "garbage", kind: "malformed", message: /^HTTP 200: <html>proxy error<\/html>$/ },
    { answer: "reset", kind: "unreachable", message: /./ },
    { answer: "hang", kind: "timeout", message: /^no answer from the agent within 200 ms$/ },
  ])("an agent answer of $answer is a $kind result", async ({ answer, kind, message }) => {
    agent.script.push(answer);
    const result = await new AgentEndpoint({ agentUri: uri, timeoutMs: 200 }).setProtection(true, 2);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.kind).toBe(kind);
      expect(result.message).toMatch(message);
    }
  });

  it("an agent that is not listening is unreachable, not a throw", async () => {
    const closed = new FakeAgent();
    const closedUri = await closed.start();
    await closed.stop();
    const result = await new AgentEndpoint({ agentUri: closedUri }).setProtection(true, 2);
    expect(result).toEqual({ ok: false, kind: "unreachable", message: "ECONNREFUSED" });
  });

  it("without ECS_AGENT_URI there is no endpoint: unreachable, and nothing is sent", async () => {
    const count = agent.requests.length;
    const endpoint = new AgentEndpoint({ agentUri: "" });
    expect(endpoint.url).toBeUndefined();
    expect(await endpoint.setProtection(true)).toEqual({ ok: false, kind: "unreachable", message: "ECS_AGENT_URI is not set (not running in an ECS task)" });
    expect(agent.requests.length).toBe(count);
  });

  it("the agent refuses what ECS would: an out-of-range expiry is relayed as a 400 error", async () => {
    const raw = await fetch(`${uri}/task-protection/v1/state`, { method: "PUT", body: JSON.stringify({ ProtectionEnabled: true, ExpiresInMinutes: 5000 }) });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ error: { Code: "InvalidParameterException" } });
  });
});

describe("clampMinutes", () => {
  it.each([
    [0, 1],
    [0.2, 1],
    [1.5, 2],
    [120, 120],
    [2880, 2880],
    [10_000, 2880],
    [Number.POSITIVE_INFINITY, 2880],
    [Number.NaN, 2880],
  ])("%s minutes → %s (ECS accepts 1–2880 whole minutes)", (given, expected) => {
    expect(clampMinutes(given)).toBe(expected);
  });
});

describe("the reason or code ECS gives", () => {
  it.each([
    { name: "a failure's Reason", status: 200, body: { failure: { Reason: "DEPLOYMENT_BLOCKED", Detail: "d" } }, code: "DEPLOYMENT_BLOCKED" },
    { name: "an error's Code", status: 400, body: { error: { Code: "InvalidParameterException", Message: "m" } }, code: "InvalidParameterException" },
    { name: "nothing, when the answer has neither", status: 200, body: { failure: { Detail: "d" } }, code: undefined },
  ])("is carried from $name", ({ status, body, code }) => {
    const result = parseResponse(status, JSON.stringify(body));
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.code).toBe(code);
  });
});
