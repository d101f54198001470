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

  const intervalSeconds = wholeNumberParam(raw, "interval", 1, 60, "seconds", problems);
  const updatesPerSecond = wholeNumberParam(
    raw,
    "updatesPerSecond",
    1,
    5,
    "UpdateService calls per second",
    problems,
  );

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

/** An optional parameter that must be a whole number of `unit` in [min, max]; a bad one is added to `problems`. */
function wholeNumberParam(
  raw: Partial<RawSettings>,
  name: "interval" | "updatesPerSecond",
  min: number,
  max: number,
  unit: string,
  problems: ConfigProblem[],
): number | undefined {
  const text = raw[name]?.trim() ?? "";
  if (text === "") return undefined;
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= min && n <= max) return n;
  problems.push({
    path: `param ${name}`,
    message: `must be a whole number of ${unit} from ${min} to ${max}, got "${raw[name]}"`,
  });
  return undefined;
}
