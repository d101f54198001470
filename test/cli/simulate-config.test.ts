/**
 * `simulate --config FILE [--service NAME]` through the real CLI: ecs-autoscaler runs the user's policy
 * (validated as the runtime validates it), the config's interval, and a bad config is refused with exit 2
 * naming the field.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "simulate-config-"));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const service = (name: string, minTasks: number) => `
  - cluster: prod
    service: ${name}
    policy:
      minTasks: ${minTasks}
      maxTasks: 80
      triggers:
        - type: sqs
          queueUrl: https://sqs.eu-west-1.amazonaws.com/123456789012/jobs
          targetWaitSeconds: 120
          secondsPerMessage: 2
`;
const run = (args: string[]) => runCli(["simulate", "--scenario", "steady", "--duration", "20m", "--policies", "ecs-autoscaler", "--no-progress", ...args]);
const ours = (json: string) => JSON.parse(readFileSync(json, "utf8")).results.find((r: { policy: string }) => r.policy === "ecs-autoscaler");

describe("simulate --config", () => {
  it("runs the user's policy: a floor of 60 tasks (above the ~40 the traffic needs) costs at least 60 tasks × 20 min", () => {
    const config = write("floor.yaml", `intervalSeconds: 15\nservices:${service("worker", 60)}`);
    const json = join(dir, "floor.json");
    const { status, stderr } = run(["--config", config, "--json", json]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const result = ours(json);
    expect(result.taskSeconds).toBeGreaterThanOrEqual(60 * 20 * 60);
    // The output says which policy ran, and the config's interval.
    const settings = JSON.parse(readFileSync(json, "utf8")).settings;
    expect(settings).toMatchObject({ ecsAutoscalerPolicy: `${config}: prod/worker`, intervalSeconds: 15 });
    // The default policy (scale to zero, no floor) costs far less on the same arrivals.
    const plain = join(dir, "plain.json");
    expect(run(["--json", plain]).status).toBe(0);
    expect(ours(plain).taskSeconds).toBeLessThan(result.taskSeconds);
  });

  it.each([
    {
      name: "a bad field: exit 2, the file and the field named",
      text: `services:\n  - cluster: prod\n    service: worker\n    policy:\n      maxTasks: -1\n      triggers: [{ type: sqs, queueUrl: "https://sqs.eu-west-1.amazonaws.com/1/q" }]\n`,
      args: [] as string[],
      message: /bad\.yaml: services\[0\]\.policy\.maxTasks: /,
    },
    {
      name: "several services and no --service: exit 2, the services listed",
      text: `services:${service("a", 0)}${service("b", 0)}`,
      args: [],
      message: /--service: .* has 2 services; choose one of: prod\/a, prod\/b/,
    },
    {
      name: "an unknown --service",
      text: `services:${service("a", 0)}`,
      args: ["--service", "c"],
      message: /--service: no service "c" in .*; choose one of: prod\/a/,
    },
  ])("$name", ({ text, args, message }) => {
    const config = write("bad.yaml", text);
    const { status, stdout, stderr } = run(["--config", config, ...args]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(stdout).toBe("");
  });

  it("picks the named service of a config with several", () => {
    const config = write("two.yaml", `services:${service("a", 0)}${service("b", 55)}`);
    const json = join(dir, "two.json");
    expect(run(["--config", config, "--service", "b", "--json", json]).status).toBe(0);
    expect(ours(json).taskSeconds).toBeGreaterThanOrEqual(55 * 20 * 60);
  });

  it("--service without --config is refused", () => {
    const { status, stderr } = run(["--service", "b"]);
    expect(status).toBe(2);
    expect(stderr).toContain("--service: only with --config FILE");
  });
});
