/**
 * The one default that depends on the trigger: a latency-aware policy (an sqs trigger with
 * targetWaitSeconds) gets a 30 s scale-down window; every other policy keeps the HPA's 300 s; a window the
 * user sets is kept as written.
 */
import { describe, expect, it } from "vitest";
import { latencyAwareScaleDownWindowSeconds, policySchema } from "../../shared/config/policy.ts";

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";

describe("the scale-down window by default", () => {
  it.each([
    { name: "latency-aware sqs trigger: 30 s", triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1 }], behavior: undefined, window: 30 },
    { name: "count-based sqs trigger: the HPA's 300 s", triggers: [{ type: "sqs", queueUrl, targetBacklogPerTask: 5 }], behavior: undefined, window: 300 },
    {
      name: "one latency-aware trigger among others is enough",
      triggers: [
        { type: "sqs", queueUrl },
        { type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1 },
      ],
      behavior: undefined,
      window: 30,
    },
    {
      name: "a window the user sets is kept",
      triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1 }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      window: 300,
    },
    {
      name: "scale-down rules without a window still get 30 s",
      triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1 }],
      behavior: { scaleDown: { selectPolicy: "Min" } },
      window: 30,
    },
  ])("$name", ({ triggers, behavior, window }) => {
    const policy = policySchema.parse({ maxTasks: 10, triggers, ...(behavior ? { behavior } : {}) });
    expect(policy.behavior.scaleDown.stabilizationWindowSeconds).toBe(window);
    expect(policy.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  it("is the exported constant", () => {
    expect(latencyAwareScaleDownWindowSeconds).toBe(30);
  });

  it("a malformed behavior is still reported by the schema, not hidden by the default", () => {
    const result = policySchema.safeParse({ maxTasks: 10, triggers: [{ type: "sqs", queueUrl, targetWaitSeconds: 30, secondsPerMessage: 1 }], behavior: { scaleDown: 5 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["behavior", "scaleDown"]);
  });
});
