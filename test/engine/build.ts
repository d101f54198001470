/** Builders for engine tests: a valid request from a few overrides, parsed through the real schema. */
import { type DecideRequestInput, parseDecideRequest } from "../../shared/config/request.ts";
import type { DecideRequest } from "../../shared/engine/types.ts";

export const queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";
export const NOW = "2026-03-02T12:00:00Z";

/** `seconds` before {@link NOW} (or before `from`), as an ISO string. */
export function ago(seconds: number, from = NOW): string {
  return new Date(Date.parse(from) - seconds * 1000).toISOString();
}

type PolicyOverrides = Partial<DecideRequestInput["policy"]>;

/** A request with one sqs trigger unless the policy overrides the triggers. */
export function request(
  overrides: {
    now?: string;
    policy?: PolicyOverrides;
    service?: Partial<DecideRequestInput["service"]>;
    observations?: DecideRequestInput["observations"];
    history?: DecideRequestInput["history"];
    intervalSeconds?: number;
  } = {},
): DecideRequest {
  const current = overrides.service?.desiredCount ?? 1;
  return parseDecideRequest({
    now: overrides.now ?? NOW,
    policy: { maxTasks: 1000, triggers: [{ type: "sqs", queueUrl }], ...overrides.policy },
    service: { desiredCount: current, runningCount: current, pendingCount: 0, ...overrides.service },
    observations: overrides.observations ?? [{ visible: 0, inFlight: 0 }],
    ...(overrides.history ? { history: overrides.history } : {}),
    ...(overrides.intervalSeconds !== undefined ? { intervalSeconds: overrides.intervalSeconds } : {}),
  });
}
