/**
 * No text below a legible size, at 760 px and at 1400 px: every visible text on the page is at least
 * 11 CSS px, and so is the text uPlot draws on its canvases (axis ticks and titles, whose size is set in
 * the chart options, not by the page's CSS).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axisFontPx, labelFontPx } from "../../shared/sim/report/client/fonts.ts";
import { renderReport } from "../../shared/sim/report/render.ts";
import { type OpenedReport, openReport } from "./browser.ts";
import { buildFixture, fixtureSettings } from "./fixture.ts";
import { chartStates } from "./report-page.ts";

const minimumPx = 11;
let report: OpenedReport;

beforeAll(async () => {
  const output = { ...buildFixture(), settings: fixtureSettings, warnings: ["a warning, to have every kind of box on the page"] };
  report = await openReport(renderReport(output));
});

afterAll(async () => {
  await report?.close();
});

interface TextBox {
  text: string;
  fontSize: number;
}

/** Every visible element with its own text, and its computed font size. */
async function visibleTexts(): Promise<TextBox[]> {
  return report.page.evaluate(() => {
    type El = { childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>; getClientRects(): ArrayLike<unknown>; tagName: string };
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<El> };
      getComputedStyle(e: El): { fontSize: string; visibility: string };
    };
    const out: { text: string; fontSize: number }[] = [];
    for (const el of Array.from(g.document.querySelectorAll("body *"))) {
      if (["SCRIPT", "STYLE"].includes(el.tagName)) continue;
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent ?? "")
        .join("")
        .trim();
      if (!own || el.getClientRects().length === 0) continue;
      const style = g.getComputedStyle(el);
      if (style.visibility === "hidden") continue;
      out.push({ text: own.slice(0, 40), fontSize: Number.parseFloat(style.fontSize) });
    }
    return out;
  });
}

describe.each([760, 1400])("at %i px wide", (width) => {
  beforeAll(async () => {
    await report.page.setViewportSize({ width, height: 900 });
  });

  it(`renders no visible text below ${minimumPx} px`, async () => {
    const texts = await visibleTexts();
    expect(texts.length).toBeGreaterThan(200);
    expect(texts.filter((t) => t.fontSize < minimumPx)).toEqual([]);
  });

  it(`draws every chart's axis text at ${minimumPx} px or more`, async () => {
    const charts = await chartStates(report.page);
    expect(charts.length).toBeGreaterThanOrEqual(11);
    for (const chart of charts) {
      for (const size of [...chart.axisFontPx, ...chart.axisLabelFontPx]) expect(size, chart.id).toBeGreaterThanOrEqual(minimumPx);
    }
  });
});

describe("the chart fonts", () => {
  it("are named constants no smaller than the page's minimum", () => {
    expect(axisFontPx).toBeGreaterThanOrEqual(minimumPx);
    expect(labelFontPx).toBeGreaterThanOrEqual(minimumPx);
  });
});
