/** Deployment hold: IN_PROGRESS until COMPLETED or FAILED, unordered events, DescribeServices as the source of truth. */
import { describe, expect, it } from "vitest";
import { applyDeploymentEvent, deploymentHoldActive, EVENT_HOLD_MAX_SECONDS } from "../../shared/runtime/deployment-hold.ts";

const t0 = new Date("2026-03-02T12:00:00Z");
const iso = (s: number) => new Date(t0.getTime() + s * 1000).toISOString();
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe("applyDeploymentEvent", () => {
  const inProgress = applyDeploymentEvent(undefined, { eventName: "SERVICE_DEPLOYMENT_IN_PROGRESS", deploymentId: "ecs-svc/1", updatedAt: iso(0) }, at(1));

  it("starts the hold on IN_PROGRESS", () => {
    expect(inProgress).toEqual({
      verdict: "applied",
      state: { inProgress: true, deploymentId: "ecs-svc/1", updatedAt: iso(0), receivedAt: iso(1) },
    });
  });

  it.each(["SERVICE_DEPLOYMENT_COMPLETED", "SERVICE_DEPLOYMENT_FAILED"])("ends it on %s", (eventName) => {
    const ended = applyDeploymentEvent(inProgress.state, { eventName, deploymentId: "ecs-svc/1", updatedAt: iso(60) }, at(61));
    expect(ended.state?.inProgress).toBe(false);
  });

  it("ignores an event older than the stored one (reordered delivery)", () => {
    const completed = applyDeploymentEvent(inProgress.state, { eventName: "SERVICE_DEPLOYMENT_COMPLETED", deploymentId: "ecs-svc/1", updatedAt: iso(60) }, at(61));
    const late = applyDeploymentEvent(completed.state, { eventName: "SERVICE_DEPLOYMENT_IN_PROGRESS", deploymentId: "ecs-svc/1", updatedAt: iso(0) }, at(62));
    expect(late).toEqual({ state: completed.state, verdict: "stale" });
  });

  it("does not let another deployment's completion end the hold", () => {
    const other = applyDeploymentEvent(inProgress.state, { eventName: "SERVICE_DEPLOYMENT_COMPLETED", deploymentId: "ecs-svc/0", updatedAt: iso(30) }, at(31));
    expect(other).toEqual({ state: inProgress.state, verdict: "ignored" });
  });

  it("tolerates unknown event names", () => {
    expect(applyDeploymentEvent(undefined, { eventName: "SERVICE_DEPLOYMENT_SOMETHING_NEW", updatedAt: iso(0) }, at(0))).toEqual({
      state: undefined,
      verdict: "ignored",
    });
  });
});

describe("deploymentHoldActive", () => {
  const held = { inProgress: true, deploymentId: "ecs-svc/1", updatedAt: iso(0), receivedAt: iso(0) };
  it.each([
    ["DescribeServices shows a deployment", undefined, true, at(0), true],
    ["a recent IN_PROGRESS event before DescribeServices shows it", held, false, at(30), true],
    ["an IN_PROGRESS event alone, past its bound (lost COMPLETED)", held, false, at(EVENT_HOLD_MAX_SECONDS + 1), false],
    ["an ended deployment", { ...held, inProgress: false }, false, at(30), false],
    ["no deployment at all", undefined, false, at(0), false],
  ])("%s", (_name, state, described, now, expected) => {
    expect(deploymentHoldActive(state, described, now)).toBe(expected);
  });
});
