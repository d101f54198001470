/** The checkout guard's comparison: which files a run created or removed in the checkout. */
import { describe, expect, it } from "vitest";
import { checkoutChanges } from "./checkout-guard.ts";

describe("checkoutChanges", () => {
  it.each([
    { name: "nothing changed", before: ["exists .serverless/x.json"], after: ["exists .serverless/x.json"], allowed: [], expected: [] },
    { name: "a new ignored or untracked file is created", before: [], after: ["exists reports/demo.html"], allowed: [], expected: ["created reports/demo.html"] },
    { name: "an ignored file that vanished was removed (a user's .serverless)", before: ["exists .serverless/state.json"], after: [], allowed: [], expected: ["removed .serverless/state.json"] },
    { name: "a tracked file deleted during the run was removed", before: [], after: ["deleted README.md"], allowed: [], expected: ["removed README.md"] },
    { name: "a tracked file restored during the run was created", before: ["deleted README.md"], after: [], allowed: [], expected: ["created README.md"] },
    { name: "the run's own output file is allowed", before: [], after: ["exists test-results/vitest.json"], allowed: ["test-results/vitest.json"], expected: [] },
    {
      name: "an allowed folder covers the files in it, not its neighbours",
      before: [],
      after: ["exists coverage/index.html", "exists coverage-old/x"],
      allowed: ["coverage"],
      expected: ["created coverage-old/x"],
    },
    { name: "several changes, sorted", before: ["exists dist/a.zip"], after: ["exists dist/b.zip"], allowed: [], expected: ["created dist/b.zip", "removed dist/a.zip"] },
  ])("$name", ({ before, after, allowed, expected }) => {
    expect(checkoutChanges(new Set(before), new Set(after), allowed)).toEqual(expected);
  });
});
