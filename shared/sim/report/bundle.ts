/**
 * The page's client code: client/main.ts and uPlot, bundled by esbuild into one minified script when the
 * first report of a process is rendered (100–170 ms measured), then kept in memory. Nothing generated is committed,
 * so `npm start` works on a fresh clone.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const require = createRequire(import.meta.url);
let cached: { script: string; css: string } | undefined;

/** The client script (an IIFE; no imports left) and uPlot's stylesheet, to inline into the page. */
export function clientAssets(): { script: string; css: string } {
  if (cached) return cached;
  const result = buildSync({
    banner: { js: uplotNotice() },
    entryPoints: [fileURLToPath(new URL("./client/main.ts", import.meta.url))],
    bundle: true,
    write: false,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    legalComments: "inline",
    logLevel: "silent",
  });
  const script = result.outputFiles[0]!.text.replaceAll("</script", "<\\/script");
  const css = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
  cached = { script, css };
  return cached;
}

/** uPlot's copyright line, which its MIT licence asks every copy to keep (its file header, minus the URL). */
function uplotNotice(): string {
  const header = readFileSync(require.resolve("uplot/dist/uPlot.esm.js"), "utf8").slice(0, 400);
  const copyright = header.match(/Copyright \(c\)[^\n]*/)?.[0] ?? "Copyright (c) Leon Sorokin";
  const { version } = require("uplot/package.json") as { version: string };
  return `/*! uPlot ${version}, ${copyright.trim()}, MIT licence */`;
}
