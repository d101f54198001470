#!/usr/bin/env node
// @ts-check
// Runs the CLI from an esbuild bundle of its TypeScript sources, built on first use and rebuilt when
// they change (bin/cli-cache.js), so `npx ecs-autoscaler …` works right after `npm ci` with no build
// step to remember. Deployed Lambda code is bundled separately (npm run package).
import { CliStartError, loadCli } from "./cli-cache.js";

if (process.env.ECS_AUTOSCALER_DEBUG === "1") process.setSourceMapsEnabled(true);
try {
  const { main } = await loadCli();
  process.exitCode = await main(process.argv);
} catch (error) {
  if (!(error instanceof CliStartError)) throw error;
  process.stderr.write(`ecs-autoscaler: ${error.message}\n`);
  process.exitCode = 1;
}
