/** Parsing raw EventBridge events (ECS and CloudWatch alarm): the AWS examples, unknown shapes tolerated, malformed ones named by path. */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../shared/config/issues.ts";
import { type ParsedEvent, parseEvent, serviceFromArn } from "../../shared/runtime/parse-event.ts";
import { exampleEvent } from "./fixtures.ts";

/** The parsed event of a raw event that must parse. */
function parsedOf(raw: unknown): ParsedEvent {
  const result = parseEvent(raw);
  if (!result.ok) throw result.error;
  return result.value;
}

describe("parseEvent on the AWS example events", () => {
  it("reads a task state change, with no service for a standalone task (group family:…)", () => {
    const parsed = parsedOf(exampleEvent("ecs-task-state-change-running"));
    expect(parsed).toMatchObject({ kind: "task", id: "3317b2af-7005-947d-b652-f55e762e571a" });
    expect(parsed.kind === "task" && parsed.service).toBe(undefined);
    expect(parsed.kind === "task" && parsed.detail.version).toBe(4);
  });

  it("reads the service and cluster of a service task from group and clusterArn", () => {
    const event = exampleEvent("ecs-task-state-change-running");
    event.detail.group = "service:worker";
    const parsed = parsedOf(event);
    expect(parsed.kind === "task" && parsed.service).toEqual({ cluster: "FargateCluster", service: "worker" });
  });

  it("reads a trimmed real event with no id, taskArn or clusterArn (service known, cluster not)", () => {
    const parsed = parsedOf(exampleEvent("ecs-task-state-change-stopped-scale-in"));
    expect(parsed.kind === "task" && parsed.service).toEqual({ service: "DemoTrafficGen01-ServiceD69D759B-EfyMIBhdCKVk" });
    expect(parsed.kind === "task" && parsed.detail.stopCode).toBe("ServiceSchedulerInitiated");
  });

  it("reads a Spot termination notice that has no group, time or region", () => {
    const parsed = parsedOf(exampleEvent("ecs-task-state-change-spot-termination-notice"));
    expect(parsed).toMatchObject({ kind: "task", detail: { stopCode: "TerminationNotice", lastStatus: "RUNNING" } });
  });

  it("reads a service action, keyed on resources[0]", () => {
    expect(parsedOf(exampleEvent("ecs-service-action-placement-failure-fargate-spot"))).toMatchObject({
      kind: "serviceAction",
      service: { cluster: "default", service: "servicetest" },
      eventName: "SERVICE_TASK_PLACEMENT_FAILURE",
      reason: "RESOURCE:FARGATE",
      capacityProviderArns: ["arn:aws:ecs:us-west-2:111122223333:capacity-provider/FARGATE_SPOT"],
    });
  });

  it("reads a deployment state change", () => {
    expect(parsedOf(exampleEvent("ecs-deployment-state-change-in-progress"))).toMatchObject({
      kind: "deployment",
      service: { cluster: "default", service: "servicetest" },
      eventName: "SERVICE_DEPLOYMENT_IN_PROGRESS",
      deploymentId: "ecs-svc/123",
      updatedAt: "2020-05-23T11:11:11.000Z",
    });
  });

  it("reads an alarm state change (timestamps inside state use +0000, which is not parsed)", () => {
    expect(parsedOf(exampleEvent("cloudwatch-alarm-state-change"))).toMatchObject({
      kind: "alarm",
      alarmName: "ServerCpuTooHigh",
      state: "ALARM",
      previousState: "OK",
    });
  });
});

describe("parseEvent tolerance", () => {
  it("returns unknown for a detail-type it does not handle", () => {
    expect(parsedOf({ "detail-type": "ECS Container Instance State Change", detail: {} })).toEqual({
      kind: "unknown",
      detailType: "ECS Container Instance State Change",
    });
  });

  it("ignores fields AWS may add", () => {
    const event = exampleEvent("ecs-deployment-state-change-in-progress");
    event.detail.somethingNew = { nested: [1, 2] };
    event.newTopLevel = true;
    expect(parsedOf(event).kind).toBe("deployment");
  });

  it.each([
    ["null", null, "$"],
    ["an array", [], "$"],
    ["an event without detail-type", { detail: {} }, "detail-type"],
    ["a task event without lastStatus", { "detail-type": "ECS Task State Change", detail: {} }, "detail.lastStatus"],
    ["a task event with a string version", { "detail-type": "ECS Task State Change", detail: { lastStatus: "RUNNING", version: "4" } }, "detail.version"],
    ["a task event with a bad timestamp", { "detail-type": "ECS Task State Change", detail: { lastStatus: "RUNNING", startedAt: "yesterday" } }, "detail.startedAt"],
    ["a service action without resources", { "detail-type": "ECS Service Action", detail: { eventName: "X" } }, "resources"],
    ["a service action on a non-service ARN", { "detail-type": "ECS Service Action", resources: ["arn:aws:ecs:r:1:cluster/c"], detail: { eventName: "X" } }, "resources[0]"],
    ["an alarm event without alarmName", { "detail-type": "CloudWatch Alarm State Change", detail: {} }, "detail.alarmName"],
  ])("rejects %s, naming %s", (_name, raw, path) => {
    const result = parseEvent(raw);
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.problems.map((p) => p.path)).toContain(path);
  });
});

describe("serviceFromArn", () => {
  it.each([
    ["arn:aws:ecs:us-west-2:1:service/default/servicetest", undefined, { cluster: "default", service: "servicetest" }],
    ["arn:aws:ecs:us-west-2:1:service/servicetest", "arn:aws:ecs:us-west-2:1:cluster/prod", { cluster: "prod", service: "servicetest" }],
    ["arn:aws:ecs:us-west-2:1:service/servicetest", undefined, { service: "servicetest" }],
    ["arn:aws:ecs:us-west-2:1:task/c/abc", undefined, undefined],
  ])("%s → %j", (arn, clusterArn, expected) => {
    expect(serviceFromArn(arn, clusterArn)).toEqual(expected);
  });
});
