/**
 * Settings that are each valid but contradict each other: the config loads, yet one of the two can never
 * take effect. Each warning names both keys by their JSON paths so the user can fix whichever is wrong.
 */

import type { Policy } from "../engine/types.ts";
import type { Config } from "./config-file.ts";
import type { ConfigProblem } from "./issues.ts";

/**
 * Warnings for a validated `config`; `raw` is the same document before defaults were applied, so a
 * warning is given only for what the user wrote, not for a default.
 */
export function configWarnings(raw: unknown, config: Config): ConfigProblem[] {
  return config.services.flatMap((service, i) => {
    const at = `services[${i}].policy`;
    const written = rawPolicy(raw, i);
    return [
      ...fallbackAboveReachableMax(service.policy, at),
      ...(written && "scaleToZero" in written ? scaleToZeroNeverReached(service.policy, at) : []),
    ];
  });
}

/** The largest maximum any moment can have: the policy's, or a schedule window's (a lone minimum pulls it up). */
export function reachableMaxTasks(policy: Policy): number {
  return Math.max(
    policy.maxTasks,
    ...policy.schedules.map((s) => s.maxTasks ?? Math.max(policy.maxTasks, s.minTasks ?? 0)),
  );
}

function fallbackAboveReachableMax(policy: Policy, at: string): ConfigProblem[] {
  if (!policy.fallback) return [];
  const reachable = reachableMaxTasks(policy);
  if (policy.fallback.tasks <= reachable) return [];
  const schedules =
    policy.schedules.length > 0 ? ` or in any of its ${policy.schedules.length} schedule(s)` : "";
  return [
    {
      path: `${at}.fallback.tasks`,
      message: `${policy.fallback.tasks} is above every reachable maxTasks (${at}.maxTasks ${policy.maxTasks}${schedules}, at most ${reachable}): the fallback can only ever run ${reachable}`,
    },
  ];
}

function scaleToZeroNeverReached(policy: Policy, at: string): ConfigProblem[] {
  if (policy.minTasks === 0) return [];
  // A window lowers the minimum to 0 when it says so, or when it sets only maxTasks 0 (which pulls it along).
  const lowers = policy.schedules.some(
    (s) => s.minTasks === 0 || (s.minTasks === undefined && s.maxTasks === 0),
  );
  if (lowers) return [];
  return [
    {
      path: `${at}.scaleToZero`,
      message: `has no effect: ${at}.minTasks is ${policy.minTasks} and no schedule lowers it to 0 (set minTasks: 0 to allow scale to zero)`,
    },
  ];
}

function rawPolicy(raw: unknown, index: number): Record<string, unknown> | undefined {
  const services = (raw as { services?: unknown })?.services;
  if (!Array.isArray(services)) return undefined;
  const policy = (services[index] as { policy?: unknown } | undefined)?.policy;
  return policy !== null && typeof policy === "object" ? (policy as Record<string, unknown>) : undefined;
}
