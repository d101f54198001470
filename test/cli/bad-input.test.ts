/**
 * Bad input to the real command: exit 2, one line on stderr in the user's words (naming the file, flag
 * or path), no stack trace, nothing on stdout.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliResult, cliEnv, runCli } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "cli-bad-input-"));
const path = (name: string) => join(dir, name);
mkdirSync(path("a-directory"));
writeFileSync(path("binary.dat"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x1b, 0x5b, 0x32, 0x4a]));
writeFileSync(path("latin1.yaml"), Buffer.from("services: caf\xe9\n", "latin1"));
writeFileSync(path("unclosed.yaml"), "services:\n  - cluster: [prod\n");
writeFileSync(path("not-json.json"), '{ "now": }');
writeFileSync(path("empty.yaml"), "\n");
// Nine levels of nine aliases each: 9^9 ≈ 387 million strings once expanded.
writeFileSync(
  path("alias-bomb.yaml"),
  ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    .concat(
      "bcdefghi".split("").map((k, i) => {
        const prev = "abcdefghi"[i];
        return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(", ")}]`;
      }),
    )
    .join("\n"),
);
const validConfig = path("valid.yaml");
writeFileSync(
  validConfig,
  "services:\n  - cluster: prod\n    service: worker\n    policy: { maxTasks: 5, triggers: [{ type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' }] }\n",
);

/** An environment with no AWS Region, no credentials and no instance metadata to fall back on. */
const noAws: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  ECS_AUTOSCALER_CACHE_DIR: cliEnv().ECS_AUTOSCALER_CACHE_DIR,
  HOME: dir,
  AWS_CONFIG_FILE: path("no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: path("no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true",
};

interface Case {
  name: string;
  args: string[];
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  message: RegExp;
}

const cases: Case[] = [
  { name: "validate: a directory", args: ["validate", path("a-directory")], message: /a-directory: is a directory, expected a config file$/ },
  { name: "validate: a missing file", args: ["validate", path("nope.yaml")], message: /nope\.yaml: no such file$/ },
  { name: "validate: a path under a file", args: ["validate", join(validConfig, "x.yaml")], message: /x\.yaml: a part of the path is not a directory$/ },
  { name: "validate: a device", args: ["validate", "/dev/zero"], message: /^\/dev\/zero: is not a regular file, expected a config file$/ },
  { name: "validate: binary data, not echoed", args: ["validate", path("binary.dat")], message: /binary\.dat: not a text file \(binary data at byte 7\); expected a config in YAML or JSON$/ },
  { name: "validate: not UTF-8", args: ["validate", path("latin1.yaml")], message: /latin1\.yaml: not a text file \(it is not UTF-8 text\)/ },
  { name: "validate: a YAML alias bomb", args: ["validate", path("alias-bomb.yaml")], message: /alias-bomb\.yaml: \$: more than 1000 alias expansions: refused as a resource-exhaustion document/ },
  {
    name: "validate: a YAML syntax error names its position once",
    args: ["validate", path("unclosed.yaml")],
    message: /^.*unclosed\.yaml: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
  },
  { name: "validate: an empty file", args: ["validate", path("empty.yaml")], message: /empty\.yaml: \$: the file is empty: expected a config with a services list$/ },
  { name: "a usage mistake is one line, not the help", args: ["simulate", "--bogus"], message: /^error: unknown option '--bogus'$/ },
  { name: "a missing argument is one line", args: ["validate"], message: /^error: missing required argument 'file'$/ },
  { name: "explain: a directory as --config", args: ["explain", "--config", path("a-directory")], message: /a-directory: is a directory, expected a config file$/ },
  {
    name: "explain: an invalid --region",
    args: ["explain", "--region", "eu west 1", "--config", validConfig],
    message: /^explain: --region "eu west 1" is not an AWS Region name \(for example eu-west-1\)$/,
  },
  {
    name: "explain: no Region anywhere",
    args: ["explain", "--config", validConfig],
    env: noAws,
    message: /^explain: no AWS Region: pass --region .*, set AWS_REGION, or give your AWS profile a region/,
  },
  {
    name: "explain: no credentials anywhere",
    args: ["explain", "--region", "eu-west-1", "--config", validConfig],
    env: noAws,
    message: /^explain: no AWS credentials: set AWS_PROFILE .* or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY$/,
  },
  {
    name: "explain: an unknown AWS_PROFILE is named",
    args: ["explain", "--region", "eu-west-1", "--config", validConfig],
    env: { ...noAws, AWS_PROFILE: "no-such-profile" },
    message: /^explain: AWS_PROFILE=no-such-profile: no credentials for this profile: it is not configured .* \(aws sso login --profile no-such-profile\)$/,
  },
  {
    name: "explain: a profile without a Region is named",
    args: ["explain", "--config", validConfig],
    env: { ...noAws, AWS_PROFILE: "no-such-profile" },
    message: /^explain: AWS_PROFILE=no-such-profile: no AWS Region: the profile has none/,
  },
  { name: "decide: a missing file is not 'not valid JSON'", args: ["decide", path("nope.json")], message: /nope\.json: no such file$/ },
  { name: "decide: a directory", args: ["decide", path("a-directory")], message: /a-directory: is a directory, expected a request file$/ },
  { name: "decide: binary data, not echoed", args: ["decide", path("binary.dat")], message: /binary\.dat: not a text file \(binary data at byte 7\); expected a request in JSON$/ },
  { name: "decide: malformed JSON names the file", args: ["decide", path("not-json.json")], message: /not-json\.json: not valid JSON: / },
  { name: "decide: empty standard input", args: ["decide"], stdin: "", message: /^standard input: not valid JSON: Unexpected end of JSON input$/ },
];

function expectOneLineRefusal(result: CliResult, message: RegExp): void {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain("\u001b");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(message);
  expect(result.stdout).toBe("");
  expect(result.status).toBe(2);
}

describe("bad input to the CLI: exit 2, one line, no stack trace", () => {
  it.each(cases)("$name", ({ args, stdin, env, message }) => {
    expectOneLineRefusal(runCli(args, stdin ?? "", env ? { env } : {}), message);
  });

  it.each([
    { name: "an invalid --region", args: ["--region", "EU-WEST-1", "--config", validConfig], error: /^--region "EU-WEST-1" is not an AWS Region name/ },
    { name: "a directory as --config", args: ["--config", path("a-directory")], error: /a-directory: is a directory, expected a config file$/ },
  ])("explain --json with $name carries the failure on stdout too", ({ args, error }) => {
    const result = runCli(["explain", "--json", ...args], "", { env: noAws });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ at: expect.any(String), error: expect.stringMatching(error) });
  });

  it("explain --json without a Region also carries the failure on stdout", () => {
    const result = runCli(["explain", "--json", "--config", validConfig], "", { env: noAws });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ at: expect.any(String), error: expect.stringMatching(/^no AWS Region: /) });
    expect(result.stderr).toMatch(/^explain: no AWS Region: [^\n]*\n$/);
  });
});
