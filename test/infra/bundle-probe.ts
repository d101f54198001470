/**
 * A probe bundle for the bundler's plugins (infra/lib/bundle.ts): `source` written as an entry file in
 * `dir` and bundled the way the Lambda bundles are (ESM for Node, module builds first, `require`
 * available), with only `plugins`. Returns the bundle's path, the files esbuild read and the bytes each put in the output.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { REQUIRE_BANNER } from "../../infra/lib/bundle.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function bundleProbe(dir: string, source: string, plugins: Plugin | Plugin[]): Promise<{ bundle: string; inputs: string[]; bytesInOutput: Record<string, number> }> {
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
    plugins: [plugins].flat(),
    metafile: true,
    logLevel: "silent",
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const bytesInOutput = Object.fromEntries(Object.entries(output?.inputs ?? {}).map(([p, i]) => [p, i.bytesInOutput]));
  return { bundle, inputs: Object.keys(result.metafile.inputs), bytesInOutput };
}
