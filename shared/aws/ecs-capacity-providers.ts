/**
 * CapacityProvidersPort on ECS: DescribeCapacityProviders (up to 100 names per call) to read the
 * current managed scaling, then UpdateCapacityProvider only where it differs, paced to ECS's
 * "capacity provider modify" budget (burst 10, 1 per second sustained, account-wide).
 */
import {
  type CapacityProvider,
  DescribeCapacityProvidersCommand,
  type DescribeCapacityProvidersCommandOutput,
  type ECSClient,
  type ManagedScaling,
  UpdateCapacityProviderCommand,
  type UpdateCapacityProviderCommandInput,
} from "@aws-sdk/client-ecs";
import type {
  CapacityProviderOutcome,
  CapacityProvidersPort,
  CapacityProviderTarget,
  ManagedScalingSettings,
} from "../ports/capacity-providers.ts";
import type { Clock } from "../ports/clock.ts";
import type { PortFailure } from "../ports/failure.ts";
import { classify } from "./errors.ts";
import { TokenBucket } from "./token-bucket.ts";

/** DescribeCapacityProviders: "Up to 100 capacity providers can be described in an action." */
export const DESCRIBE_CAPACITY_PROVIDERS_BATCH = 100;

/** ECS's documented defaults for fields a provider may omit (API `ManagedScaling`). */
const ECS_DEFAULTS = {
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10000,
} as const;

export interface EcsCapacityProvidersOptions {
  /** UpdateCapacityProvider calls per second; ECS allows 1/s sustained for the whole account. */
  updatesPerSecond?: number;
  clock?: Clock;
}

/** A capacity provider's short name, from a name or an ARN (`…:capacity-provider/<name>`). */
export function providerNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? (nameOrArn.split("/").pop() ?? nameOrArn) : nameOrArn;
}

/** Parse: what is wrong with wanted settings, as `settings.<field>: …` lines (empty when valid). */
export function settingsProblems(settings: ManagedScalingSettings): string[] {
  const problems: string[] = [];
  const check = (field: keyof ManagedScalingSettings, max: number) => {
    const v = settings[field];
    if (v === undefined) return;
    if (!Number.isInteger(v) || v < 1 || v > max)
      problems.push(`settings.${field}: must be an integer from 1 to ${max}, got ${v}`);
  };
  check("targetCapacity", 100);
  check("minimumScalingStepSize", 10000);
  check("maximumScalingStepSize", 10000);
  return problems;
}

/**
 * Process: the managedScaling to send, or undefined when the provider already has the wanted values.
 * The whole current object is sent back with the wanted fields replaced, because ECS fills omitted
 * fields with its defaults (an update carrying only targetCapacity could reset the warm-up period).
 */
