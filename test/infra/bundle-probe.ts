/**
 * A probe bundle for the bundler's plugins (infra/lib/bundle.ts): `source` written as an entry file in
 * `dir` and bundled the way the Lambda bundles are (ESM for Node, module builds first, `require`
 * available), with only `plugin`. Returns the bundle's path and the files esbuild put in it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { REQUIRE_BANNER } from "../../infra/lib/bundle.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function bundleProbe(dir: string, source: string, plugin: Plugin): Promise<{ bundle: string; inputs: string[] }> {
  const entry = join(dir, "entry.mjs");
  const bundle = join(dir, "bundle.mjs");
  writeFileSync(entry, source);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    nodePaths: [join(ROOT, "node_modules")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    mainFields: ["module", "main"],
    banner: { js: REQUIRE_BANNER },
    plugins: [plugin],
    metafile: true,
    logLevel: "silent",
  });
  return { bundle, inputs: Object.keys(result.metafile.inputs) };
}
