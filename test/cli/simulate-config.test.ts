/**
 * `simulate --config FILE [--service NAME | --service-trace NAME=FILE …]` through the real CLI:
 * ecs-autoscaler runs the user's policy (validated as the runtime validates it) at the config's interval,
 * one service or every service on its own traffic, and bad input is refused with exit 2 naming it.
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
      name: "a --service-trace naming no configured service: exit 2, the services listed",
      text: `services:${service("a", 0)}${service("b", 0)}`,
      args: ["--service-trace", "c=traffic.csv"],
      message: /--service-trace: no service "c" in the config; one of: prod\/a, prod\/b/,
    },
    {
      name: "a --service-trace without a file",
      text: `services:${service("a", 0)}${service("b", 0)}`,
      args: ["--service-trace", "a"],
      message: /--service-trace: "a" is not NAME=FILE/,
    },
    {
      name: "a --service-trace whose file does not exist: the service and the file named",
      text: `services:${service("a", 0)}${service("b", 0)}`,
      args: ["--service-trace", "b=/nonexistent/traffic.csv"],
      message: /prod\/b: .*\/nonexistent\/traffic\.csv/,
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

  it("without --service, every service of the config runs on its own traffic; the account's UpdateService budget is checked over all", () => {
    const config = write("several.yaml", `intervalSeconds: 15\nservices:${service("a", 0)}${service("b", 30)}`);
    const trace = write("b-traffic.csv", `time,count\n${Array.from({ length: 20 }, (_, m) => `${m * 60},${600}`).join("\n")}\n`);
    const json = join(dir, "several.json");
    const report = join(dir, "several.html");
    const { status, stdout, stderr } = run(["--config", config, "--service-trace", `b=${trace}`, "--json", json, "--report", report]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const out = JSON.parse(readFileSync(json, "utf8"));
    expect(out.services.map((s: { service: string; traffic: string }) => [s.service, s.traffic])).toEqual([
      ["prod/a", "scenario steady"],
      ["prod/b", `trace ${trace}`],
    ]);
    const [a, b] = out.services.map((s: { output: { results: { policy: string; taskSeconds: number; updateServiceCalls: number }[]; settings: object } }) => s.output);
    expect(a.settings).toMatchObject({ ecsAutoscalerPolicy: `${config}: prod/a`, intervalSeconds: 15 });
    // b's own floor of 30 tasks ran on its own traffic.
    expect(b.results.find((r: { policy: string }) => r.policy === "ecs-autoscaler").taskSeconds).toBeGreaterThanOrEqual(30 * 20 * 60);
    const calls = [a, b].map((o) => o.results.find((r: { policy: string }) => r.policy === "ecs-autoscaler").updateServiceCalls);
    expect(out.updateServiceBudget).toMatchObject({ calls: calls[0] + calls[1], throttled: 0, bucket: { burst: 50, perSecond: 5 } });
    expect(stdout).toContain("== prod/a (scenario steady)");
    expect(stdout).toContain(`== prod/b (trace ${trace})`);
    expect(stdout).toMatch(/UpdateService, ecs-autoscaler over the 2 services: \d+ calls, at most \d+ in one second .*; 0 would be throttled/);
    for (const name of ["several-prod-a.html", "several-prod-b.html"]) expect(readFileSync(join(dir, name), "utf8")).toContain("<html");
  });

  it("--service-trace with --service is refused (the one service's traffic is --trace)", () => {
    const config = write("pick.yaml", `services:${service("a", 0)}${service("b", 0)}`);
    const { status, stderr } = run(["--config", config, "--service", "a", "--service-trace", "a=x.csv"]);
    expect(status).toBe(2);
    expect(stderr).toContain("--service-trace: with --service, give its traffic with --trace");
  });

  it("--service without --config is refused", () => {
    const { status, stderr } = run(["--service", "b"]);
    expect(status).toBe(2);
    expect(stderr).toContain("--service: only with --config FILE");
  });
});
