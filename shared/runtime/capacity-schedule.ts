/**
 * EC2 capacity providers' managed scaling per schedule window: which settings each provider should
 * have at `now` (the baseline, with the most recently opened window's fields on top). Applying them
 * is the port's job: it updates only providers that differ, at most one UpdateCapacityProvider per
 * second. Pure, apart from the call in {@link applyCapacitySchedule}.
 */
import type { Config } from "../config/config-file.ts";
import type { CapacityProviderConfig } from "../config/runtime-fields.ts";
import { nextOccurrence, previousOccurrence } from "../engine/cron.ts";
import type {
  CapacityProviderOutcome,
  CapacityProvidersPort,
  CapacityProviderTarget,
} from "../ports/capacity-providers.ts";

type Window = CapacityProviderConfig["schedules"][number];

/** When the window containing `now` opened, or undefined outside it ([start, end), in its time zone). */
export function openedAt(window: Window, now: Date): Date | undefined {
  const opened = previousOccurrence(window.start, window.timezone, now);
  if (!opened) return undefined;
  const closes = nextOccurrence(window.end, window.timezone, opened);
  return closes === undefined || now.getTime() < closes.getTime() ? opened : undefined;
}

/** Every configured provider's wanted settings at `now`, naming the window in force (if any). */
export function capacityTargets(config: Config, now: Date): (CapacityProviderTarget & { window?: string })[] {
  return config.capacityProviders.map((provider) => {
    let winner: { window: Window; at: number } | undefined;
    for (const window of provider.schedules) {
      const at = openedAt(window, now)?.getTime();
      if (at !== undefined && (!winner || at >= winner.at)) winner = { window, at };
    }
    const settings = { ...provider.managedScaling };
    if (winner) {
      for (const [field, value] of Object.entries(winner.window.managedScaling)) {
        if (value !== undefined) (settings as Record<string, number>)[field] = value;
      }
    }
    return { name: provider.name, settings, ...(winner ? { window: winner.window.name } : {}) };
  });
}

/**
 * Brings the providers to their settings at `now`. In dry run nothing is called and every target is
 * reported as planned.
 */
export async function applyCapacitySchedule(
  port: CapacityProvidersPort,
  config: Config,
  now: Date,
  dryRun: boolean,
): Promise<{ targets: ReturnType<typeof capacityTargets>; outcomes: CapacityProviderOutcome[] }> {
  const targets = capacityTargets(config, now);
  if (targets.length === 0 || dryRun) return { targets, outcomes: [] };
  return { targets, outcomes: await port.apply(targets.map(({ name, settings }) => ({ name, settings }))) };
}
