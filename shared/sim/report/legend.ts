/**
 * Chart legends in HTML (they wrap at any width, and are buttons): one entry per policy, which toggles
 * that policy's lines in every chart, then notes explaining line styles and reference lines.
 */
import type { ChartSpec } from "./chart.ts";
import type { LegendNote } from "./charts.ts";
import { escapeHtml } from "./escape.ts";

function swatch(colour: string, style: LegendNote["style"]): string {
  const c = escapeHtml(colour);
  const line =
    style === "band"
      ? `<rect x="1" y="2" width="26" height="10" fill="${c}" opacity="0.2"/>`
      : `<line x1="1" x2="27" y1="7" y2="7" stroke="${c}" stroke-width="${style === "reference" ? 2 : 3}"${style === "dashed" ? ` stroke-dasharray="6 3"` : style === "reference" ? ` stroke-dasharray="2 2"` : ""}/>`;
  return `<svg class="key" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true">${line}</svg>`;
}

/** The legend for one chart: a toggle per policy (in drawing order) and the chart's notes. */
export function renderLegend(spec: ChartSpec, notes: readonly LegendNote[]): string {
  const items: string[] = [];
  const seen = new Set<string>();
  for (const line of spec.lines) {
    if (line.key === "arrivals" || seen.has(line.key)) continue;
    seen.add(line.key);
    const key = escapeHtml(line.key);
    items.push(
      `<li><button type="button" class="legend-item" data-series="${key}" aria-pressed="true" title="show or hide ${key} in every chart">` +
        `${swatch(line.colour, "solid")}<span class="name">${key}</span></button></li>`,
    );
  }
  if (items.length > 0 && notes.length > 0) items.push(`<li class="legend-sep" aria-hidden="true"></li>`);
  for (const note of notes) {
    items.push(
      `<li class="legend-note">${swatch(note.colour, note.style)}<span>${escapeHtml(note.label)}</span></li>`,
    );
  }
  return `<ul class="legend" aria-label="${escapeHtml(spec.title)} legend">${items.join("")}</ul>`;
}
