/**
 * Running `npm run package` from a test: in a temporary copy of the checkout's packaging inputs
 * (node_modules linked), since the Serverless Framework empties `<service dir>/.serverless` on every
 * package and a test must not delete what the user packaged; with no AWS credentials at all.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));
/** What packaging reads, copied; node_modules linked. */
const PACKAGING_INPUTS = ["serverless.yml", "package.json", "tsconfig.json", "scripts", "infra", "functions", "shared", "config", "test/fixtures/deploy"];

/** A temporary copy of the checkout's packaging inputs, where packaging may write and delete as it likes. */
export function packagingCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), "ecs-autoscaler-checkout-"));
  for (const path of PACKAGING_INPUTS) cpSync(join(CHECKOUT, path), join(copy, path), { recursive: true });
  symlinkSync(join(CHECKOUT, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/** An environment with no AWS credentials or profile at all, and an empty home directory. */
export function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  const home = mkdtempSync(join(tmpdir(), "ecs-autoscaler-pkg-"));
  return { ...env, HOME: home, AWS_CONFIG_FILE: join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: join(home, "none"), AWS_EC2_METADATA_DISABLED: "true" };
}

/** `scripts/package.ts` with `args`, run in `root` (a {@link packagingCopy}). */
export function runPackageIn(root: string, args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/package.ts", ...args], { cwd: root, env: credentialFreeEnv(), encoding: "utf8", timeout: 240_000 });
}
