/** Capacity-provider settings per schedule window: the baseline, the window in force on top, DST-correct. */
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../shared/config/config-file.ts";
import { capacityTargets } from "../../shared/runtime/capacity-schedule.ts";

const { config } = checkConfig({
  services: [{ cluster: "c", service: "s", policy: { maxTasks: 2, triggers: [{ type: "metric", metric: { namespace: "N", name: "M" }, target: 1 }] } }],
  capacityProviders: [
    {
      name: "ec2-cp",
      managedScaling: { targetCapacity: 100, maximumScalingStepSize: 5 },
      schedules: [
        { name: "business hours", start: "0 8 * * 1-5", end: "0 18 * * 1-5", timezone: "Europe/Berlin", managedScaling: { targetCapacity: 80 } },
        { name: "launch", start: "0 9 2 3 *", end: "0 11 2 3 *", timezone: "Europe/Berlin", managedScaling: { targetCapacity: 60, minimumScalingStepSize: 2 } },
      ],
    },
  ],
});

describe("capacityTargets", () => {
  it.each([
    ["outside every window: the baseline", "2026-03-01T12:00:00Z", { targetCapacity: 100, maximumScalingStepSize: 5 }, undefined],
    ["inside business hours (Berlin, UTC+1 in March)", "2026-03-03T07:30:00Z", { targetCapacity: 80, maximumScalingStepSize: 5 }, "business hours"],
    ["before business hours open in Berlin", "2026-03-03T06:30:00Z", { targetCapacity: 100, maximumScalingStepSize: 5 }, undefined],
    ["overlapping windows: the most recently opened wins", "2026-03-02T09:30:00Z", { targetCapacity: 60, minimumScalingStepSize: 2, maximumScalingStepSize: 5 }, "launch"],
    ["inside summer business hours (UTC+2)", "2026-07-01T06:30:00Z", { targetCapacity: 80, maximumScalingStepSize: 5 }, "business hours"],
  ])("%s", (_name, now, settings, window) => {
    const [target] = capacityTargets(config!, new Date(now));
    expect(target).toEqual({ name: "ec2-cp", settings, ...(window ? { window } : {}) });
  });
});
