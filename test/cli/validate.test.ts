/** `ecs-autoscaler validate` and the checked-in JSON Schema, through the real command. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../shared/config/json-schema.ts";
import { runCli } from "./run-cli.ts";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "validate-")), "config.yaml");
  writeFileSync(path, text);
  return path;
}

describe("ecs-autoscaler validate", () => {
  it("the commented example config is valid: exit 0", () => {
    const { status, stdout } = runCli(["validate", "config/example.yaml"]);
    expect(status).toBe(0);
    expect(stdout).toContain("is valid: 2 service(s) + 1 on-demand sibling(s), 2 trigger(s)");
  });

  it("prints each problem with its path and exits 2", () => {
    const path = file(`
services:
  - cluster: prod
    service: worker
    policy:
      minTasks: 5
      maxTasks: 2
      triggers:
        - type: sqs
          queueUrl: https://sqs.eu-west-1.amazonaws.com/123456789012
          targetBacklogPerTask: 0
      schedules:
        - { name: nights, start: "0 25 * * *", end: "0 6 * * *", timezone: Mars/Olympus, maxTasks: 0 }
      colour: blue
`);
    const { status, stdout, stderr } = runCli(["validate", path]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    for (const expected of [
      "services[0].policy.triggers[0].queueUrl: cannot get the queue name",
      "services[0].policy.triggers[0].targetBacklogPerTask: ",
      "services[0].policy.schedules[0].start: invalid cron",
      'services[0].policy.schedules[0].timezone: unknown IANA time zone "Mars/Olympus"',
      'services[0].policy: unknown key "colour"',
    ]) {
      expect(stderr).toContain(expected);
    }
  });

  it("bounds are checked after the fields: minTasks above maxTasks", () => {
    const path = file(`
services:
  - cluster: prod
    service: worker
    policy: { minTasks: 5, maxTasks: 2, triggers: [{ type: sqs, queueUrl: "https://sqs.eu-west-1.amazonaws.com/1/q" }] }
`);
    const { status, stderr } = runCli(["validate", path]);
    expect(status).toBe(2);
    expect(stderr).toContain("services[0].policy.minTasks: minTasks 5 is above maxTasks 2");
  });

  it("a YAML syntax error names its line", () => {
    const { status, stderr } = runCli(["validate", file("services:\n  - cluster: [prod\n")]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/line \d+, column \d+/);
  });

  it("a missing file exits 2 with a message", () => {
    const { status, stderr } = runCli(["validate", "/nonexistent/config.yaml"]);
    expect(status).toBe(2);
    expect(stderr).toContain("no such file");
  });

  it("the checked-in JSON Schema is the one the zod schema generates (npm run schema)", () => {
    const checkedIn = JSON.parse(readFileSync("config/ecs-autoscaler.schema.json", "utf8"));
    expect(checkedIn).toEqual(configJsonSchema());
  });
});

describe("config reference", () => {
  it("docs/config-reference.md is the one the schema generates (npm run docs:config)", async () => {
    const { renderConfigReference } = await import("../../shared/config/reference-doc.ts");
    expect(readFileSync("docs/config-reference.md", "utf8")).toBe(renderConfigReference());
  });
});
