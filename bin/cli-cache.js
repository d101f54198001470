// @ts-check
/**
 * The CLI's build cache: shared/cli bundled once by esbuild and reused while its inputs are unchanged,
 * so a call starts in well under 300 ms instead of compiling the TypeScript every time.
 *
 * - Where: node_modules/.cache/ecs-autoscaler/<key>/ (git-ignored), or $ECS_AUTOSCALER_CACHE_DIR; the
 *   system's temporary folder when node_modules is not writable.
 * - When to rebuild: `key` hashes the checkout's path and the size and mtime of every file under shared/
 *   plus package.json, package-lock.json and this file. Any edit, checkout or `npm ci` changes it.
 * - Concurrency: a build goes to a fresh temporary folder renamed into place in one step; when two calls
 *   build at once, the first rename wins and the other call uses the winner's build.
 * - Without esbuild (an install without the dev dependencies) the CLI runs from source through tsx, if
 *   that is there, and says so; otherwise it stops with what to install.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The checkout this file belongs to. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const ENTRY = "shared/cli/main.ts";
const SOURCE_DIR = "shared";
/** Build inputs besides the sources: the version and dependencies, and how the build is made. */
const OTHER_INPUTS = ["package.json", "package-lock.json", "bin/cli-cache.js"];
/** Builds other than the current one are removed once this old (a running CLI may still load chunks). */
const PRUNE_AFTER_MS = 10 * 60 * 1000;

/** A start-up problem the user can act on: printed as one line, exit 1. */
export class CliStartError extends Error {}

/** The cache folder: $ECS_AUTOSCALER_CACHE_DIR, else node_modules/.cache/ecs-autoscaler in `root`. */
export function cacheDir(env = process.env, root = ROOT) {
  return env.ECS_AUTOSCALER_CACHE_DIR || join(root, "node_modules", ".cache", "ecs-autoscaler");
}

/** The build's key: a hash of the checkout's path and every input file's path, size and mtime. */
export function sourceKey(root = ROOT) {
  const hash = createHash("sha256").update(root);
  const sources = readdirSync(join(root, SOURCE_DIR), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of [...sources, ...OTHER_INPUTS.map((f) => join(root, f))]) {
    const stat = statSync(file, { throwIfNoEntry: false });
    hash.update(`\0${relative(root, file)}\0${stat ? `${stat.size}:${stat.mtimeMs}` : "-"}`);
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * ESM output that bundles CommonJS dependencies needs a real `require` for the Node built-ins those
 * dependencies load; esbuild's shim would throw "Dynamic require of … is not supported".
 */
const REQUIRE_BANNER =
  "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);";

/** Our sources find files beside them (data/traces) through import.meta.url: keep it their own URL. */
const sourceUrls = {
  name: "source-import-meta-url",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      return {
        contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: "ts",
      };
    });
  },
};

/**
 * Packages loaded from node_modules rather than bundled: seek-bzip calls the deprecated `Buffer()`,
 * which Node only tolerates silently from code inside node_modules; esbuild (the report bundles its
 * page script) finds its native binary relative to its own files.
 */
const FROM_NODE_MODULES = ["seek-bzip", "esbuild"];