export function managedScalingUpdate(
  current: ManagedScaling,
  wanted: ManagedScalingSettings,
): ManagedScaling | undefined {
  const effective = (field: keyof typeof ECS_DEFAULTS) => current[field] ?? ECS_DEFAULTS[field];
  const differs =
    effective("targetCapacity") !== wanted.targetCapacity ||
    (wanted.minimumScalingStepSize !== undefined &&
      effective("minimumScalingStepSize") !== wanted.minimumScalingStepSize) ||
    (wanted.maximumScalingStepSize !== undefined &&
      effective("maximumScalingStepSize") !== wanted.maximumScalingStepSize);
  if (!differs) return undefined;
  const merged: ManagedScaling = {
    ...current,
    targetCapacity: wanted.targetCapacity,
    minimumScalingStepSize: wanted.minimumScalingStepSize ?? effective("minimumScalingStepSize"),
    maximumScalingStepSize: wanted.maximumScalingStepSize ?? effective("maximumScalingStepSize"),
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as ManagedScaling;
}

/**
 * Process: for one target and the provider ECS described (if any), the UpdateCapacityProvider input
 * to send, "unchanged", or why it cannot be applied.
 */
export function planProviderUpdate(
  target: CapacityProviderTarget,
  provider: CapacityProvider | undefined,
  failureReason: string | undefined,
): { input: UpdateCapacityProviderCommandInput } | CapacityProviderOutcome {
  const name = target.name;
  const problems = settingsProblems(target.settings);
  if (problems.length > 0) return { name, result: "failed", reason: problems.join("; ") };
  if (!provider)
    return {
      name,
      result: "failed",
      reason: failureReason ?? "not in the DescribeCapacityProviders response",
    };
  if (provider.status !== undefined && provider.status !== "ACTIVE")
    return { name, result: "failed", reason: `provider is ${provider.status}` };
  const current = provider.autoScalingGroupProvider?.managedScaling;
  if (!provider.autoScalingGroupProvider || !current) {
    return {
      name,
      result: "failed",
      reason: "not an Auto Scaling group capacity provider with managed scaling",
    };
  }
  if (current.status === "DISABLED")
    return { name, result: "failed", reason: "managed scaling is DISABLED on this provider" };
  const update = managedScalingUpdate(current, target.settings);
  if (!update) return { name, result: "unchanged" };
  if ((update.minimumScalingStepSize ?? 1) > (update.maximumScalingStepSize ?? 10000)) {
    return {
      name,
      result: "failed",
      reason: `minimumScalingStepSize ${update.minimumScalingStepSize} would be above maximumScalingStepSize ${update.maximumScalingStepSize}`,
    };
  }
  return {
    input: {
      name: provider.name ?? providerNameOf(name),
      autoScalingGroupProvider: { managedScaling: update },
    },
  };
}

/** {@link CapacityProvidersPort} backed by ECS. */
export class EcsCapacityProviders implements CapacityProvidersPort {
  private readonly limiter: TokenBucket;

  constructor(
    private readonly ecs: ECSClient,
    options: EcsCapacityProvidersOptions = {},
  ) {
    // Burst 1: calls stay a full second apart, so this process alone never empties the account's bucket.
    this.limiter = new TokenBucket({
      ratePerSecond: options.updatesPerSecond ?? 1,
      burst: 1,
      clock: options.clock,
    });
  }

  /** Reads the targets' providers, then updates those that differ, one per second at most. */
  async apply(targets: readonly CapacityProviderTarget[]): Promise<CapacityProviderOutcome[]> {
    const { providers, failures } = await this.describe(targets.map((t) => t.name));
    const outcomes: CapacityProviderOutcome[] = [];
    for (const target of targets) {
      const key = providerNameOf(target.name);
      const failure = failures.get(key);
      const plan = planProviderUpdate(target, providers.get(key), failure?.reason);
      if (!("input" in plan)) {
        outcomes.push(
          failure?.failure !== undefined && plan.result === "failed"
            ? { ...plan, failure: failure.failure }
            : plan,
        );
        continue;
      }
      try {
        await this.limiter.acquire();
        await this.ecs.send(new UpdateCapacityProviderCommand(plan.input));
        outcomes.push({ name: target.name, result: "updated" });
      } catch (error) {
        const failure = classify(error);
        outcomes.push({ name: target.name, result: "failed", reason: failure.message, failure });
      }
    }
    return outcomes;
  }

  private async describe(names: readonly string[]): Promise<{
    providers: Map<string, CapacityProvider>;
    failures: Map<string, { reason: string; failure?: PortFailure }>;
  }> {
    const providers = new Map<string, CapacityProvider>();
    const failures = new Map<string, { reason: string; failure?: PortFailure }>();
    const unique = [...new Set(names.map(providerNameOf))];
    for (let i = 0; i < unique.length; i += DESCRIBE_CAPACITY_PROVIDERS_BATCH) {
      const batch = unique.slice(i, i + DESCRIBE_CAPACITY_PROVIDERS_BATCH);
      let output: DescribeCapacityProvidersCommandOutput;
      try {
        output = await this.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: batch }));
      } catch (error) {
        const failure = classify(error);
        for (const name of batch) failures.set(name, { reason: failure.message, failure });
        continue;
      }
      for (const p of output.capacityProviders ?? []) {
        providers.set(providerNameOf(p.name ?? p.capacityProviderArn ?? ""), p);
      }
      for (const f of output.failures ?? []) {
        const reason = f.reason ?? "UNKNOWN";
        failures.set(providerNameOf(f.arn ?? ""), { reason: f.detail ? `${reason}: ${f.detail}` : reason });
      }
    }
    return { providers, failures };
  }
}
