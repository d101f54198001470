/**
 * The config as the Lambda functions receive it: validated and defaulted at package time, written as
 * JSON with the SHA-256 of its content. Reading it back needs neither a YAML parser nor the schema
 * library, which keeps both out of the functions' bundles and their cold start; the hash makes sure
 * what runs is what packaging validated (a file edited afterwards, or a YAML file given by mistake,
 * fails the function's initialisation instead of running unchecked).
 */
import { createHash } from "node:crypto";
import type { Config } from "./config-file.ts";
import { ValidationError } from "./issues.ts";

/** The `format` field of a packaged config; a reader refuses any other. */
export const PACKAGED_CONFIG_FORMAT = "ecs-autoscaler-packaged-config/1";

/** The file as written: the config and the hash of its JSON text. */
export interface PackagedConfigFile {
  format: typeof PACKAGED_CONFIG_FORMAT;
  /** The config file it was validated from, for people reading the artifact. */
  source: string;
  /** SHA-256 (hex) of `JSON.stringify(config)`. */
  sha256: string;
  config: Config;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The packaged file's text for an already validated `config` (from `parseConfigText`). */
export function packConfig(config: Config, source: string): string {
  const file: PackagedConfigFile = {
    format: PACKAGED_CONFIG_FORMAT,
    source,
    sha256: sha256(JSON.stringify(config)),
    config,
  };
  return `${JSON.stringify(file)}\n`;
}

/**
 * The config of a packaged file's `text` read from `path`. Throws {@link ValidationError} naming the
 * file when it is not JSON, not a packaged config, or its content does not match its hash.
 */
export function readPackagedConfig(text: string, path: string): Config {
  const fail = (message: string): never => {
    throw new ValidationError(path, [{ path: "$", message }]);
  };
  let file: Partial<PackagedConfigFile>;
  try {
    file = JSON.parse(text) as Partial<PackagedConfigFile>;
  } catch {
    return fail(`not a packaged config (not JSON): package the config file with \`npm run package\``);
  }
  if (file === null || typeof file !== "object" || file.format !== PACKAGED_CONFIG_FORMAT) {
    return fail(
      `not a packaged config (format is not "${PACKAGED_CONFIG_FORMAT}"): package it with \`npm run package\``,
    );
  }
  if (typeof file.config !== "object" || file.config === null || typeof file.sha256 !== "string") {
    return fail("a packaged config needs `config` and `sha256`");
  }
  if (sha256(JSON.stringify(file.config)) !== file.sha256) {
    return fail("the config does not match its sha256: it was changed after packaging; package it again");
  }
  return file.config;
}
