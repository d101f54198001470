/** The runtime's additions to the config file: Spot fallback, crash-loop guard, alarms, capacity providers. */
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../shared/config/config-file.ts";

const policy = {
  maxTasks: 10,
  triggers: [{ type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" }],
};
const service = (extra: Record<string, unknown> = {}) => ({
  cluster: "c",
  service: "worker",
  policy,
  ...extra,
});

function problems(value: unknown) {
  return checkConfig(value).problems.map((p) => `${p.path}: ${p.message}`);
}

describe("runtime settings in the config file", () => {
  it("defaults the crash-loop guard, alarms and capacity providers when absent", () => {
    const { config } = checkConfig({ services: [service()] });
    expect(config?.services[0]?.crashLoopGuard).toEqual({
      maxFailures: 3,
      windowSeconds: 600,
      margin: 1,
      minUptimeSeconds: 60,
    });
    expect(config?.services[0]?.alarms).toEqual([]);
    expect(config?.services[0]?.spotFallback).toBeUndefined();
    expect(config?.capacityProviders).toEqual([]);
  });

  it("defaults the Spot fallback cool-off to 300 s", () => {
    const { config } = checkConfig({
      services: [service({ spotFallback: { onDemandService: "worker-od" } })],
    });
    expect(config?.services[0]?.spotFallback).toEqual({ onDemandService: "worker-od", coolOffSeconds: 300 });
  });

  it.each([
    ["an unknown key in spotFallback", { services: [service({ spotFallback: { onDemandService: "od", coolOff: 5 } })] }, 'services[0].spotFallback: unknown key "coolOff"'],
    ["a sibling that is the Spot service itself", { services: [service({ spotFallback: { onDemandService: "worker" } })] }, "services[0].spotFallback.onDemandService: must name a different service"],
    [
      "a sibling that is also a scaled service",
      {
        services: [service({ spotFallback: { onDemandService: "od" } }), { cluster: "c", service: "od", policy }],
      },
      "services[0].spotFallback.onDemandService: c/od is configured as a scaled service at services[1]",
    ],
    [
      "one sibling shared by two Spot services",
      {
        services: [service({ spotFallback: { onDemandService: "od" } }), { cluster: "c", service: "w2", policy, spotFallback: { onDemandService: "od" } }],
      },
      "services[1].spotFallback.onDemandService: c/od is already the on-demand sibling of services[0]",
    ],
    ["an empty alarm name", { services: [service({ alarms: [""] })] }, "services[0].alarms[0]:"],
    ["a crash-loop window under a minute", { services: [service({ crashLoopGuard: { windowSeconds: 5 } })] }, "services[0].crashLoopGuard.windowSeconds:"],
    [
      "a capacity provider without a baseline targetCapacity",
      { services: [service()], capacityProviders: [{ name: "cp", managedScaling: {} }] },
      "capacityProviders[0].managedScaling.targetCapacity:",
    ],
    [
      "a window without settings",
      {
        services: [service()],
        capacityProviders: [{ name: "cp", managedScaling: { targetCapacity: 90 }, schedules: [{ name: "w", start: "0 8 * * *", end: "0 9 * * *", managedScaling: {} }] }],
      },
      "capacityProviders[0].schedules[0].managedScaling: set at least one of",
    ],
    ["targetCapacity above 100", { services: [service()], capacityProviders: [{ name: "cp", managedScaling: { targetCapacity: 101 } }] }, "capacityProviders[0].managedScaling.targetCapacity:"],
    [
      "FARGATE_SPOT as a capacity provider to tune",
      {
        services: [service()],
        capacityProviders: [{ name: "FARGATE_SPOT", managedScaling: { targetCapacity: 90 } }],
      },
      "capacityProviders[0].name: FARGATE_SPOT has no managed scaling to set",
    ],
    [
      "a window whose step sizes cross the baseline's",
      {
        services: [service()],
        capacityProviders: [
          {
            name: "cp",
            managedScaling: { targetCapacity: 100, maximumScalingStepSize: 5 },
            schedules: [
              {
                name: "day",
                start: "0 8 * * *",
                end: "0 20 * * *",
                managedScaling: { minimumScalingStepSize: 10 },
              },
            ],
          },
        ],
      },
      'capacityProviders[0].schedules[0].managedScaling: inside "day" minimumScalingStepSize 10 would be above maximumScalingStepSize 5',
    ],
    [
      "a bad cron and time zone in a window",
      {
        services: [service()],
        capacityProviders: [
          {
            name: "cp",
            managedScaling: { targetCapacity: 100 },
            schedules: [
              {
                name: "n",
                start: "0 8 * *",
                end: "0 20 * * *",
                timezone: "Mars/Base",
                managedScaling: { targetCapacity: 80 },
              },
            ],
          },
        ],
      },
      "capacityProviders[0].schedules[0].start: expected 5 cron fields",
    ],
    [
      "the same capacity provider twice",
      {
        services: [service()],
        capacityProviders: [
          { name: "cp", managedScaling: { targetCapacity: 100 } },
          { name: "cp", managedScaling: { targetCapacity: 90 } },
        ],
      },
      "capacityProviders[1].name: cp is already configured at capacityProviders[0]",
    ],
  ])("rejects %s, naming the path", (_name, value, expected) => {
    expect(problems(value).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("lists every problem at once", () => {
    const found = problems({
      services: [
        service({
          alarms: [""],
          crashLoopGuard: { margin: -1 },
          spotFallback: { onDemandService: "worker" },
        }),
      ],
      capacityProviders: [{ name: "FARGATE", managedScaling: { targetCapacity: 0 } }],
    });
    expect(found.length).toBeGreaterThanOrEqual(4);
  });
});
