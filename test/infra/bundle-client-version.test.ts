/**
 * The Lambda bundles keep only `version` of each SDK client's package.json (`clientVersionOnly` in
 * infra/lib/bundle.ts): a client bundled with the plugin still sends its version in the user agent,
 * and the rest of the file (its description, scripts, dependencies) is not in the bundle.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientVersionOnly } from "../../infra/lib/bundle.ts";
import { bundleProbe } from "./bundle-probe.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const sqsPackage = JSON.parse(readFileSync(join(ROOT, "node_modules/@aws-sdk/client-sqs/package.json"), "utf8")) as {
  version: string;
  description: string;
};
const dir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-client-version-"));
let bundleText = "";
let bundle = "";

beforeAll(async () => {
  // A request sent to a handler that answers without a network and prints the user agent it got.
  const source = `import { SQSClient, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
const client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" },
  requestHandler: { handle: async (request) => { console.log(request.headers["user-agent"]); return { response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: new TextEncoder().encode("{}") } }; } } });
await client.send(new GetQueueAttributesCommand({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q", AttributeNames: ["All"] }));`;
  ({ bundle } = await bundleProbe(dir, source, clientVersionOnly));
  bundleText = readFileSync(bundle, "utf8");
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Lambda bundles: only the version of each client's package.json", () => {
  it("sends the client's version in the user agent", () => {
    const child = spawnSync(process.execPath, [bundle], { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "" } });
    expect(child.stdout).toContain(`api/sqs#${sqsPackage.version}`);
  });

  it("leaves the rest of the package.json out", () => {
    expect(bundleText).not.toContain(sqsPackage.description);
  });
});
