/** The functions' environment: dry run unless DRY_RUN says exactly "false". */
import { describe, expect, it } from "vitest";
import { settingsFromEnv } from "../../functions/lib/lambda-setup.ts";
import { ValidationError } from "../../shared/config/issues.ts";

const base = { CONFIG_PATH: "/var/task/config.yaml", STATE_TABLE_NAME: "state" };

describe("DRY_RUN", () => {
  it.each([
    { DRY_RUN: undefined, dryRun: true },
    { DRY_RUN: "", dryRun: true },
    { DRY_RUN: "  ", dryRun: true },
    { DRY_RUN: "true", dryRun: true },
    { DRY_RUN: "TRUE", dryRun: true },
    { DRY_RUN: "false", dryRun: false },
    { DRY_RUN: " False ", dryRun: false },
  ])("DRY_RUN=$DRY_RUN → dry run $dryRun", ({ DRY_RUN, dryRun }) => {
    expect(settingsFromEnv({ ...base, DRY_RUN }).dryRun).toBe(dryRun);
  });

  it("anything else is refused, naming the variable", () => {
    expect(() => settingsFromEnv({ ...base, DRY_RUN: "no" })).toThrow(ValidationError);
    expect(() => settingsFromEnv({ ...base, DRY_RUN: "no" })).toThrow(/DRY_RUN: must be "true" or "false", got "no"/);
  });
});

describe("UPDATE_BUDGET_PER_SECOND", () => {
  it.each([
    { value: undefined, updatesPerSecond: undefined },
    { value: "", updatesPerSecond: undefined },
    { value: "1", updatesPerSecond: 1 },
    { value: " 5 ", updatesPerSecond: 5 },
  ])("$value → $updatesPerSecond", ({ value, updatesPerSecond }) => {
    expect(settingsFromEnv({ ...base, UPDATE_BUDGET_PER_SECOND: value }).updatesPerSecond).toBe(updatesPerSecond);
  });

  it.each(["0", "6", "2.5", "four"])("%s is refused, naming the variable and the range", (value) => {
    expect(() => settingsFromEnv({ ...base, UPDATE_BUDGET_PER_SECOND: value })).toThrow(
      `UPDATE_BUDGET_PER_SECOND: must be a whole number of calls per second from 1 to 5, got ${JSON.stringify(value)}`,
    );
  });
});
