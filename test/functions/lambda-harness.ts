/**
 * Runs a Lambda handler module the way Lambda does: environment first, then the module's import
 * (its init: config, clients), then invocations with a Lambda context. ECS, SQS and CloudWatch are
 * mocked at the client class with aws-sdk-client-mock (the handler builds its own clients); DynamoDB
 * is the suite's dynalite, reached through AWS_ENDPOINT_URL_DYNAMODB like any endpoint override.
 * Powertools writes to stdout; the harness captures it as JSON lines (logs and EMF documents).
 */

import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { inject, vi } from "vitest";
import { stringify } from "yaml";
import { stateTableDefinition } from "../../shared/aws/dynamodb-state-table.ts";
import { parseConfigText } from "../../shared/config/config-file.ts";
import { ValidationError } from "../../shared/config/issues.ts";
import { packConfig } from "../../shared/config/packaged.ts";
import { localDynamoDb } from "../setup/dynamodb.ts";

/** A Lambda context with `remainingMs` left at the start of the invocation. */
export function lambdaContext(remainingMs: number, functionName = "ecs-autoscaler-dev-evaluate"): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/03/02/[$LATEST]abc",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Writes `config` as YAML to a temporary file; returns its path. */
export function writeConfig(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "ecs-autoscaler-")), "config.yaml");
  writeFileSync(path, typeof config === "string" ? config : stringify(config));
  return path;
}

/**
 * Packages `config` (an object, or YAML text) as `npm run package` does, validated and defaulted, into
 * a temporary config.json, the file the functions read; returns its path. Throws
 * {@link ValidationError} when packaging would refuse it.
 */
export function writePackagedConfig(config: unknown): string {
  const source = "config.yaml";
  const parsed = parseConfigText(typeof config === "string" ? config : stringify(config));
  if (!parsed.config) throw new ValidationError(source, parsed.problems);
  const path = join(mkdtempSync(join(tmpdir(), "ecs-autoscaler-")), "config.json");
  writeFileSync(path, packConfig(parsed.config, source));
  return path;
}

/** What Powertools printed (stdout and stderr): JSON lines, split into log records and EMF metric documents. */
export interface Captured {
  /** Every non-empty line as printed (for measuring bytes). */
  raw: () => string[];
  logs: () => Record<string, unknown>[];
  /** Every EMF document as { dimensions, metrics: name → value }. */
  emf: () => { dimensions: Record<string, string>; metrics: Record<string, number> }[];
  stop: () => void;
}

export function captureOutput(): Captured {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l.trim() !== ""),
    );
    return true;
  };
  // Powertools prints WARN/ERROR on stderr and the rest (and EMF) on stdout.
  const spies = [vi.spyOn(process.stdout, "write").mockImplementation(capture), vi.spyOn(process.stderr, "write").mockImplementation(capture)];
  const json = () =>
    lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    raw: () => [...lines],
    logs: () => json().filter((l) => !("_aws" in l)),
    emf: () =>
      json()
        .filter((l) => "_aws" in l)
        .map((doc) => {
          const aws = doc._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
          const directive = aws.CloudWatchMetrics[0]!;
          const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, String(doc[d])]));
          const metrics = Object.fromEntries(directive.Metrics.map((m) => [m.Name, doc[m.Name] as number]));
          return { dimensions, metrics };
        }),
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** What `act` prints while it runs, captured as above. */
export function captureOutputOf(act: () => void): Captured {
  const out = captureOutput();
  try {
    act();
  } finally {
    out.stop();
  }
  return out;
}

/** Mocks of the three client classes the handlers build (every instance), reset per test. */
export function mockAwsClasses() {
  return { ecs: mockClient(ECSClient), sqs: mockClient(SQSClient), cloudwatch: mockClient(CloudWatchClient) };
}

/** The environment a deployed function has (serverless.yml), pointed at this suite's dynalite. */
export async function lambdaEnv(configPath: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  // dynalite makes a table ACTIVE at once; the SDK waiter's polling would only add a second per test.
  const table = `state-${randomUUID()}`;
  const client = localDynamoDb();
  await client.send(new CreateTableCommand(stateTableDefinition(table)));
  client.destroy();
  return {
    CONFIG_PATH: configPath,
    STATE_TABLE_NAME: table,
    POWERTOOLS_SERVICE_NAME: "ecs-autoscaler",
    POWERTOOLS_METRICS_NAMESPACE: "EcsAutoscaler",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: inject("dynamodbEndpoint"),
    // Unset means dry run; these handler tests act unless they ask for DRY_RUN=true.
    DRY_RUN: "false",
    ...extra,
  };
}

/**
 * Imports a handler module fresh (a new container) with `env` set, the way Lambda initialises it.
 * Returns the module; throws what its initialisation throws.
 */
export async function coldStart<T>(modulePath: string, env: Record<string, string>): Promise<T> {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  vi.resetModules();
  return (await import(modulePath)) as T;
}
