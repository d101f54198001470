/**
 * Opening a report in headless Chromium or Chrome (playwright-core) for the browser tests: one place for
 * the launch flags, the missing-browser failure, and the console-error and network watchers. Which
 * browser: the one the global setup found or installed (test/setup/chromium.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

/** An opened report and what the browser reported while loading and using it. */
export interface OpenedReport {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  consoleErrors: string[];
  /** Every request for something other than a file: URL (a self-contained page makes none). */
  externalRequests: string[];
  close(): Promise<void>;
}

/**
 * The browser binary the global setup resolved.
 * @throws Error with the set-up's one-line reason (what to install) when there is none.
 */
export function browserPath(): string {
  const browser = inject("browser");
  if (browser === undefined) throw new Error("browser tests: the global setup (test/setup/global.ts) did not look for a browser; run the tests through vitest's config");
  if ("problem" in browser) throw new Error(browser.problem);
  return browser.path;
}

/**
 * Writes `html` to a temporary file and opens it at 1280×900 in headless Chromium.
 * @throws Error saying what to install when there is no browser.
 */
export async function openReport(html: string): Promise<OpenedReport> {
  const executablePath = browserPath();
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  const file = join(dir, "report.html");
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) externalRequests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return {
    browser,
    page,
    consoleErrors,
    externalRequests,
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Size and drawn length of every line in one chart, as the browser measured them. */
export async function measureLines(page: Page, chartId: string): Promise<{ length: number; width: number }[]> {
  return page.locator(`svg#${chartId} path.line`).evaluateAll((paths) =>
    paths.map((p) => {
      const path = p as unknown as { getTotalLength(): number; getBBox(): { width: number } };
      return { length: path.getTotalLength(), width: path.getBBox().width };
    }),
  );
}
