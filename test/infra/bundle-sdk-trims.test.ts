/**
 * The Lambda bundles leave out two parts of the SDK the functions never run (infra/lib/bundle.ts):
 * the endpoint-discovery cache (`noEndpointDiscoveryCache`; the clients turn discovery off) and the
 * pure-JavaScript SHA-256 and MD5 fallbacks (`nativeHashesOnly`; Lambda's Node.js has both digests).
 * A bundle built with them still signs requests (SHA-256), still checks SQS message digests (MD5)
 * and still reads DynamoDB items; the stubs say why they are empty when reached.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeHashesOnly, noEndpointDiscoveryCache } from "../../infra/lib/bundle.ts";
import { bundleProbe } from "./bundle-probe.ts";

const dir = mkdtempSync(join(tmpdir(), "ecs-autoscaler-sdk-trims-"));
const BODY = "hello";
const md5 = (text: string) => createHash("md5").update(text).digest("hex");
let bundle = "";
let bytesInOutput: Record<string, number> = {};

beforeAll(async () => {
  // Answers without a network: DynamoDB returns an item, SQS a message whose digest is `digest`.
  const source = `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { SQSClient, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { EndpointCache } from "@aws-sdk/endpoint-cache";
const answer = (body) => ({ response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: new TextEncoder().encode(JSON.stringify(body)) } });
const credentials = { accessKeyId: "a", secretAccessKey: "b" };
const dynamodb = new DynamoDBClient({ region: "us-east-1", credentials, endpointDiscoveryEnabled: false,
  requestHandler: { handle: async (request) => { console.log("signed " + /Signature=[0-9a-f]{64}$/.test(request.headers.authorization)); return answer({ Item: { pk: { S: "k" } } }); } } });
const out = await dynamodb.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "k" } } }));
console.log("item " + out.Item.pk.S);
const receive = async (digest) => {
  const sqs = new SQSClient({ region: "us-east-1", credentials,
    requestHandler: { handle: async () => answer({ Messages: [{ MessageId: "m", ReceiptHandle: "r", Body: ${JSON.stringify(BODY)}, MD5OfBody: digest }] }) } });
  try { const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q" })); console.log("received " + got.Messages[0].Body); }
  catch (e) { console.log("rejected " + /checksum/i.test(e.message)); }
};
await receive(${JSON.stringify(md5(BODY))});
await receive(${JSON.stringify(md5("other"))});
try { new EndpointCache(10).set("k", []); } catch (e) { console.log(e.message); }`;
  ({ bundle, bytesInOutput } = await bundleProbe(dir, source, [noEndpointDiscoveryCache, nativeHashesOnly]));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Lambda bundles: no endpoint-discovery cache, native hashes only", () => {
  it.each([
    ["the endpoint-discovery cache's LRU", "/mnemonist/"],
    ["the JavaScript SHA-256", "/Sha256Js.js"],
    ["the JavaScript MD5", "/Md5Js.js"],
  ])("leaves %s out of the bundle", (_what, fragment) => {
    expect(Object.entries(bytesInOutput).filter(([p, bytes]) => p.includes(fragment) && bytes > 0)).toEqual([]);
  });

  it("signs, reads items, accepts a matching SQS digest and rejects a wrong one", () => {
    const child = spawnSync(process.execPath, [bundle], { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "" } });
    expect(child.stdout.trim().split("\n")).toEqual([
      "signed true",
      "item k",
      `received ${BODY}`,
      "rejected true",
      "endpoint discovery is not in this bundle: the clients turn it off (infra/lib/bundle.ts)",
    ]);
  });
});