/** Imports the FROM_NODE_MODULES packages by their file URL in the checkout (the cache may be elsewhere). */
const fromNodeModules = {
  name: "from-node-modules",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    const filter = new RegExp(`^(${FROM_NODE_MODULES.join("|")})$`);
    build.onResolve({ filter }, async (args) => {
      if (args.pluginData === "from-node-modules") return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: "from-node-modules",
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

/**
 * Bundles the CLI into `<dir>/<key>/main.mjs` (lazily loaded commands in their own chunks), with
 * chunks.json beside it saying what each chunk holds.
 * @param {string} root the checkout
 * @param {string} dir the cache folder
 * @param {string} key the build's {@link sourceKey}
 * @returns {Promise<boolean>} false when esbuild is not installed.
 */
export async function buildCli(root, dir, key) {
  /** @type {typeof import("esbuild")} */
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return false;
  }
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(dir, `${key}.building-`));
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { main: ENTRY },
      outdir: staging,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      // Prefer the ES module builds of dependencies (the SDK ships both): they tree-shake.
      mainFields: ["module", "main"],
      minify: true,
      // For ECS_AUTOSCALER_DEBUG=1 stacks; the sources stay out of the map.
      sourcemap: true,
      sourcesContent: false,
      banner: { js: REQUIRE_BANNER },
      plugins: [sourceUrls, fromNodeModules],
      metafile: true,
      logLevel: "silent",
    });
    writeFileSync(
      join(staging, "chunks.json"),
      `${JSON.stringify(chunkContents(result.metafile), null, 1)}\n`,
    );
    try {
      renameSync(staging, join(dir, key));
    } catch (error) {
      // Another call finished the same build first; its result is as good as ours.
      if (!existsSync(join(dir, key, "main.mjs"))) throw error;
    }
  } catch (error) {
    const messages = /** @type {{ errors?: import("esbuild").Message[] }} */ (error).errors;
    if (!messages?.length) throw error;
    const where = (/** @type {import("esbuild").Message} */ m) =>
      m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
    throw new CliStartError(
      `cannot build the CLI: ${messages.map((m) => `${where(m)}${m.text}`).join("; ")}`,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  prune(dir, key);
  return true;
}

/**
 * What each output chunk holds: the project files and the npm packages (by name) bundled into it.
 * @param {import("esbuild").Metafile} metafile
 * @returns {Record<string, string[]>}
 */
function chunkContents(metafile) {
  /** @type {Record<string, string[]>} */
  const chunks = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!file.endsWith(".mjs")) continue;
    const held = Object.keys(output.inputs).map(
      (input) => input.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? input,
    );
    chunks[file.slice(file.lastIndexOf("/") + 1)] = [...new Set(held)].sort();
  }
  return chunks;
}

/**
 * Removes earlier builds and abandoned staging folders, once they are old enough not to be in use.
 * @param {string} dir
 * @param {string} key
 */
function prune(dir, key) {
  for (const name of readdirSync(dir)) {
    if (name === key) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * True for errors that mean "this folder is not writable".
 * @param {unknown} error
 */
function notWritable(error) {
  return ["EACCES", "EPERM", "EROFS"].includes(/** @type {{ code?: string }} */ (error).code ?? "");
}

/**
 * Runs the CLI from the TypeScript sources through tsx: slower, for installs without esbuild.
 * @param {string} root
 */
async function fromSource(root) {
  let tsx;
  try {
    tsx = await import("tsx/esm/api");
  } catch {
    throw new CliStartError(
      `esbuild is not installed, so the CLI cannot be built; run \`npm ci\` in ${root} (the CLI needs the dev dependencies)`,
    );
  }
  process.stderr.write(
    "ecs-autoscaler: esbuild is not installed; running from source through tsx (slow start)\n",
  );
  tsx.register();
  return import(pathToFileURL(join(root, ENTRY)).href);
}

/**
 * The CLI's main module: the cached build for the current sources, built first when missing.
 * @returns {Promise<{ main: (argv: readonly string[]) => Promise<number> }>}
 */
export async function loadCli(env = process.env, root = ROOT) {
  const key = sourceKey(root);
  for (const dir of [
    cacheDir(env, root),
    join(tmpdir(), `ecs-autoscaler-cli-${process.getuid?.() ?? "user"}`),
  ]) {
    const entry = join(dir, key, "main.mjs");
    if (existsSync(entry)) return import(pathToFileURL(entry).href);
    try {
      if (!(await buildCli(root, dir, key))) return fromSource(root);
    } catch (error) {
      if (notWritable(error)) continue;
      throw error;
    }
    return import(pathToFileURL(entry).href);
  }
  throw new CliStartError("cannot write the CLI's build cache (node_modules/.cache or the temporary folder)");
}
