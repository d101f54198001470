/**
 * The package-time build: validate the config and the settings (every problem listed), plan the
 * deployment, bundle both functions and write the values serverless.yml reads. Used by
 * scripts/package.ts (`npm run package`) and, through it, by infra/values.cjs when the Serverless
 * Framework is run directly (`npx serverless deploy`).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseConfigText } from "../../shared/config/config-file.ts";
import type { ConfigProblem } from "../../shared/config/issues.ts";
import { packConfig } from "../../shared/config/packaged.ts";
import { type BundleOutput, bundleFunction, FUNCTIONS, type LambdaName } from "./bundle.ts";
import { planDeployment } from "./plan.ts";
import { describeExcess, exceeded, measureValues, type QuotaMeasure } from "./quotas.ts";
import { parseSettings, type RawSettings } from "./settings.ts";
import { DEFAULT_OUT_DIR, type DeployValues, deployValues, VALUES_FILE_NAME } from "./values.ts";

/** Why packaging stopped: the file (or parameter set) at fault and every problem in it. */
export class PackagingError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
    what = "is invalid",
  ) {
    super(`${source} ${what}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "PackagingError";
  }
}

export interface BuildResult {
  values: DeployValues;
  valuesFile: string;
  bundles: Record<LambdaName, BundleOutput>;
  /** Settings of the config that contradict each other (it still packages). */
  warnings: ConfigProblem[];
  /** The quotas the config decides, as measured (all within their limits, or the build throws). */
  quotas: QuotaMeasure[];
}

/**
 * Runs the build from the repository `root`. Throws {@link PackagingError} listing every problem
 * when the settings, the config file or the deployment plan are invalid (nothing is built then), or
 * when the generated stack would exceed an AWS quota (the values file is not written then).
 */
export async function buildDeployment(
  root: string,
  raw: Partial<RawSettings>,
  options: { outDir?: string } = {},
): Promise<BuildResult> {
  const parsedSettings = parseSettings(raw);
  if (!parsedSettings.settings)
    throw new PackagingError("the deployment parameters", parsedSettings.problems);
  const settings = parsedSettings.settings;

  const configFile = isAbsolute(settings.configPath)
    ? settings.configPath
    : resolve(root, settings.configPath);
  let configText: string;
  try {
    configText = await readFile(configFile, "utf8");
  } catch (error) {
    throw new PackagingError(settings.configPath, [
      { path: "$", message: `cannot read the config file: ${(error as Error).message}` },
    ]);
  }
  const parsed = parseConfigText(configText);
  if (!parsed.config) throw new PackagingError(settings.configPath, parsed.problems);
  const planned = planDeployment(parsed.config);
  if (!planned.plan) throw new PackagingError(settings.configPath, planned.problems);

  const outDir = resolve(root, options.outDir ?? DEFAULT_OUT_DIR);
  const names = Object.keys(FUNCTIONS) as LambdaName[];
  // INTERVAL_SECONDS still overrides intervalSeconds at run time (the environment is not packaged).
  const packagedConfig = packConfig(parsed.config, settings.configPath);
  const built = await Promise.all(
    names.map((name) => bundleFunction({ name, entry: FUNCTIONS[name], root, outDir, packagedConfig })),
  );
  const bundles = Object.fromEntries(built.map((b) => [b.name, b])) as Record<LambdaName, BundleOutput>;

  const values = deployValues({
    configText,
    settings,
    plan: planned.plan,
    bundles,
    relativePath: (p) => relative(root, p),
  });
  const quotas = measureValues(values);
  const over = exceeded(quotas);
  if (over.length > 0)
    throw new PackagingError(settings.configPath, over.map(describeExcess), "does not fit one stack");
  const valuesFile = join(outDir, VALUES_FILE_NAME);
  await mkdir(dirname(valuesFile), { recursive: true });
  await writeFile(valuesFile, `${JSON.stringify(values, null, 2)}\n`);
  return { values, valuesFile, bundles, warnings: parsed.warnings, quotas };
}
