import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: forks keep heavy suites (Chromium, dynalite) from starving each other.
    pool: "forks",
  },
});
