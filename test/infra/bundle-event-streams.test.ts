/**
 * The Lambda bundles leave the SDK's event-stream support out (`noEventStreams` in infra/lib/bundle.ts):
 * none of the four clients the functions use has an event-stream operation, a client bundled with the
 * plugin still builds and serialises a request, and reaching the stub fails with a message naming why.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noEventStreams } from "../../infra/lib/bundle.ts";
import { bundleProbe } from "./bundle-probe.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-event-streams-"));
const bundle = join(dir, "bundle.mjs");
let inputs: string[] = [];

beforeAll(async () => {
  // A request serialised by the SDK's protocol, sent to a handler that answers without a network.
  const source = `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { EventStreamSerde } from "@smithy/core/event-streams";
const client = new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" },
  requestHandler: { handle: async (request) => { console.log("sent " + request.headers["x-amz-target"]); return { response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: new TextEncoder().encode("{}") } }; } } });
const out = await client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "k" } } }));
console.log("item " + JSON.stringify(out.Item));
try { new EventStreamSerde({}); } catch (e) { console.log(e.message); }`;
  ({ inputs } = await bundleProbe(dir, source, noEventStreams));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Lambda bundles: no event-stream support", () => {
  it("leaves the event-stream code out of the bundle", () => {
    expect(inputs.filter((p) => p.includes("/event-streams/"))).toEqual([]);
  });

  it("still sends a request and reads its answer; the stub says why it is empty", () => {
    const child = spawnSync(process.execPath, [bundle], { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "" } });
    expect(child.stdout.trim().split("\n")).toEqual([
      "sent DynamoDB_20120810.GetItem",
      "item undefined",
      "event streams are not in this bundle: no operation the functions call has one (infra/lib/bundle.ts)",
    ]);
  });

  // An event stream is a streaming member of a structure: a client whose schemas have no streaming
  // trait at all has none (S3, which has SelectObjectContent, is the control that the trait is seen).
  const streamingTraits = (client: string) => {
    const schemas = join(ROOT, "node_modules", "@aws-sdk", `client-${client}`, "dist-es", "schemas");
    return (
      readdirSync(schemas)
        .map((f) => readFileSync(join(schemas, f), "utf8"))
        .join("\n")
        .split('"streaming"').length - 1
    );
  };
  it.each(["ecs", "sqs", "dynamodb", "cloudwatch"])("the %s client has no streaming member, so no event stream", (client) => {
    expect(streamingTraits(client)).toBe(0);
  });
  it("sees the streaming trait where a client has one (S3)", () => {
    expect(streamingTraits("s3")).toBeGreaterThan(0);
  });
});
