/**
 * ECS services adapter: DescribeServices batching and response processing, UpdateService inputs,
 * and the UpdateService limiter in virtual time. The ECS client is mocked with aws-sdk-client-mock,
 * so every command and input is asserted exactly.
 */
import { type Deployment, DescribeServicesCommand, ECSClient, type Service, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DESCRIBE_BATCH_SIZE, deploymentInProgress, EcsServices, planDescribeBatches, processDescribeOutput } from "../../shared/aws/ecs-services.ts";
import { PortError } from "../../shared/ports/failure.ts";
import type { ServiceRef } from "../../shared/ports/services.ts";
import { ecsServerException, serverError, throttling } from "./sdk-errors.ts";
import { virtualClock } from "./virtual-clock.ts";

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: "eu-west-1" });
beforeEach(() => ecsMock.reset());
afterEach(() => ecsMock.reset());

/** An ACTIVE service as DescribeServices returns it. */
function activeService(cluster: string, name: string, counts: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/${cluster}/${name}`,
    clusterArn: `arn:aws:ecs:eu-west-1:123456789012:cluster/${cluster}`,
    status: "ACTIVE",
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    deployments: [{ id: "ecs-svc/1", status: "PRIMARY", rolloutState: "COMPLETED" }],
    ...counts,
  };
}

/** Answers every DescribeServices with ACTIVE services for all names asked. */
function describeEverythingActive(): void {
  ecsMock.on(DescribeServicesCommand).callsFake((input: { cluster: string; services: string[] }) => ({
    services: input.services.map((name) => activeService(input.cluster, name)),
    failures: [],
  }));
}

const refs = (cluster: string, count: number, prefix = "svc"): ServiceRef[] => Array.from({ length: count }, (_, i) => ({ cluster, service: `${prefix}-${i + 1}` }));

describe("DescribeServices batching", () => {
  it("describes 23 services in 2 clusters with 4 calls of at most 10, one cluster per call", async () => {
    // Prepare: 12 in alpha and 11 in beta, interleaved as a config might list them.
    const alpha = refs("alpha", 12);
    const beta = refs("beta", 11);
    const interleaved = Array.from({ length: 12 }, (_, i) => [alpha[i], beta[i]])
      .flat()
      .filter((r) => r !== undefined);
    describeEverythingActive();
    // Act
    const result = await new EcsServices(ecs).describe(interleaved);
    // Assess
    const calls = ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input);
    expect(calls).toStrictEqual([
      { cluster: "alpha", services: alpha.slice(0, 10).map((r) => r.service) },
      { cluster: "alpha", services: alpha.slice(10).map((r) => r.service) },
      { cluster: "beta", services: beta.slice(0, 10).map((r) => r.service) },
      { cluster: "beta", services: beta.slice(10).map((r) => r.service) },
    ]);
    expect(result.services).toHaveLength(23);
    expect(result.failures).toEqual([]);
  });

  it.each([
    { services: 0, calls: [] },
    { services: 1, calls: [1] },
    { services: 10, calls: [10] },
    { services: 11, calls: [10, 1] },
    { services: 30, calls: [10, 10, 10] },
  ])("plans $services services of one cluster as calls of $calls", ({ services, calls }) => {
    expect(planDescribeBatches(refs("c", services)).map((b) => b.refs.length)).toEqual(calls);
  });

  it("asks for a service listed twice only once", () => {
    const batches = planDescribeBatches([...refs("c", 3), ...refs("c", 3)]);
    expect(batches.map((b) => b.refs.map((r) => r.service))).toEqual([["svc-1", "svc-2", "svc-3"]]);
  });

  it("never puts more than DESCRIBE_BATCH_SIZE services in a call", () => {
    const batches = planDescribeBatches([...refs("a", 47), ...refs("b", 3), ...refs("c", 20)]);
    expect(Math.max(...batches.map((b) => b.refs.length))).toBe(DESCRIBE_BATCH_SIZE);
    expect(batches.reduce((n, b) => n + b.refs.length, 0)).toBe(70);
  });
});

describe("DescribeServices responses", () => {
  it("maps counts and refs of ACTIVE services into snapshots", async () => {
    // Prepare
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [activeService("prod", "worker", { desiredCount: 5, runningCount: 4, pendingCount: 1 })],
      failures: [],
    });
    // Act
    const result = await new EcsServices(ecs).describe([{ cluster: "prod", service: "worker" }]);
    // Assess
    expect(result).toEqual({
      services: [{ cluster: "prod", service: "worker", desiredCount: 5, runningCount: 4, pendingCount: 1, deploymentInProgress: false }],
      failures: [],
    });
  });

  it("reports a MISSING service in failures and the others as snapshots", async () => {
    // Prepare
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [activeService("prod", "worker")],
      failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/gone", reason: "MISSING" }],
    });
    // Act
    const result = await new EcsServices(ecs).describe([
      { cluster: "prod", service: "worker" },
      { cluster: "prod", service: "gone" },
    ]);
    // Assess
    expect(result.services.map((s) => s.service)).toEqual(["worker"]);
    expect(result.failures).toEqual([{ ref: { cluster: "prod", service: "gone" }, failure: { kind: "notFound", message: "MISSING" }, callFailed: false }]);
  });

  it.each(["INACTIVE", "DRAINING"])("reports a %s service as a failure: it cannot be scaled", (status) => {
    const batch = { cluster: "prod", refs: [{ cluster: "prod", service: "old" }] };
    const result = processDescribeOutput(batch, { services: [activeService("prod", "old", { status })], failures: [] });
    expect(result).toEqual({ services: [], failures: [{ ref: { cluster: "prod", service: "old" }, failure: { kind: "notFound", message: status }, callFailed: false }] });
  });

  it("reports a service missing from both services[] and failures[] instead of dropping it", () => {
    const batch = { cluster: "prod", refs: [{ cluster: "prod", service: "ghost" }] };
    expect(processDescribeOutput(batch, { services: [], failures: [] }).failures).toEqual([
      { ref: { cluster: "prod", service: "ghost" }, failure: { kind: "notFound", message: "not in the DescribeServices response" }, callFailed: false },
    ]);
  });

  it("reports a service without counts instead of inventing zeros", () => {
    const batch = { cluster: "prod", refs: [{ cluster: "prod", service: "odd" }] };
    const result = processDescribeOutput(batch, { services: [activeService("prod", "odd", { runningCount: undefined })] });
    expect(result.failures[0]?.failure).toMatchObject({ kind: "invalid", message: expect.stringMatching(/no desiredCount\/runningCount\/pendingCount/) });
  });

  it("matches services named by ARN in the config to the response", () => {
    const arn = "arn:aws:ecs:eu-west-1:123456789012:service/prod/worker";
    const batch = { cluster: "prod", refs: [{ cluster: "prod", service: arn }] };
    const result = processDescribeOutput(batch, { services: [activeService("prod", "worker")] });
    expect(result.services).toMatchObject([{ cluster: "prod", service: arn }]);
  });

  it("adds ECS's failure detail to the reason", () => {
    const batch = { cluster: "prod", refs: [{ cluster: "prod", service: "x" }] };
    const result = processDescribeOutput(batch, {
      failures: [{ arn: "arn:aws:ecs:eu-west-1:1:service/prod/x", reason: "MISSING", detail: "service not found" }],
    });
    expect(result.failures[0]?.failure.message).toBe("MISSING: service not found");
  });
});

describe("deployment in progress", () => {
  const cases: { name: string; deployments: Deployment[] | undefined; inProgress: boolean }[] = [
    { name: "no deployments listed", deployments: undefined, inProgress: false },
    { name: "a completed PRIMARY deployment", deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }], inProgress: false },
    { name: "a PRIMARY deployment rolling out", deployments: [{ status: "PRIMARY", rolloutState: "IN_PROGRESS" }], inProgress: true },
    { name: "a failed PRIMARY deployment", deployments: [{ status: "PRIMARY", rolloutState: "FAILED" }], inProgress: false },
    {
      name: "an old ACTIVE deployment still draining beside the PRIMARY",
      deployments: [{ status: "PRIMARY" }, { status: "ACTIVE" }],
      inProgress: true,
    },
    {
      name: "an INACTIVE old deployment",
      deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }, { status: "INACTIVE" }],
      inProgress: false,
    },
  ];
  it.each(cases)("$name → $inProgress", ({ deployments, inProgress }) => {
    expect(deploymentInProgress(deployments)).toBe(inProgress);
  });

  it("carries the hold into the snapshot", async () => {
    // Prepare
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [activeService("prod", "web", { deployments: [{ status: "PRIMARY", rolloutState: "IN_PROGRESS" }] })],
    });
    // Act
    const result = await new EcsServices(ecs).describe([{ cluster: "prod", service: "web" }]);
    // Assess
    expect(result.services[0]?.deploymentInProgress).toBe(true);
  });
});

describe("DescribeServices errors", () => {
  it.each([
    { kind: "throttling", error: throttling(), failureKind: "throttled", reason: "ThrottlingException: Rate exceeded" },
    { kind: "a 5xx", error: ecsServerException(), failureKind: "transient", reason: "ServerException (HTTP 500): Service unavailable" },
  ])("reports every service of a batch that failed with $kind as a failed call, classified; other batches still count", async ({ error, failureKind, reason }) => {
    // Prepare
    ecsMock.on(DescribeServicesCommand).callsFake((input: { cluster: string; services: string[] }) => {
      if (input.cluster === "flaky") throw error;
      return { services: input.services.map((name) => activeService(input.cluster, name)) };
    });
    // Act
    const result = await new EcsServices(ecs).describe([...refs("flaky", 2), ...refs("fine", 3)]);
    // Assess
    expect(result.services.map((s) => `${s.cluster}/${s.service}`)).toEqual(["fine/svc-1", "fine/svc-2", "fine/svc-3"]);
    expect(result.failures).toEqual([
      { ref: { cluster: "flaky", service: "svc-1" }, failure: { kind: failureKind, message: reason, cause: error }, callFailed: true },
      { ref: { cluster: "flaky", service: "svc-2" }, failure: { kind: failureKind, message: reason, cause: error }, callFailed: true },
    ]);
  });
});

describe("UpdateService", () => {
  it("sends only cluster, service and desiredCount", async () => {
    // Prepare
    ecsMock.on(UpdateServiceCommand).resolves({});
    // Act
    await new EcsServices(ecs).setDesiredCount({ cluster: "prod", service: "worker" }, 7);
    // Assess
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toStrictEqual([{ cluster: "prod", service: "worker", desiredCount: 7 }]);
  });

  it("scales to zero with desiredCount 0", async () => {
    ecsMock.on(UpdateServiceCommand).resolves({});
    await new EcsServices(ecs).setDesiredCount({ cluster: "prod", service: "worker" }, 0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({ cluster: "prod", service: "worker", desiredCount: 0 });
  });

  it.each([-1, 2.5, Number.NaN])("refuses desiredCount %s without calling ECS", async (count) => {
    await expect(new EcsServices(ecs).setDesiredCount({ cluster: "prod", service: "worker" }, count)).rejects.toThrow(/desiredCount for prod\/worker must be an integer >= 0/);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it.each([
    { kind: "throttling", error: throttling(), failureKind: "throttled", message: "ThrottlingException: Rate exceeded" },
    { kind: "a 5xx", error: serverError(), failureKind: "transient", message: "InternalFailure (HTTP 500): We encountered an internal error." },
    {
      kind: "a service that no longer exists",
      error: Object.assign(new Error("Service not found."), { name: "ServiceNotFoundException" }),
      failureKind: "notFound",
      message: "ServiceNotFoundException: Service not found.",
    },
  ])("throws $kind as a classified PortError so the runtime can count it", async ({ error, failureKind, message }) => {
    ecsMock.on(UpdateServiceCommand).rejects(error);
    const updating = new EcsServices(ecs).setDesiredCount({ cluster: "prod", service: "worker" }, 3);
    await expect(updating).rejects.toBeInstanceOf(PortError);
    await expect(updating).rejects.toMatchObject({ failure: { kind: failureKind, message, cause: error } });
  });
});

describe("UpdateService pacing (virtual time)", () => {
  /** Calls setDesiredCount for `count` services at once; returns the virtual ms at which each UpdateService went out. */
  async function burstOfUpdates(services: EcsServices, clock: ReturnType<typeof virtualClock>, count: number): Promise<{ ms: number; service: string }[]> {
    const sent: { ms: number; service: string }[] = [];
    ecsMock.on(UpdateServiceCommand).callsFake((input: { service: string }) => {
      sent.push({ ms: clock.elapsedMs(), service: input.service });
      return {};
    });
    await Promise.all(refs("prod", count).map((ref, i) => services.setDesiredCount(ref, i + 1)));
    return sent;
  }

  it("by default lets 10 go at once, then 2 per second, in the order asked", async () => {
    // Prepare
    const clock = virtualClock();
    const services = new EcsServices(ecs, { clock });
    // Act
    const sent = await burstOfUpdates(services, clock, 16);
    // Assess
    expect(sent.map((s) => s.ms)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000]);
    expect(sent.map((s) => s.service)).toEqual(refs("prod", 16).map((r) => r.service));
  });

  it("never exceeds the configured rate in any window once the burst is spent", async () => {
    // Prepare
    const clock = virtualClock();
    const services = new EcsServices(ecs, { clock, updatesPerSecond: 5, updateBurst: 5 });
    // Act
    const sent = await burstOfUpdates(services, clock, 60);
    // Assess: any 1-second window holds at most burst + rate calls, and the whole run takes (60 − 5) / 5 s.
    const times = sent.map((s) => s.ms);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
    expect(times.at(-1)).toBe(11_000);
  });

  it("refills only up to the burst after a quiet period", async () => {
    // Prepare
    const clock = virtualClock();
    const services = new EcsServices(ecs, { clock, updatesPerSecond: 2, updateBurst: 3 });
    await burstOfUpdates(services, clock, 3);
    await clock.sleep(60_000);
    ecsMock.reset();
    const start = clock.elapsedMs();
    // Act
    const sent = await burstOfUpdates(services, clock, 5);
    // Assess
    expect(sent.map((s) => s.ms - start)).toEqual([0, 0, 0, 500, 1000]);
  });

  it("does not spend a token on a refused desiredCount", async () => {
    // Prepare
    const clock = virtualClock();
    const services = new EcsServices(ecs, { clock, updatesPerSecond: 1, updateBurst: 1 });
    ecsMock.on(UpdateServiceCommand).resolves({});
    // Act
    await expect(services.setDesiredCount({ cluster: "c", service: "s" }, -1)).rejects.toThrow();
    await services.setDesiredCount({ cluster: "c", service: "s" }, 1);
    // Assess
    expect(clock.elapsedMs()).toBe(0);
  });
});
