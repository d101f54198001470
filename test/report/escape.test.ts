import { describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript } from "../../shared/sim/report/escape.ts";
import { renderReport } from "../../shared/sim/report/render.ts";
import { buildFixture } from "./fixture.ts";
import { expectIn, expectNotIn } from "./page-assertions.ts";

describe("escaping text that comes from input", () => {
  it.each([
    { text: "plain", expected: "plain" },
    { text: "<script>alert(1)</script>", expected: "&lt;script&gt;alert(1)&lt;/script&gt;" },
    { text: `a "quoted" & 'single'`, expected: "a &quot;quoted&quot; &amp; &#39;single&#39;" },
    { text: "traces/köln & co.csv", expected: "traces/köln &amp; co.csv" },
  ])("escapeHtml($text)", ({ text, expected }) => {
    expect(escapeHtml(text)).toBe(expected);
  });

  it("JSON for an inline script cannot close the script element and still parses to the same value", () => {
    const value = { label: "</script><script>alert(1)</script>", sep: "a\u2028b", amp: "x&y" };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it("a hostile scenario name or trace path shows as text and never becomes markup", () => {
    const hostile = `</title><script>window.pwned=1</script><img src=x onerror="alert(1)">traces/a&b.csv`;
    const html = renderReport(buildFixture({ scenario: hostile }));
    expectNotIn(html, "<script>window.pwned");
    expectNotIn(html, "<img");
    expectIn(html, escapeHtml(hostile));
    // Exactly the two script elements the page itself writes.
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});
