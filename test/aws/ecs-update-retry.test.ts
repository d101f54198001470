/**
 * UpdateService across lost responses and throttling: the adapter's one explicit retry, of a throttled
 * call only (budget-paced); after a failure that may have applied, DescribeServices and never a second
 * call (the first may land later); when it landed, and which failures may have changed the count. ECS mocked with
 * aws-sdk-client-mock; time virtual.
 */
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EcsServices } from "../../shared/aws/ecs-services.ts";
import { localUpdateBudget } from "../../shared/aws/update-budget.ts";
import { PortError } from "../../shared/ports/failure.ts";
import { mayHaveApplied } from "../../shared/ports/services.ts";
import { serverError, throttling } from "./sdk-errors.ts";
import { virtualClock } from "./virtual-clock.ts";

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: "eu-west-1" });
beforeEach(() => ecsMock.reset());
afterEach(() => ecsMock.reset());

const ref = { cluster: "prod", service: "worker" };
const start = new Date("2026-03-02T12:00:00Z");

/** An ACTIVE service whose desired count DescribeServices reports as `desiredCount`. */
function describes(desiredCount: number): void {
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: "worker", status: "ACTIVE", desiredCount, runningCount: 2, pendingCount: 0, deployments: [] }],
    failures: [],
  });
}

const timeout = () => Object.assign(new Error("Request timed out"), { name: "TimeoutError" });
const denied = () => Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 400 } });
const invalid = () => Object.assign(new Error("desiredCount too large"), { name: "InvalidParameterException", $fault: "client", $metadata: { httpStatusCode: 400 } });

/** An adapter on a 1-per-second local budget (burst 1) in virtual time, and the UpdateService inputs it sent. */
function adapter() {
  const clock = virtualClock(start);
  const services = new EcsServices(ecs, { clock, budget: localUpdateBudget(1, 1, clock) });
  return { clock, services, updates: () => ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input) };
}

