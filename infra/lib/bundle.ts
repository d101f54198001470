/**
 * One minified ESM bundle per Lambda function, built with esbuild, zipped with the packaged config
 * (validated JSON, shared/config/packaged.ts) beside the handler. The zip is deterministic (sorted entries, fixed timestamps and permissions), so the
 * same sources and config give the same bytes and CloudFormation sees no change to deploy.
 *
 * The AWS SDK is bundled, not taken from the Lambda runtime: only the clients a function imports end
 * up in it (tree-shaken from the SDK's ES modules), its version is the one package-lock.json pins and
 * the tests ran against, and one file loads faster than many from the runtime's node_modules.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import { zipSync } from "fflate";

/** The functions and their entry points (the runtime's handlers export `handler`). */
export const FUNCTIONS = {
  evaluate: "functions/evaluate/handler.ts",
  "task-events": "functions/task-events/handler.ts",
} as const;

export type LambdaName = keyof typeof FUNCTIONS;

/** File names inside each artifact: Lambda's handler setting is `index.handler`. */
export const ARTIFACT_FILES = {
  handler: "index.mjs",
  sourceMap: "index.mjs.map",
  config: "config.json",
} as const;

/**
 * ESM output that bundles CommonJS dependencies needs a real `require` for the Node built-ins those
 * dependencies load; esbuild's shim would throw "Dynamic require of … is not supported".
 */
export const REQUIRE_BANNER =
  "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);";

/**
 * Lambda gives a function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the SDK's default chain (shared ini files, SSO, web
 * identity through STS, container and instance metadata: about 130 KiB with the STS and SSO clients)
 * is never used there. Passing `credentials` to a client does not keep the chain out of a bundle (each
 * client's runtime config imports it statically), so this resolves the chain's package to
 * `fromEnv` of @aws-sdk/credential-provider-env, the chain's own first link. Missing variables fail
 * the first AWS call with the SDK's "Unable to find environment variable credentials".
 */
export const environmentCredentialsOnly: Plugin = {
  name: "environment-credentials-only",
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({
      path: args.path,
      namespace: "environment-credentials",
      pluginData: { resolveDir: args.resolveDir },
    }));
    b.onLoad({ filter: /.*/, namespace: "environment-credentials" }, async (args) => {
      // Resolved from the chain's own package, which depends on credential-provider-env.
      const chain = await b.resolve("@aws-sdk/credential-provider-node/package.json", {
        kind: "import-statement",
        resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      });
      return {
        contents:
          'import { fromEnv } from "@aws-sdk/credential-provider-env"; export const defaultProvider = (init) => fromEnv(init);',
        resolveDir: dirname(chain.path),
      };
    });
  },
};

/**
 * The SDK's protocols load their event-stream support (about 15 KiB minified) by a dynamic import that
 * esbuild inlines into the bundle, although only operations with an event-stream member use it, and no
 * operation the functions call (ECS, SQS, DynamoDB, CloudWatch) has one. This resolves that import to
 * a stub that says so if it is ever reached.
 */
export const noEventStreams: Plugin = {
  name: "no-event-streams",
  setup(b) {
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => ({
      path: args.path,
      namespace: "no-event-streams",
    }));
    b.onLoad({ filter: /.*/, namespace: "no-event-streams" }, () => ({
      contents: `const refuse = () => { throw new Error("event streams are not in this bundle: no operation the functions call has one (infra/lib/bundle.ts)"); };
export class EventStreamSerde { constructor() { refuse(); } }
export const eventStreamSerdeProvider = refuse;`,
    }));
  },
};

/**
 * Each SDK client imports its whole package.json (about 2 KiB minified apiece, 9 KiB for the four
 * clients) to read one field, `version`, for the user agent. This loads those files as `{ version }`
 * alone, so the user agent is unchanged.
 */
export const clientVersionOnly: Plugin = {
  name: "client-version-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ }, async (args) => {
      const { version } = JSON.parse(await readFile(args.path, "utf8")) as { version: string };
      return { contents: JSON.stringify({ version }), loader: "json" };
    });
  },
};

/**
 * The DynamoDB client carries endpoint discovery, whose cache (an LRU from mnemonist, about 8 KiB
 * minified) is built with every client although discovery is off by default and `createAwsClients`
 * turns it off explicitly. With discovery off the middleware only asks the cache for an endpoint,
 * so this resolves the cache to one that never has any and refuses to store one if discovery were
 * ever turned on.
 */
export const noEndpointDiscoveryCache: Plugin = {
  name: "no-endpoint-discovery-cache",
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/endpoint-cache$/ }, (args) => ({
      path: args.path,
      namespace: "no-endpoint-discovery-cache",
    }));
    b.onLoad({ filter: /.*/, namespace: "no-endpoint-discovery-cache" }, () => ({
      contents: `const refuse = () => { throw new Error("endpoint discovery is not in this bundle: the clients turn it off (infra/lib/bundle.ts)"); };
export class EndpointCache {
  getEndpoint() { return undefined; }
  get() { return undefined; }
  has() { return false; }
  set() { refuse(); }
  delete() {}
  clear() {}
}`,
    }));
  },
};

