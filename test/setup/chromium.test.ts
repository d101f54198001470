/**
 * How the browser tests get a browser: which one is found, and whether the set-up uses it, installs
 * Debian's chromium, or makes the browser tests fail with what to install.
 */
import { describe, expect, it } from "vitest";
import { BROWSER_PATHS, browserPlan, findBrowser, INSTALL_HINT } from "./chromium.ts";

const only =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe("findBrowser", () => {
  it.each([
    {
      name: "CHROMIUM_PATH wins over every other variable and path",
      env: { CHROMIUM_PATH: "/opt/c", CHROME_PATH: "/opt/g" },
      present: ["/opt/c", "/opt/g", "/usr/bin/chromium"],
      expected: { path: "/opt/c" },
    },
    { name: "CHROME_PATH when CHROMIUM_PATH is unset", env: { CHROME_PATH: "/opt/g" }, present: ["/opt/g", "/usr/bin/chromium"], expected: { path: "/opt/g" } },
    { name: "PUPPETEER_EXECUTABLE_PATH, the conventional Puppeteer variable", env: { PUPPETEER_EXECUTABLE_PATH: "/opt/p" }, present: ["/opt/p"], expected: { path: "/opt/p" } },
    { name: "an empty variable counts as unset", env: { CHROMIUM_PATH: "" }, present: ["/usr/bin/chromium"], expected: { path: "/usr/bin/chromium" } },
    { name: "Debian's /usr/bin/chromium before Chrome", env: {}, present: ["/usr/bin/google-chrome", "/usr/bin/chromium"], expected: { path: "/usr/bin/chromium" } },
    { name: "Google Chrome when there is no Chromium", env: {}, present: ["/usr/bin/google-chrome-stable"], expected: { path: "/usr/bin/google-chrome-stable" } },
    { name: "the snap", env: {}, present: ["/snap/bin/chromium"], expected: { path: "/snap/bin/chromium" } },
    { name: "macOS Chrome", env: {}, present: ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"], expected: { path: "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" } },
    { name: "nothing anywhere", env: {}, present: [], expected: { none: true } },
  ])("$name", ({ env, present, expected }) => {
    expect(findBrowser(env, only(...present))).toEqual(expected);
  });

  it("a variable naming no executable is reported, not skipped for a browser on the usual paths", () => {
    expect(findBrowser({ CHROMIUM_PATH: "/nope/chrome" }, only(...BROWSER_PATHS))).toEqual({
      badVariable: "CHROMIUM_PATH=/nope/chrome is not an executable file; point it at a Chrome or Chromium binary",
    });
  });
});

describe("browserPlan", () => {
  const none = { none: true } as const;
  it.each([
    {
      name: "a found browser is used, whatever the machine allows",
      facts: { found: { path: "/usr/bin/chromium" }, isRoot: false, hasSudo: false, hasApt: false },
      expected: { action: "use", path: "/usr/bin/chromium" },
    },
    { name: "root with apt-get installs without sudo", facts: { found: none, isRoot: true, hasSudo: false, hasApt: true }, expected: { action: "install", sudo: false } },
    { name: "root with sudo as well still needs no sudo", facts: { found: none, isRoot: true, hasSudo: true, hasApt: true }, expected: { action: "install", sudo: false } },
    { name: "a user with passwordless sudo and apt-get installs through sudo", facts: { found: none, isRoot: false, hasSudo: true, hasApt: true }, expected: { action: "install", sudo: true } },
    {
      name: "a user without passwordless sudo fails, saying what to install",
      facts: { found: none, isRoot: false, hasSudo: false, hasApt: true },
      expected: { action: "fail", message: `browser tests: no Chromium or Chrome found and cannot install one here (not root and no passwordless sudo); ${INSTALL_HINT}` },
    },
    {
      name: "no apt-get (macOS, another distribution) fails even as root",
      facts: { found: none, isRoot: true, hasSudo: true, hasApt: false },
      expected: { action: "fail", message: `browser tests: no Chromium or Chrome found and cannot install one here (no apt-get); ${INSTALL_HINT}` },
    },
    {
      name: "a bad variable fails with its own message instead of installing",
      facts: { found: { badVariable: "CHROME_PATH=/x is not an executable file" }, isRoot: true, hasSudo: false, hasApt: true },
      expected: { action: "fail", message: "browser tests: CHROME_PATH=/x is not an executable file" },
    },
  ])("$name", ({ facts, expected }) => {
    expect(browserPlan(facts)).toEqual(expected);
  });
});