describe("UpdateService: one decision, at most one change", () => {
  it("resolves with the time it landed", async () => {
    // Prepare
    const { services, clock } = adapter();
    ecsMock.on(UpdateServiceCommand).callsFake(async () => {
      await clock.sleep(120);
      return {};
    });
    // Act
    const landed = await services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    expect(landed).toEqual(new Date("2026-03-02T12:00:00.120Z"));
  });

  it.each([
    { name: "a 5xx", error: serverError() },
    { name: "a timeout", error: timeout() },
  ])("$name whose update ECS applied (DescribeServices shows it): no second UpdateService, it landed", async ({ error }) => {
    // Prepare
    const { services, updates } = adapter();
    ecsMock.on(UpdateServiceCommand).rejects(error);
    describes(5);
    // Act
    const landed = await services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    expect(updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 5 }]);
    expect(landed).toBeInstanceOf(Date);
  });

  it.each([
    { name: "a 5xx", error: serverError() },
    { name: "a timeout", error: timeout() },
    { name: "a reset connection", error: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) },
  ])("$name, DescribeServices still at the old count: not sent again (the call may land later), thrown as transient", async ({ error }) => {
    // Prepare: ECS applies the call a while after its response was lost, or the describe is stale.
    const { services, updates } = adapter();
    ecsMock.on(UpdateServiceCommand).rejectsOnce(error).resolves({});
    describes(2);
    // Act
    const updating = services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    await expect(updating).rejects.toMatchObject({ failure: { kind: "transient" } });
    expect(updates()).toEqual([{ cluster: "prod", service: "worker", desiredCount: 5 }]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  it("a 5xx and DescribeServices failing too: not sent again (it may have applied), thrown as transient", async () => {
    // Prepare
    const { services, updates } = adapter();
    ecsMock.on(UpdateServiceCommand).rejects(serverError());
    ecsMock.on(DescribeServicesCommand).rejects(serverError());
    // Act
    const updating = services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    await expect(updating).rejects.toMatchObject({ failure: { kind: "transient" } });
    expect(updates()).toHaveLength(1);
  });

  it("throttled: sent once more without a describe (ECS refused it), budget-paced", async () => {
    // Prepare
    const { services, updates, clock } = adapter();
    ecsMock.on(UpdateServiceCommand).rejectsOnce(throttling()).resolves({});
    // Act
    await services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    expect(updates()).toHaveLength(2);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(clock.elapsedMs()).toBe(1000);
  });

  it.each([
    { name: "throttled twice", errors: [throttling(), throttling()], calls: 2, kind: "throttled" },
    { name: "throttled, then a timeout", errors: [throttling(), timeout()], calls: 2, kind: "transient" },
    { name: "access denied", errors: [denied()], calls: 1, kind: "denied" },
    { name: "a validation error", errors: [invalid()], calls: 1, kind: "invalid" },
  ])("$name: $calls call(s), then a $kind PortError", async ({ errors, calls, kind }) => {
    // Prepare
    const { services, updates } = adapter();
    let mock = ecsMock.on(UpdateServiceCommand);
    for (const error of errors) mock = mock.rejectsOnce(error);
    describes(2);
    // Act
    const updating = services.setDesiredCount(ref, 5, { need: 3 });
    // Assess
    await expect(updating).rejects.toBeInstanceOf(PortError);
    await expect(updating).rejects.toMatchObject({ failure: { kind } });
    expect(updates()).toHaveLength(calls);
  });

  it("throttled, and no call free for the retry before `by`: one call, throttled", async () => {
    // Prepare
    const { services, updates } = adapter();
    ecsMock.on(UpdateServiceCommand).rejects(throttling());
    // Act: the budget's next call is a second away, `by` half a second.
    const updating = services.setDesiredCount(ref, 5, { need: 3, by: new Date("2026-03-02T12:00:00.500Z") });
    // Assess
    await expect(updating).rejects.toMatchObject({ failure: { kind: "throttled" } });
    expect(updates()).toHaveLength(1);
  });

  it("no call free before `by`: nothing sent, a throttled PortError saying so", async () => {
    // Prepare
    const { services, updates } = adapter();
    ecsMock.on(UpdateServiceCommand).resolves({});
    await services.setDesiredCount({ cluster: "prod", service: "other" }, 1);
    ecsMock.resetHistory();
    // Act
    const updating = services.setDesiredCount(ref, 5, { need: 3, by: new Date("2026-03-02T12:00:00.500Z") });
    // Assess
    await expect(updating).rejects.toMatchObject({
      failure: { kind: "throttled", message: "UpdateService budget: no call free for prod/worker before 2026-03-02T12:00:00.500Z, not sent" },
    });
    expect(updates()).toHaveLength(0);
  });

  it("a slot granted only after `by` (its table call was slow) is not used: nothing sent", async () => {
    // Prepare
    const clock = virtualClock(start);
    const slowBudget = {
      take: async () => {
        await clock.sleep(800);
        return true;
      },
    };
    const services = new EcsServices(ecs, { clock, budget: slowBudget });
    ecsMock.on(UpdateServiceCommand).resolves({});
    // Act
    const updating = services.setDesiredCount(ref, 5, { need: 3, by: new Date("2026-03-02T12:00:00.500Z") });
    // Assess
    await expect(updating).rejects.toMatchObject({ failure: { kind: "throttled" } });
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it("uses the client without SDK retries for UpdateService only", async () => {
    // Prepare
    const updateClient = new ECSClient({ region: "eu-west-1", maxAttempts: 1 });
    const sentBy: unknown[] = [];
    ecsMock.on(UpdateServiceCommand).callsFake((_input, getClient) => {
      sentBy.push(getClient());
      return {};
    });
    describes(2);
    const services = new EcsServices(ecs, { updateClient, clock: virtualClock(start) });
    // Act
    await services.setDesiredCount(ref, 5);
    await services.describe([ref]);
    // Assess
    expect(sentBy).toEqual([updateClient]);
  });
});

describe("mayHaveApplied", () => {
  it.each([
    { kind: "transient", may: true },
    { kind: "throttled", may: false },
    { kind: "denied", may: false },
    { kind: "invalid", may: false },
    { kind: "notFound", may: false },
  ] as const)("$kind → $may", ({ kind, may }) => {
    expect(mayHaveApplied({ kind, message: "" })).toBe(may);
  });
});
