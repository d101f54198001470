/**
 * Deployment settings: the serverless parameters (`--param name=value`) and their command-line
 * equivalents, checked before anything is built. Parameters arrive as strings; a value that is not
 * exactly one of the accepted spellings is an error naming the parameter, never a silent default.
 */
import type { ConfigProblem } from "../../shared/config/issues.ts";

/** The parameters as given (strings; an empty string means "not given"). */
export interface RawSettings {
  config: string;
  dryRun: string;
  interval: string;
  alarmTopicArn: string;
  updatesPerSecond: string;
}

export interface DeploySettings {
  /** Path of the config file, relative to the repository root or absolute. */
  configPath: string;
  /** `true`: decide and log, never call UpdateService or UpdateCapacityProvider. */
  dryRun: boolean;
  /** Overrides the config's `intervalSeconds` at run time, when given. */
  intervalSeconds?: number;
  /** SNS topic the alarms notify, when given. */
  alarmTopicArn?: string;
  /**
   * UpdateService calls per second for the whole stack (UPDATE_BUDGET_PER_SECOND, 1–5), when given:
   * several stacks in one account and Region share ECS's 5 per second, so their values should add up
   * to at most 4.
   */
  updatesPerSecond?: number;
}

/** The config packaged when none is named. */
export const DEFAULT_CONFIG_PATH = "config/example.yaml";

/**
 * Checks the raw parameters. Dry run is on unless `dryRun` is exactly `false`: a first deployment
 * only logs what it would do (see docs/deploy.md, "Dry run first").
 */
export function parseSettings(
  raw: Partial<RawSettings>,
): { settings: DeploySettings; problems: [] } | { settings?: undefined; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const configPath = raw.config?.trim() || DEFAULT_CONFIG_PATH;

  const dryRunText = raw.dryRun?.trim() || "true";
  if (dryRunText !== "true" && dryRunText !== "false") {
    problems.push({ path: "param dryRun", message: `must be true or false, got "${raw.dryRun}"` });
  }

  let intervalSeconds: number | undefined;
  const intervalText = raw.interval?.trim() ?? "";
  if (intervalText !== "") {
    const n = Number(intervalText);
    if (!/^\d+$/.test(intervalText) || n < 1 || n > 60) {
      problems.push({
        path: "param interval",
        message: `must be a whole number of seconds from 1 to 60, got "${raw.interval}"`,
      });
    } else intervalSeconds = n;
  }

  let updatesPerSecond: number | undefined;
  const updatesText = raw.updatesPerSecond?.trim() ?? "";
  if (updatesText !== "") {
    const n = Number(updatesText);
    if (!/^\d+$/.test(updatesText) || n < 1 || n > 5) {
      problems.push({
        path: "param updatesPerSecond",
        message: `must be a whole number of UpdateService calls per second from 1 to 5, got "${raw.updatesPerSecond}"`,
      });
    } else updatesPerSecond = n;
  }

  const topic = raw.alarmTopicArn?.trim() ?? "";
  if (topic !== "" && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(topic)) {
    problems.push({
      path: "param alarmTopicArn",
      message: `must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "${raw.alarmTopicArn}"`,
    });
  }

  if (problems.length > 0) return { problems };
  return {
    settings: {
      configPath,
      dryRun: dryRunText === "true",
      ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
      ...(topic !== "" ? { alarmTopicArn: topic } : {}),
      ...(updatesPerSecond !== undefined ? { updatesPerSecond } : {}),
    },
    problems: [],
  };
}
