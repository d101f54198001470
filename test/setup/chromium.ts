/**
 * Finding a Chromium or Chrome for the browser tests, and installing Debian's `chromium` when none is
 * there and this machine lets us (root or passwordless sudo, and apt-get). The global setup calls
 * {@link resolveBrowser} once per test run, only when a browser test file is part of it; the tests get
 * the outcome through `inject("browser")` and fail with its one-line message when there is no browser.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/** Environment variables naming a browser binary, in the order they are honoured. */
export const BROWSER_ENV_VARS = ["CHROMIUM_PATH", "CHROME_PATH", "PUPPETEER_EXECUTABLE_PATH"] as const;

/** Where Chromium or Chrome usually lives: Debian's package first, then other Linux packages, then macOS. */
export const BROWSER_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
] as const;

/** What to install, in words a user can paste. */
export const INSTALL_HINT = "install Debian's chromium (sudo apt-get install chromium fonts-dejavu-core), or Chrome/Chromium elsewhere and set CHROMIUM_PATH to it";

/** The outcome the browser tests receive: a binary to launch, or why there is none. */
export type BrowserResolution = { path: string } | { problem: string };

/** Result of looking for a browser: found, not found, or an explicit variable pointing at nothing usable. */
export type FoundBrowser = { path: string } | { none: true } | { badVariable: string };

/** What the set-up should do, given what it found and what the machine allows. */
export type BrowserPlan = { action: "use"; path: string } | { action: "install"; sudo: boolean } | { action: "fail"; message: string };

/** Decides between using a found browser, installing Debian's chromium, and failing with what to install. */
export function browserPlan(facts: { found: FoundBrowser; isRoot: boolean; hasSudo: boolean; hasApt: boolean }): BrowserPlan {
  const { found } = facts;
  if ("path" in found) return { action: "use", path: found.path };
  // An explicit choice that does not work is the user's to fix; installing something else would hide it.
  if ("badVariable" in found) return { action: "fail", message: `browser tests: ${found.badVariable}` };
  if (facts.hasApt && (facts.isRoot || facts.hasSudo)) return { action: "install", sudo: !facts.isRoot };
  const why = facts.hasApt ? "not root and no passwordless sudo" : "no apt-get";
  return { action: "fail", message: `browser tests: no Chromium or Chrome found and cannot install one here (${why}); ${INSTALL_HINT}` };
}

/** True when `path` is a file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Looks for a browser: the first set variable of {@link BROWSER_ENV_VARS}, else {@link BROWSER_PATHS}. */
export function findBrowser(env: Readonly<Record<string, string | undefined>>, isExecutable: (path: string) => boolean = isExecutableFile): FoundBrowser {
  for (const name of BROWSER_ENV_VARS) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    return isExecutable(value) ? { path: value } : { badVariable: `${name}=${value} is not an executable file; point it at a Chrome or Chromium binary` };
  }
  const path = BROWSER_PATHS.find((p) => isExecutable(p));
  return path ? { path } : { none: true };
}

const run = promisify(execFile);

/** True when `command` is on PATH. */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && isExecutableFile(join(dir, command)));
}

async function passwordlessSudo(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!onPath("sudo", env)) return false;
  try {
    await run("sudo", ["-n", "true"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs Debian's chromium and fonts-dejavu-core with apt-get (through `sudo -n` when not root).
 * --no-install-recommends keeps it small; the fonts are there because a bare image has none and the
 * report's text would render as nothing. Returns the problem, or undefined on success.
 */
async function aptInstallChromium(sudo: boolean, log: (line: string) => void): Promise<string | undefined> {
  const aptOptions = { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 };
  const apt = (args: string[]) => (sudo ? run("sudo", ["-n", "apt-get", ...args], aptOptions) : run("apt-get", args, aptOptions));
  try {
    await apt(["update", "-qq"]);
    await apt(["install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-dejavu-core"]);
    return undefined;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    log(`${e.stdout ?? ""}${e.stderr ?? e.message}`.trim().split("\n").slice(-20).join("\n"));
    return `browser tests: installing Debian's chromium with apt-get failed (its output is above); ${INSTALL_HINT}`;
  }
}

/**
 * Finds a browser, or installs Debian's chromium where the machine allows it (printing one line that it
 * does), and returns the binary or the one-line reason the browser tests will fail with.
 */
export async function resolveBrowser(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BrowserResolution> {
  const found = findBrowser(env);
  const needsFacts = "none" in found;
  const plan = browserPlan({
    found,
    isRoot: process.getuid?.() === 0,
    hasSudo: needsFacts && process.getuid?.() !== 0 ? await passwordlessSudo(env) : false,
    hasApt: needsFacts && onPath("apt-get", env),
  });
  if (plan.action === "use") return { path: plan.path };
  if (plan.action === "fail") return { problem: plan.message };
  log("browser tests: no Chromium found; installing Debian's chromium with apt-get (one time, ~1 min)…");
  const problem = await aptInstallChromium(plan.sudo, log);
  if (problem) return { problem };
  const after = findBrowser(env);
  return "path" in after ? { path: after.path } : { problem: `browser tests: apt-get installed chromium but no browser is at ${BROWSER_PATHS[0]}; ${INSTALL_HINT}` };
}
