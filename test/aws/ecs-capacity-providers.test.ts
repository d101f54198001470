/**
 * Capacity providers: DescribeCapacityProviders to read managed scaling, UpdateCapacityProvider only
 * where it differs (sending the full managedScaling back), one per second at most (virtual time).
 */
import { type CapacityProvider, DescribeCapacityProvidersCommand, ECSClient, type ManagedScaling, UpdateCapacityProviderCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EcsCapacityProviders, managedScalingUpdate, settingsProblems } from "../../shared/aws/ecs-capacity-providers.ts";
import { serverError, throttling } from "./sdk-errors.ts";
import { virtualClock } from "./virtual-clock.ts";

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: "eu-west-1" });
beforeEach(() => ecsMock.reset());
afterEach(() => ecsMock.reset());

const current: ManagedScaling = {
  status: "ENABLED",
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
  instanceWarmupPeriod: 180,
};

function asgProvider(name: string, managedScaling: ManagedScaling = current): CapacityProvider {
  return {
    name,
    capacityProviderArn: `arn:aws:ecs:eu-west-1:123456789012:capacity-provider/${name}`,
    status: "ACTIVE",
    autoScalingGroupProvider: {
      autoScalingGroupArn: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${name}`,
      managedScaling,
      managedTerminationProtection: "ENABLED",
    },
  };
}

describe("EcsCapacityProviders.apply", () => {
  it("updates a provider whose settings differ, sending the whole managedScaling back", async () => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [asgProvider("ec2-main")], failures: [] });
    ecsMock.on(UpdateCapacityProviderCommand).resolves({});
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([{ name: "ec2-main", settings: { targetCapacity: 90, minimumScalingStepSize: 2 } }]);
    // Assess
    expect(ecsMock.commandCalls(DescribeCapacityProvidersCommand).map((c) => c.args[0].input)).toStrictEqual([{ capacityProviders: ["ec2-main"] }]);
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        name: "ec2-main",
        autoScalingGroupProvider: {
          managedScaling: {
            status: "ENABLED",
            targetCapacity: 90,
            minimumScalingStepSize: 2,
            maximumScalingStepSize: 10000,
            instanceWarmupPeriod: 180,
          },
        },
      },
    ]);
    expect(outcomes).toEqual([{ name: "ec2-main", result: "updated" }]);
  });

  it("does not call UpdateCapacityProvider when the settings already match", async () => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [asgProvider("ec2-main")] });
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([{ name: "ec2-main", settings: { targetCapacity: 100, maximumScalingStepSize: 10000 } }]);
    // Assess
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
    expect(outcomes).toEqual([{ name: "ec2-main", result: "unchanged" }]);
  });

  it("spaces updates at least one second apart and describes all providers in one call", async () => {
    // Prepare
    const clock = virtualClock();
    const names = ["cp-1", "cp-2", "cp-3", "cp-4"];
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: names.map((n) => asgProvider(n)) });
    const sentAt: number[] = [];
    ecsMock.on(UpdateCapacityProviderCommand).callsFake(() => {
      sentAt.push(clock.elapsedMs());
      return {};
    });
    // Act
    await new EcsCapacityProviders(ecs, { clock }).apply(names.map((name) => ({ name, settings: { targetCapacity: 80 } })));
    // Assess
    expect(ecsMock.commandCalls(DescribeCapacityProvidersCommand)).toHaveLength(1);
    expect(sentAt).toEqual([0, 1000, 2000, 3000]);
  });

  it("reports providers it cannot change and still updates the others", async () => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [asgProvider("ok"), { name: "FARGATE", status: "ACTIVE" }, asgProvider("off", { ...current, status: "DISABLED" }), { ...asgProvider("old"), status: "INACTIVE" }],
      failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:capacity-provider/gone", reason: "MISSING" }],
    });
    ecsMock.on(UpdateCapacityProviderCommand).resolves({});
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply(["ok", "FARGATE", "off", "old", "gone"].map((name) => ({ name, settings: { targetCapacity: 75 } })));
    // Assess
    expect(outcomes).toEqual([
      { name: "ok", result: "updated" },
      { name: "FARGATE", result: "failed", reason: "not an Auto Scaling group capacity provider with managed scaling" },
      { name: "off", result: "failed", reason: "managed scaling is DISABLED on this provider" },
      { name: "old", result: "failed", reason: "provider is INACTIVE" },
      { name: "gone", result: "failed", reason: "MISSING" },
    ]);
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand).map((c) => c.args[0].input.name)).toEqual(["ok"]);
  });

  it("refuses out-of-range settings without calling UpdateCapacityProvider, naming the field", async () => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [asgProvider("cp")] });
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([{ name: "cp", settings: { targetCapacity: 0 } }]);
    // Assess
    expect(outcomes).toEqual([{ name: "cp", result: "failed", reason: "settings.targetCapacity: must be an integer from 1 to 100, got 0" }]);
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
  });

  it("refuses a minimum step above the provider's maximum step, which ECS would reject", async () => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [asgProvider("cp", { ...current, maximumScalingStepSize: 3 })] });
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([{ name: "cp", settings: { targetCapacity: 90, minimumScalingStepSize: 5 } }]);
    // Assess
    expect(outcomes).toEqual([{ name: "cp", result: "failed", reason: "minimumScalingStepSize 5 would be above maximumScalingStepSize 3" }]);
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
  });

  it.each([
    { kind: "throttling", error: throttling(), failureKind: "throttled", reason: "ThrottlingException: Rate exceeded" },
    { kind: "a 5xx", error: serverError(), failureKind: "transient", reason: "InternalFailure (HTTP 500): We encountered an internal error." },
  ])("reports $kind from UpdateCapacityProvider, classified, and goes on", async ({ error, failureKind, reason }) => {
    // Prepare
    ecsMock.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [asgProvider("a"), asgProvider("b")] });
    ecsMock.on(UpdateCapacityProviderCommand, { name: "a" }).rejects(error).on(UpdateCapacityProviderCommand, { name: "b" }).resolves({});
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([
      { name: "a", settings: { targetCapacity: 50 } },
      { name: "b", settings: { targetCapacity: 50 } },
    ]);
    // Assess
    expect(outcomes).toEqual([
      { name: "a", result: "failed", reason, failure: { kind: failureKind, message: reason, cause: error } },
      { name: "b", result: "updated" },
    ]);
  });

  it("reports every provider as failed with the error when DescribeCapacityProviders fails", async () => {
    // Prepare
    const error = throttling();
    ecsMock.on(DescribeCapacityProvidersCommand).rejects(error);
    // Act
    const outcomes = await new EcsCapacityProviders(ecs, { clock: virtualClock() }).apply([{ name: "a", settings: { targetCapacity: 50 } }]);
    // Assess
    const reason = "ThrottlingException: Rate exceeded";
    expect(outcomes).toEqual([{ name: "a", result: "failed", reason, failure: { kind: "throttled", message: reason, cause: error } }]);
    expect(ecsMock.commandCalls(UpdateCapacityProviderCommand)).toHaveLength(0);
  });
});

describe("managed scaling diff", () => {
  it.each([
    { name: "same target, steps unset", wanted: { targetCapacity: 100 }, changes: false },
    { name: "new target", wanted: { targetCapacity: 90 }, changes: true },
    { name: "new minimum step", wanted: { targetCapacity: 100, minimumScalingStepSize: 2 }, changes: true },
    { name: "same maximum step", wanted: { targetCapacity: 100, maximumScalingStepSize: 10000 }, changes: false },
  ])("$name → changes: $changes", ({ wanted, changes }) => {
    expect(managedScalingUpdate(current, wanted) !== undefined).toBe(changes);
  });

  it("compares with ECS's defaults when the provider omits a field", () => {
    expect(managedScalingUpdate({ status: "ENABLED" }, { targetCapacity: 100, minimumScalingStepSize: 1 })).toBeUndefined();
    expect(managedScalingUpdate({ status: "ENABLED" }, { targetCapacity: 90 })).toEqual({
      status: "ENABLED",
      targetCapacity: 90,
      minimumScalingStepSize: 1,
      maximumScalingStepSize: 10000,
    });
  });

  it.each([
    { settings: { targetCapacity: 101 }, problem: "settings.targetCapacity: must be an integer from 1 to 100, got 101" },
    { settings: { targetCapacity: 50, minimumScalingStepSize: 0 }, problem: "settings.minimumScalingStepSize: must be an integer from 1 to 10000, got 0" },
    { settings: { targetCapacity: 50, maximumScalingStepSize: 1.5 }, problem: "settings.maximumScalingStepSize: must be an integer from 1 to 10000, got 1.5" },
  ])("names the bad field of $settings", ({ settings, problem }) => {
    expect(settingsProblems(settings)).toEqual([problem]);
  });
});
