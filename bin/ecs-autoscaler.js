#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so `npx ecs-autoscaler …` works right
// after `npm ci` with no build step to remember. Deployed Lambda code is bundled by esbuild instead.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../shared/cli/main.ts");
process.exitCode = await main(process.argv);
