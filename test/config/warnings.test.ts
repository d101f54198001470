/**
 * Settings that are valid one by one but contradict each other: the config loads, with a warning that
 * names both keys. Defaults never warn; only what the user wrote does.
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../shared/config/config-file.ts";
import { runCli } from "../cli/run-cli.ts";
import { writeConfig } from "../functions/lambda-harness.ts";

const trigger = { type: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" };
const weekdays = { name: "weekdays", start: "0 8 * * 1-5", end: "0 18 * * 1-5" };

function warningsFor(policy: Record<string, unknown>): string[] {
  const text = JSON.stringify({ services: [{ cluster: "prod", service: "worker", policy: { triggers: [trigger], ...policy } }] });
  const parsed = parseConfigText(text);
  if (!parsed.config) throw new Error(`fixture invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.warnings.map((w) => `${w.path}: ${w.message}`);
}

describe("contradicting settings", () => {
  it.each([
    { name: "fallback within maxTasks", policy: { maxTasks: 10, fallback: { failureThreshold: 3, tasks: 10 } }, warnings: [] },
    {
      name: "fallback above maxTasks",
      policy: { maxTasks: 10, fallback: { failureThreshold: 3, tasks: 11 } },
      warnings: ["services[0].policy.fallback.tasks: 11 is above every reachable maxTasks (services[0].policy.maxTasks 10, at most 10): the fallback can only ever run 10"],
    },
    { name: "fallback reachable in a window that raises maxTasks", policy: { maxTasks: 10, fallback: { failureThreshold: 3, tasks: 20 }, schedules: [{ ...weekdays, maxTasks: 20 }] }, warnings: [] },
    {
      name: "fallback reachable in a window whose lone minimum pulls maxTasks up",
      policy: { maxTasks: 10, fallback: { failureThreshold: 3, tasks: 15 }, schedules: [{ ...weekdays, minTasks: 15 }] },
      warnings: [],
    },
    {
      name: "fallback above every window",
      policy: { maxTasks: 10, fallback: { failureThreshold: 3, tasks: 30 }, schedules: [{ ...weekdays, maxTasks: 20 }] },
      warnings: [
        "services[0].policy.fallback.tasks: 30 is above every reachable maxTasks (services[0].policy.maxTasks 10 or in any of its 1 schedule(s), at most 20): the fallback can only ever run 20",
      ],
    },
    { name: "scaleToZero with minTasks 0", policy: { maxTasks: 10, minTasks: 0, scaleToZero: { idleSeconds: 60 } }, warnings: [] },
    {
      name: "scaleToZero with minTasks above 0",
      policy: { maxTasks: 10, minTasks: 2, scaleToZero: { idleSeconds: 60 } },
      warnings: ["services[0].policy.scaleToZero: has no effect: services[0].policy.minTasks is 2 and no schedule lowers it to 0 (set minTasks: 0 to allow scale to zero)"],
    },
    {
      name: "scaleToZero with the default minTasks (1)",
      policy: { maxTasks: 10, scaleToZero: {} },
      warnings: ["services[0].policy.scaleToZero: has no effect: services[0].policy.minTasks is 1 and no schedule lowers it to 0 (set minTasks: 0 to allow scale to zero)"],
    },
    { name: "scaleToZero reached in a window with minTasks 0", policy: { maxTasks: 10, minTasks: 2, scaleToZero: {}, schedules: [{ ...weekdays, minTasks: 0 }] }, warnings: [] },
    { name: "scaleToZero reached in a window with only maxTasks 0", policy: { maxTasks: 10, minTasks: 2, scaleToZero: {}, schedules: [{ ...weekdays, maxTasks: 0 }] }, warnings: [] },
    { name: "the scaleToZero default never warns", policy: { maxTasks: 10, minTasks: 2 }, warnings: [] },
  ])("$name", ({ policy, warnings }) => {
    expect(warningsFor(policy)).toEqual(warnings);
  });

  it("validate prints each warning naming the file and both keys, and still exits 0", () => {
    const file = writeConfig({ services: [{ cluster: "prod", service: "worker", policy: { maxTasks: 4, triggers: [trigger], fallback: { failureThreshold: 1, tasks: 9 } } }] });
    const { status, stdout, stderr } = runCli(["validate", file]);
    expect(status).toBe(0);
    expect(stdout).toContain("is valid: 1 service(s), 1 trigger(s)");
    expect(stderr).toBe(`${file}: warning: services[0].policy.fallback.tasks: 9 is above every reachable maxTasks (services[0].policy.maxTasks 4, at most 4): the fallback can only ever run 4\n`);
  });
});

describe("YAML anchors", () => {
  it("a policy shared through an anchor and an alias loads for both services", () => {
    const text = [
      "services:",
      "  - { cluster: prod, service: a, policy: &policy { maxTasks: 5, triggers: [{ type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' }] } }",
      "  - { cluster: prod, service: b, policy: *policy }",
    ].join("\n");
    const parsed = parseConfigText(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.config?.services.map((s) => s.policy.maxTasks)).toEqual([5, 5]);
  });
});
