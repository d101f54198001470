/**
 * Package-time validation of schedule cron expressions (shared/config/cron.ts): the syntax cron-parser
 * accepts, and only what croner, which evaluates schedules at run time, can parse as well.
 */
import { describe, expect, it } from "vitest";
import { cronProblem } from "../../shared/config/cron.ts";

describe("cronProblem", () => {
  it.each(["0 6 * * *", "*/15 * * * *", "0 8 * * 1-5", "0 9 * JAN,MAR MON-FRI", "0 0 L * *", "0 0 * * 5L", "0 0 * * 1#2", "0 0 ? * *", "0 0 * * 7", "5/5 * * * *"])("accepts %s", (expression) => {
    expect(cronProblem(expression)).toBe(undefined);
  });

  it.each([
    { expression: "0 6 * *", problem: /^expected 5 cron fields .* got 4/ },
    { expression: "0 25 * * *", problem: /^invalid cron "0 25 \* \* \*": / },
    { expression: "0 0 * * 5-1", problem: /^invalid cron "0 0 \* \* 5-1": / },
    // cron-parser reads H as a hashed value; croner cannot evaluate it, so it is refused here, not at run time.
    { expression: "H * * * *", problem: /^invalid cron "H \* \* \* \*": CronPattern: .*illegal characters/ },
  ])("refuses $expression", ({ expression, problem }) => {
    expect(cronProblem(expression)).toMatch(problem);
  });
});
