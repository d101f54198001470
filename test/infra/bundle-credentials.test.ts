/**
 * The Lambda bundles' SDK clients take credentials from the environment only (`environmentCredentialsOnly`
 * in infra/lib/bundle.ts): a client bundled with the plugin resolves Lambda's AWS_* variables, fails with
 * the SDK's own message without them, and never reads a profile, even one that exists.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentCredentialsOnly } from "../../infra/lib/bundle.ts";
import { bundleProbe } from "./bundle-probe.ts";

const dir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-credentials-"));
const bundle = join(dir, "bundle.mjs");
let inputs: string[] = [];

beforeAll(async () => {
  const source = `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({ region: "us-east-1" });
try { const id = await client.config.credentials(); console.log("key " + id.accessKeyId + " token " + id.sessionToken); }
catch (e) { console.log(e.name + ": " + e.message); }`;
  ({ inputs } = await bundleProbe(dir, source, environmentCredentialsOnly));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle with only `env` (and PATH) set, an empty home and a profile file that has keys. */
function run(env: Record<string, string>): string {
  const home = mkdtempSync(join(dir, "home-"));
  const profile = join(home, "credentials");
  writeFileSync(profile, "[default]\naws_access_key_id = FROM_PROFILE\naws_secret_access_key = s\n");
  const child = spawnSync(process.execPath, [bundle], {
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? "", HOME: home, AWS_SHARED_CREDENTIALS_FILE: profile, AWS_EC2_METADATA_DISABLED: "true", ...env },
  });
  return child.stdout.trim();
}

describe("Lambda bundles: environment credentials only", () => {
  it.each<{ case: string; env: Record<string, string>; out: string }>([
    { case: "Lambda's variables", env: { AWS_ACCESS_KEY_ID: "AKIDLAMBDA", AWS_SECRET_ACCESS_KEY: "secret", AWS_SESSION_TOKEN: "token" }, out: "key AKIDLAMBDA token token" },
    { case: "no variables, a profile on disk", env: {}, out: "CredentialsProviderError: Unable to find environment variable credentials." },
  ])("with $case: $out", ({ env, out }) => {
    expect(run(env)).toBe(out);
  });

  it("leaves the default chain's package out of the bundle, keeping credential-provider-env", () => {
    expect(inputs.filter((p) => p.includes("node_modules/@aws-sdk/credential-provider-node/"))).toEqual([]);
    expect(inputs.some((p) => p.includes("node_modules/@aws-sdk/credential-provider-env/"))).toBe(true);
  });
});
