/**
 * Stack traces of the Lambda bundles pointed back at the TypeScript, read from the source map only
 * when an error is reported. Node's `--enable-source-maps` would do it for every trace, but it costs
 * every cold start about 12 ms (measured with `npm run bench:lambda`) for a map that is read only
 * when something fails, so the bundles carry their map beside them without a `sourceMappingURL`
 * comment and this maps a trace on demand: `bundle.mjs:1:48213` becomes the file, line and column
 * of the source it came from.
 */
import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { fileURLToPath } from "node:url";
import type { MiddlewareObj } from "@middy/core";

/** `file:///…/x.mjs:line:column` or `/…/x.mjs:line:column` in a V8 stack frame. */
const FRAME_LOCATION = /((?:file:\/\/)?\/[^\s():]+\.mjs):(\d+):(\d+)/g;

/** Maps read so far by bundle path; `null` for a bundle without one (tests, tsx). */
const maps = new Map<string, SourceMap | null>();

function mapOf(bundlePath: string): SourceMap | null {
  let map = maps.get(bundlePath);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, "utf8")) as SourceMapPayload);
    } catch {
      map = null;
    }
    maps.set(bundlePath, map);
  }
  return map;
}

/**
 * `stack` with every frame in a bundle that has a `.map` beside it rewritten to its original
 * source position (relative to the repository, as esbuild wrote it); other frames unchanged.
 */
export function mappedStack(stack: string): string {
  return stack.replace(FRAME_LOCATION, (whole, location: string, line: string, column: string) => {
    const path = location.startsWith("file://") ? fileURLToPath(location) : location;
    const origin = mapOf(path)?.findOrigin(Number(line), Number(column));
    if (origin === undefined || !("fileName" in origin)) return whole;
    return `${origin.fileName.replace(/^(\.\.\/)+/, "")}:${origin.lineNumber}:${origin.columnNumber}`;
  });
}

/** Middy middleware: the error an invocation ends with carries a mapped stack when Lambda logs it. */
export function sourceMappedErrors(): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof Error && typeof error.stack === "string") error.stack = mappedStack(error.stack);
    },
  };
}
