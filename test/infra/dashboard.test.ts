/**
 * The dashboard body, byte for byte: test/fixtures/dashboard holds the bodies generated for a few
 * plans (every row kind: services with and without a queue or Spot sibling, queues with and without a
 * target wait, a fleet of 120 shown by SEARCH), live and dry run. A change to the dashboard updates them on purpose.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardBody } from "../../infra/lib/observability.ts";
import { dashboardPlans } from "./dashboard-plans.ts";

const fixtures = join(import.meta.dirname, "../fixtures/dashboard");
const cases = Object.keys(dashboardPlans).flatMap((name) => [
  { name, dryRun: false, file: `${name}.json` },
  { name, dryRun: true, file: `${name}-dry-run.json` },
]);

describe("dashboard body", () => {
  it.each(cases)("$file: the body generated for $name (dry run $dryRun) is the recorded one", ({ name, dryRun, file }) => {
    const body = dashboardBody(dashboardPlans[name]!(), { dryRun })["Fn::Sub"];
    expect(`${body}\n`).toBe(readFileSync(join(fixtures, file), "utf8"));
  });
});
