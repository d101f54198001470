/**
 * Reference-counted scale-in protection against the local agent endpoint: protect on the first hold,
 * renew while held, unprotect after the idle time, and never block or lose work when the agent fails.
 */
import { describe, expect, it } from "vitest";
import { AgentEndpoint } from "../../shared/worker/agent-endpoint.ts";
import { type ProtectionEvent, ScaleInProtection } from "../../shared/worker/scale-in-protection.ts";
import { useFakeAgent } from "./fake-agent.ts";

const { agent, uri: agentUri } = useFakeAgent();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function protection(overrides: { renewEverySeconds?: number; idleSeconds?: number; retryAfterSeconds?: number; timeoutMs?: number } = {}) {
  const events: ProtectionEvent[] = [];
  const guard = new ScaleInProtection({
    endpoint: new AgentEndpoint({ agentUri: agentUri(), timeoutMs: overrides.timeoutMs ?? 1000 }),
    expiresInMinutes: 2,
    renewEverySeconds: overrides.renewEverySeconds ?? 60,
    idleSeconds: overrides.idleSeconds ?? 0.05,
    retryAfterSeconds: overrides.retryAfterSeconds ?? 0,
    onEvent: (e) => events.push(e),
  });
  return { guard, events };
}

describe("ScaleInProtection", () => {
  it("the first hold protects before it resolves; further holds send nothing", async () => {
    const { guard } = protection();
    await guard.hold();
    expect(agent.protectionEnabled).toBe(true);
    await guard.hold();
    await guard.hold();
    expect(agent.puts).toEqual([true]);
    expect(agent.requests[0]?.body).toEqual({ ProtectionEnabled: true, ExpiresInMinutes: 2 });
    await guard.close();
  });

  it("unprotects only after the last release and the idle time", async () => {
    const { guard } = protection({ idleSeconds: 0.1 });
    await Promise.all([guard.hold(), guard.hold()]);
    guard.release();
    await sleep(150);
    expect(agent.protectionEnabled).toBe(true);
    guard.release();
    await sleep(30);
    expect(agent.protectionEnabled).toBe(true);
    await sleep(150);
    expect(agent.protectionEnabled).toBe(false);
    expect(agent.puts).toEqual([true, false]);
  });

  it("a hold within the idle time keeps the protection without a call", async () => {
    const { guard } = protection({ idleSeconds: 0.1 });
    await guard.hold();
    guard.release();
    await sleep(30);
    await guard.hold();
    await sleep(150);
    expect(agent.puts).toEqual([true]);
    expect(agent.protectionEnabled).toBe(true);
    await guard.close();
    expect(agent.puts).toEqual([true, false]);
  });

  it("renews while work is held, so a job longer than the expiry stays protected", async () => {
    const { guard, events } = protection({ renewEverySeconds: 0.05 });
    await guard.hold();
    await sleep(180);
    expect(agent.puts.length).toBeGreaterThanOrEqual(3);
    expect(agent.puts.every((p) => p)).toBe(true);
    expect(events.filter((e) => e.type === "renewed").length).toBe(agent.puts.length - 1);
    await guard.close();
  });

  it("a failed protect does not block the work, is reported, and is retried while work is held", async () => {
    const { guard, events } = protection({ renewEverySeconds: 0.05 });
    agent.script.push("server-error");
    await guard.hold();
    expect(guard.isProtected).toBe(false);
    expect(events[0]).toEqual({ type: "failed", action: "protect", kind: "error", message: "500 ServerException: Unexpected error occurred" });
    await sleep(120);
    expect(guard.isProtected).toBe(true);
    expect(agent.protectionEnabled).toBe(true);
    await guard.close();
  });

  it("a hung agent delays the first message by at most the call timeout", async () => {
    const { guard, events } = protection({ timeoutMs: 150 });
    agent.script.push("hang");
    const started = Date.now();
    await guard.hold();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events[0]).toMatchObject({ type: "failed", action: "protect", kind: "timeout" });
    guard.release();
    await guard.close();
  });

  it("a DEPLOYMENT_BLOCKED refusal is flagged and explained, the work goes on unprotected and the next hold tries again", async () => {
    const { guard, events } = protection();
    agent.script.push("deployment-blocked");
    await guard.hold();
    expect(guard.isProtected).toBe(false);
    expect(events).toEqual([
      {
        type: "failed",
        action: "protect",
        kind: "failure",
        deploymentBlocked: true,
        message: expect.stringMatching(
          /^DEPLOYMENT_BLOCKED: .*\(the service has more protected tasks than its desired count: this task works unprotected, .* the desired count rises above the protected tasks\)$/,
        ),
      },
    ]);
    guard.release();
    await guard.hold();
    expect(guard.isProtected).toBe(true);
    await guard.close();
  });

  it("another refusal is not called a blocked deployment", async () => {
    const { guard, events } = protection();
    agent.script.push("failure");
    await guard.hold();
    expect(events[0]).toEqual({ type: "failed", action: "protect", kind: "failure", message: "TASK_NOT_VALID: The task is not part of a service" });
    guard.release();
    await guard.close();
  });

  it("a failed unprotect is retried, so the task does not stay out of scale-in until expiry", async () => {
    const { guard, events } = protection({ idleSeconds: 0.02, retryAfterSeconds: 0.05 });
    await guard.hold();
    agent.script.push("failure");
    guard.release();
    await sleep(200);
    expect(events.map((e) => e.type)).toEqual(["protected", "failed", "unprotected"]);
    expect(agent.protectionEnabled).toBe(false);
  });

  it("a hold while an unprotect is on its way turns protection back on after it", async () => {
    const { guard } = protection({ idleSeconds: 0 });
    await guard.hold();
    guard.release();
    await sleep(0);
    await guard.hold();
    await sleep(50);
    expect(agent.protectionEnabled).toBe(true);
    expect(guard.isProtected).toBe(true);
    await guard.close();
  });

  it("outside ECS (no ECS_AGENT_URI) it says so once and every hold is a no-op", async () => {
    const events: ProtectionEvent[] = [];
    const guard = new ScaleInProtection({ endpoint: new AgentEndpoint({ agentUri: "" }), onEvent: (e) => events.push(e) });
    await guard.hold();
    guard.release();
    await guard.close();
    expect(events).toEqual([{ type: "unavailable", message: "ECS_AGENT_URI is not set: not running in an ECS task, protection is off" }]);
    expect(agent.requests).toEqual([]);
  });

  it("drained() resolves when the last hold is released, or false at its timeout", async () => {
    const { guard } = protection();
    await guard.hold();
    expect(await guard.drained(20)).toBe(false);
    const drained = guard.drained(1000);
    guard.release();
    expect(await drained).toBe(true);
    await guard.close();
  });
});
