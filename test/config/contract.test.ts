/**
 * The schemas' outputs and the engine's types are checked against each other by `npm run typecheck`
 * (policySchemasAgree, requestSchemasAgree). These cases prove the check itself can fail: each
 * `@ts-expect-error` line is a type error today, and typecheck fails if it ever stops being one.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Agrees } from "../../shared/config/contract.ts";
import { policySchemasAgree } from "../../shared/config/policy.ts";
import { requestSchemasAgree } from "../../shared/config/request.ts";
import type { History, ServiceState } from "../../shared/engine/types.ts";

describe("schema ↔ engine type agreement", () => {
  it("holds for every schema the engine reads", () => {
    expect(Object.values(policySchemasAgree).every((v) => v === true)).toBe(true);
    expect(Object.values(requestSchemasAgree).every((v) => v === true)).toBe(true);
  });

  it("rejects a schema that drops a field the engine needs", () => {
    const drifted = z.strictObject({ desiredCount: z.number(), runningCount: z.number() });
    // @ts-expect-error pendingCount is missing from the schema's output
    const check: Agrees<z.output<typeof drifted>, ServiceState> = true;
    expect(check).toBe(true);
  });

  it("rejects a schema that adds a field the engine does not know", () => {
    const drifted = z.strictObject({ desiredCount: z.number(), runningCount: z.number(), pendingCount: z.number(), extra: z.string() });
    // @ts-expect-error extra is not a ServiceState field
    const check: Agrees<z.output<typeof drifted>, ServiceState> = true;
    expect(check).toBe(true);
  });

  it("rejects a schema whose field type differs", () => {
    const drifted = z.strictObject({ recommendations: z.array(z.strictObject({ at: z.string(), tasks: z.string() })), scaleEvents: z.array(z.never()), failures: z.number() });
    // @ts-expect-error recommendations[].tasks is a string in the schema, a number in the engine
    const check: Agrees<z.output<typeof drifted>, History> = true;
    expect(check).toBe(true);
  });
});