/**
 * The SDK's SHA-256 and MD5 hashes use node:crypto and keep a pure-JavaScript fallback (about 5 KiB
 * minified) for runtimes without it. Lambda's Node.js has both digests, so this resolves the
 * fallbacks, as the native classes import them, to a class that names the missing digest if it is
 * ever built.
 */
export const nativeHashesOnly: Plugin = {
  name: "native-hashes-only",
  setup(b) {
    b.onResolve({ filter: /^\.\/(Sha256Js|Md5Js)$/ }, (args) =>
      /[\\/]checksum[\\/](sha256|md5)[\\/](Sha256|Md5)Node\.js$/.test(args.importer)
        ? { path: args.path, namespace: "native-hashes-only" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "native-hashes-only" }, (args) => {
      const name = args.path.slice(2);
      return {
        contents: `export class ${name} { constructor() { throw new Error("node:crypto has no ${name.slice(0, -2).toLowerCase()} digest here and the JavaScript fallback is not in this bundle (infra/lib/bundle.ts)"); } }`,
      };
    });
  },
};

/** A DOS timestamp built from local fields, so the zip bytes do not depend on the machine's time zone. */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

export interface BundleInput {
  name: string;
  /** Entry file, relative to `root`. */
  entry: string;
  /** Repository root (esbuild's working directory). */
  root: string;
  /** Output directory; the bundle goes to `<outDir>/<name>/`, the artifact to `<outDir>/<name>.zip`. */
  outDir: string;
  /** The packaged config's text (`packConfig` of shared/config/packaged.ts), written next to the handler. */
  packagedConfig: string;
}

export interface BundleOutput {
  name: string;
  /** Absolute path of the zip artifact. */
  artifact: string;
  /** Bytes of the minified bundle (index.mjs). */
  bundleBytes: number;
  /** Bytes of the zip artifact. */
  artifactBytes: number;
  /** The project's own source files in the bundle, relative to the root (from esbuild's metafile). */
  inputs: string[];
  /** npm packages in the bundle, e.g. `@aws-sdk/client-ecs`. */
  packages: string[];
}

/** Builds one function's bundle and artifact. Throws with esbuild's messages when the build fails. */
export async function bundleFunction(input: BundleInput): Promise<BundleOutput> {
  const dir = join(input.outDir, input.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, ARTIFACT_FILES.handler);
  const result = await build({
    absWorkingDir: input.root,
    entryPoints: [input.entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    // Prefer the ES module builds of dependencies (the SDK ships both): they tree-shake.
    mainFields: ["module", "main"],
    minify: true,
    // The map goes beside the bundle without a sourceMappingURL comment: Node never reads it at
    // init, and functions/lib/source-mapped-stack.ts maps an error's stack from it when one is
    // reported. The sources themselves stay out of the map to keep the artifact small.
    sourcemap: "external",
    sourcesContent: false,
    // Licence texts of the bundled packages go to a file in the artifact rather than being dropped.
    legalComments: "linked",
    banner: { js: REQUIRE_BANNER },
    plugins: [
      environmentCredentialsOnly,
      noEventStreams,
      clientVersionOnly,
      noEndpointDiscoveryCache,
      nativeHashesOnly,
    ],
    metafile: true,
    logLevel: "silent",
  });
  await writeFile(join(dir, "meta.json"), JSON.stringify(result.metafile));
  await writeFile(join(dir, ARTIFACT_FILES.config), input.packagedConfig);

  const files = await artifactFiles(dir);
  const zip = zipSync(
    Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: FIXED_MTIME }]])),
    { level: 9, os: 3, attrs: 0o644 << 16, mtime: FIXED_MTIME },
  );
  const artifact = join(input.outDir, `${input.name}.zip`);
  await mkdir(dirname(artifact), { recursive: true });
  await writeFile(artifact, zip);
  return {
    name: input.name,
    artifact,
    bundleBytes: files[ARTIFACT_FILES.handler]!.byteLength,
    artifactBytes: zip.byteLength,
    inputs: bundledSources(result.metafile, input.root),
    packages: bundledPackages(result.metafile),
  };
}

/** The artifact's files in a fixed order: handler, source map, licences (if any), config. */
async function artifactFiles(dir: string): Promise<Record<string, Uint8Array>> {
  const names = [
    ARTIFACT_FILES.handler,
    ARTIFACT_FILES.sourceMap,
    `${ARTIFACT_FILES.handler}.LEGAL.txt`,
    ARTIFACT_FILES.config,
  ];
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    try {
      files[name] = await readFile(join(dir, name));
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code !== "ENOENT" ||
        name !== `${ARTIFACT_FILES.handler}.LEGAL.txt`
      )
        throw error;
    }
  }
  return files;
}

/** The project's own source files in a bundle (dependencies excluded), relative to the root. */
function bundledSources(metafile: Metafile, root: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((p) => !p.includes("node_modules/"))
    .map((p) => relative(root, join(root, p)))
    .sort();
}

/** Names of the npm packages whose files are in a bundle, sorted. */
function bundledPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const path of Object.keys(metafile.inputs)) {
    const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
    const last = match?.at(-1);
    if (last) names.add(last.slice("node_modules/".length, -1));
  }
  return [...names].sort();
}
