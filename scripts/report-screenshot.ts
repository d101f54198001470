/**
 * Regenerates docs/report-screenshot.png: the top of `npm start`'s report (reports/demo.html) at 1700 px
 * in headless Chromium or Chrome, found as the browser tests find it (CHROMIUM_PATH, /usr/bin/chromium, …).
 * Usage: npm start && node --import tsx scripts/report-screenshot.ts
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { findBrowser, INSTALL_HINT } from "../test/setup/chromium.ts";

const report = resolve("reports/demo.html");
const out = resolve("docs/report-screenshot.png");
const found = findBrowser(process.env);

if (!existsSync(report)) {
  process.stderr.write(`report-screenshot: ${report} is missing; run npm start first\n`);
  process.exit(2);
}
if (!("path" in found)) {
  process.stderr.write(`report-screenshot: no Chromium or Chrome found: ${INSTALL_HINT}\n`);
  process.exit(2);
}
const executablePath = found.path;
const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1700, height: 900 } });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  // The verdict, the table and the first chart: what a reader sees first (and under 300 KB).
  const bottom = await page.locator("#card-scatter").evaluate((el) => {
    const box = (el as unknown as { getBoundingClientRect(): { bottom: number } }).getBoundingClientRect();
    return Math.ceil(box.bottom + 12);
  });
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1700, height: bottom } });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
}
