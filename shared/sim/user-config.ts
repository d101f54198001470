/**
 * `simulate --config FILE [--service NAME]`: the user's own policy for ecs-autoscaler, taken from a config
 * file validated exactly as the runtime validates it (parseConfigText: the same schema, defaults and
 * messages naming the field). The simulated world has one queue: every `sqs` trigger of the chosen service
 * reads it (its queueUrl is replaced by the simulated queue's); `bounds`, `behavior`, schedules, scale to
 * zero and everything else run as written. The config's `intervalSeconds` is the evaluation interval unless
 * `--interval` is given. `--service` picks one service of several; without it every service is
 * simulated, each in its own world (see shared/cli/commands/simulate-services.ts).
 */

import { parse } from "yaml";
import { parseConfigText } from "../config/config-file.ts";
import type { Config, PolicyInput } from "../config/index.ts";
import { formatProblems } from "../config/issues.ts";
import { simTarget } from "./ports.ts";

/** The chosen service's policy, ready for the simulator. */
export interface UserPolicy {
  /** `cluster/service` of the chosen service. */
  service: string;
  policy: PolicyInput;
  intervalSeconds: number;
  warnings: string[];
}

/** Reads the policy of one service from config text, or the problems (one line each, naming file and field). */
export function userPolicy(
  text: string,
  file: string,
  serviceName?: string,
): { policy: UserPolicy } | { problems: string[] } {
  const parsed = parseConfigText(text);
  if (!parsed.config) return { problems: formatProblems(parsed.problems, file).split("\n") };
  const chosen = chooseService(parsed.config, file, serviceName);
  if ("problem" in chosen) return { problems: [chosen.problem] };
  const warnings = parsed.warnings.map((w) => `${file}: ${w.path}: ${w.message}`);
  return { policy: policyAt(text, file, parsed.config, chosen.index, warnings) };
}

/**
 * Reads the policy of every service of config text, in the file's order, or the problems. The
 * config's own warnings go with the first service only, so each is said once.
 */
export function userPolicies(
  text: string,
  file: string,
): { policies: UserPolicy[] } | { problems: string[] } {
  const parsed = parseConfigText(text);
  if (!parsed.config) return { problems: formatProblems(parsed.problems, file).split("\n") };
  const config = parsed.config;
  const warnings = parsed.warnings.map((w) => `${file}: ${w.path}: ${w.message}`);
  return {
    policies: config.services.map((_, i) => policyAt(text, file, config, i, i === 0 ? warnings : [])),
  };
}

/** The policy of the service at `index` of a valid config, its sqs triggers reading the simulated queue. */
function policyAt(
  text: string,
  file: string,
  config: Config,
  index: number,
  configWarnings: string[],
): UserPolicy {
  const entry = config.services[index]!;
  const warnings = [...configWarnings];
  // The policy as written (valid: checked by the caller), so the simulator's own parse applies the same
  // defaults the runtime's does; the parsed, defaulted one does not read back as input.
  const raw = parse(text, { maxAliasCount: 1000 }) as { services: { policy: PolicyInput }[] };
  const written = raw.services[index]!.policy;
  const triggers = written.triggers.map((t) =>
    t.type === "sqs" ? { ...t, queueUrl: simTarget.queueUrl } : t,
  );
  const others = triggers.filter((t) => t.type !== "sqs").length;
  if (others > 0) {
    warnings.push(
      `${file}: ${entry.cluster}/${entry.service}: ${others} trigger(s) other than sqs: the simulated world publishes only the queue's and the service's own metrics`,
    );
  }
  return {
    service: `${entry.cluster}/${entry.service}`,
    policy: { ...written, triggers },
    intervalSeconds: config.intervalSeconds,
    warnings,
  };
}

function chooseService(
  config: Config,
  file: string,
  name: string | undefined,
): { entry: Config["services"][number]; index: number } | { problem: string } {
  const labels = config.services.map((s) => `${s.cluster}/${s.service}`);
  if (name === undefined) {
    if (config.services.length === 1) return { entry: config.services[0]!, index: 0 };
    return {
      problem: `--service: ${file} has ${config.services.length} services; choose one of: ${labels.join(", ")}`,
    };
  }
  const matches = config.services.filter((s) => s.service === name || `${s.cluster}/${s.service}` === name);
  if (matches.length === 1) return { entry: matches[0]!, index: config.services.indexOf(matches[0]!) };
  return {
    problem:
      matches.length === 0
        ? `--service: no service "${name}" in ${file}; choose one of: ${labels.join(", ")}`
        : `--service: "${name}" names ${matches.length} services in ${file}; give cluster/service: ${labels.join(", ")}`,
  };
}
