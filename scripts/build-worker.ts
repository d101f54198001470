/**
 * Builds `ecs-autoscaler/worker` for plain JavaScript workers: one ES module bundle
 * (`dist/worker/index.js`, its npm dependencies left as imports) and its type declarations. Run by
 * `npm run build:worker` and on install (`prepare`); `--out-dir DIR` builds elsewhere (tests).
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "shared/worker");

/** Builds the bundle and declarations into `outDir`; returns the files written. */
export async function buildWorker(outDir: string): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(source, "index.ts")],
    outfile: join(outDir, "index.js"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  await emitDeclarations(outDir);
  return (await readdir(outDir)).sort();
}

/** `.d.ts` files from the sources, their relative `.ts` imports pointed at the `.js` a consumer resolves. */
async function emitDeclarations(outDir: string): Promise<void> {
  const files = (await readdir(source)).filter((f) => f.endsWith(".ts")).map((f) => join(source, f));
  const program = ts.createProgram(files, {
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: source,
    outDir,
  });
  const result = program.emit();
  const problems = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (problems.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n",
    };
    throw new Error(ts.formatDiagnostics(problems, host));
  }
  for (const file of (await readdir(outDir)).filter((f) => f.endsWith(".d.ts"))) {
    const path = join(outDir, file);
    await writeFile(path, (await readFile(path, "utf8")).replace(/(from "\.\/[^"]+)\.ts"/g, '$1.js"'));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out-dir");
  const outDir = resolve((at > 0 ? process.argv[at + 1] : undefined) ?? join(root, "dist/worker"));
  const written = await buildWorker(outDir);
  process.stdout.write(`ecs-autoscaler/worker: ${written.join(", ")} in ${outDir}\n`);
}
