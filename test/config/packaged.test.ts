/** The packaged config: what packaging writes for the functions, and what their init accepts. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../shared/config/config-file.ts";
import type { ValidationError } from "../../shared/config/issues.ts";
import { PACKAGED_CONFIG_FORMAT, packConfig, readPackagedConfig } from "../../shared/config/packaged.ts";

const validated = parseConfigText(readFileSync(new URL("../../config/example.yaml", import.meta.url), "utf8")).config!;
const packaged = packConfig(validated, "config/example.yaml");

/** The packaged text with `edit` applied to its parsed form. */
function edited(edit: (file: Record<string, unknown> & { config: Record<string, unknown> }) => void): string {
  const file = JSON.parse(packaged);
  edit(file);
  return JSON.stringify(file);
}

describe("packaged config", () => {
  it("reads back exactly the validated, defaulted config", () => {
    expect(readPackagedConfig(packaged, "/var/task/config.json")).toEqual(validated);
    expect(JSON.parse(packaged)).toMatchObject({ format: PACKAGED_CONFIG_FORMAT, source: "config/example.yaml" });
  });

  it.each([
    { case: "YAML instead of the packaged JSON", text: readFileSync(new URL("../../config/example.yaml", import.meta.url), "utf8"), message: "not a packaged config (not JSON)" },
    { case: "JSON that is not a packaged config", text: JSON.stringify(validated), message: `not a packaged config (format is not "${PACKAGED_CONFIG_FORMAT}")` },
    { case: "a packaged config without its hash", text: edited((f) => delete f.sha256), message: "a packaged config needs `config` and `sha256`" },
    { case: "a config changed after packaging", text: edited((f) => (f.config.intervalSeconds = 60)), message: "the config does not match its sha256" },
    { case: "a file cut short", text: packaged.slice(0, -20), message: "not a packaged config (not JSON)" },
  ])("refuses $case, naming the file", ({ text, message }) => {
    let error: ValidationError | undefined;
    try {
      readPackagedConfig(text, "/var/task/config.json");
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error?.source).toBe("/var/task/config.json");
    expect(error?.problems).toEqual([{ path: "$", message: expect.stringContaining(message) }]);
  });
});
