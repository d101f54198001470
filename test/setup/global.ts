/**
 * Vitest global setup: starts the services the suite needs once, before any test file runs, and
 * stops them after the last one.
 *
 * dynalite: a real DynamoDB wire-protocol server (in memory, in this process) on a free loopback
 * port. Tests get its URL with `inject("dynamodbEndpoint")` (see test/setup/dynamodb.ts for a
 * client and a fresh table per test file).
 */
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the dynalite server. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Tables become ACTIVE at once: waiting is DynamoDB's behaviour, not something the tests check.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  project.provide("dynamodbEndpoint", `http://127.0.0.1:${port}`);

  return async () => {
    await new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve())));
  };
}
