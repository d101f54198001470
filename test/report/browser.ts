/**
 * Opening a report in Debian's Chromium (headless, playwright-core) for the browser tests: one place for
 * the launch flags, the missing-browser message, and the console-error and network watchers.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

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
 * Writes `html` to a temporary file and opens it at 1280×900 in headless Chromium.
 * @throws Error telling the reader to run scripts/install-chromium.sh when Chromium is missing.
 */
export async function openReport(html: string): Promise<OpenedReport> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: the report's browser tests need Debian's chromium. Run scripts/install-chromium.sh (it installs it with apt-get).`);
  }
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  const file = join(dir, "report.html");
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
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
