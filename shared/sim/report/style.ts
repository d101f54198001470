/** The report's inline stylesheet: a calm page that reads at 1280 px and prints on A4. */
export const reportCss = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --bg: #f6f7f9; --card: #fff; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 24px 48px; }
header h1 { font-size: 26px; margin: 0 0 2px; letter-spacing: -0.01em; }
header .subtitle { color: var(--muted); margin: 0 0 16px; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; margin: 0 0 20px; padding: 0; }
.meta div { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 0; }
.meta dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 0 0 18px; }
h2 { font-size: 18px; margin: 0 0 10px; }
.verdict { margin: 0 0 12px; padding: 10px 14px; border-left: 4px solid var(--accent); background: #eef5fb; border-radius: 4px; }
.table-wrap { overflow-x: auto; }
table.summary { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
table.summary th, table.summary td { padding: 7px 6px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.summary thead th { font-size: 12px; color: var(--muted); font-weight: 600; vertical-align: bottom; white-space: normal; cursor: help; }
table.summary th[scope=row] { text-align: left; font-weight: 600; }
table.summary tbody tr:hover { background: #f3f6fa; }
table.summary tr.best-row { background: #f1f8f4; }
table.summary tfoot th, table.summary tfoot td { color: var(--muted); border-bottom: none; font-weight: 400; }
table.summary td.note { text-align: left; white-space: normal; }
table.summary td.verdict-cell { text-align: left; white-space: normal; min-width: 9em; }
@media (max-width: 720px) { .meta { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 3px; margin-right: 7px; vertical-align: -1px; }
.badge.best { background: #1b7f4b; color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.beaten { color: var(--muted); }
figure { margin: 0; }
figcaption h2 { margin-bottom: 2px; }
figcaption p { margin: 0 0 6px; color: var(--muted); font-size: 13px; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0; margin: 4px 0 6px; font-size: 13.5px; align-items: center; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend-item { display: flex; align-items: center; gap: 6px; font: inherit; color: inherit; background: none;
  border: 1px solid transparent; border-radius: 6px; padding: 2px 6px; cursor: pointer; }
.legend-item:hover { border-color: var(--line); background: #f3f6fa; }
.legend-item[aria-pressed=false] { opacity: 0.35; text-decoration: line-through; }
.legend-note { color: var(--muted); }
.legend-sep { width: 1px; height: 18px; background: var(--line); margin: 0 2px; }
.plot { position: relative; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #4a5262; }
svg.chart .axis-title { font-size: 12.5px; fill: var(--ink); font-weight: 600; }
svg.chart .grid line { stroke: #eceef2; stroke-width: 1; }
svg.chart .grid line.v { stroke: #f2f3f6; }
svg.chart .axis line { stroke: #9aa1ad; stroke-width: 1; }
svg.chart path.line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg.chart path.area { opacity: 0.12; stroke: none; }
svg.chart path.band { fill-opacity: 0.12; stroke-opacity: 0.45; stroke-width: 1; }
svg.chart line.reference { stroke-width: 1.8; stroke-dasharray: 5 4; }
svg.chart .reference-label { font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
svg.chart line.cursor { stroke: #6b7280; stroke-width: 1; stroke-dasharray: 3 3; pointer-events: none; }
svg.chart .off { display: none; }
.tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,0.97); border: 1px solid var(--line);
  border-radius: 6px; box-shadow: 0 2px 8px rgba(0,0,0,0.12); padding: 6px 9px; font-size: 12.5px; line-height: 1.45;
  font-variant-numeric: tabular-nums; white-space: nowrap; z-index: 2; }
.tooltip .time { font-weight: 600; margin-bottom: 2px; }
.tooltip .row { display: flex; gap: 6px; align-items: center; }
.tooltip .row b { margin-left: auto; padding-left: 12px; }
.scale-toggle { font-size: 13px; color: var(--muted); margin: 0 0 4px; display: flex; gap: 12px; align-items: center; }
.scale-toggle input { margin: 0 4px 0 0; }
.wait-variants:has(#wait-scale-log:checked) .variant-linear, .wait-variants:has(#wait-scale-linear:checked) .variant-log { display: none; }
.downsampling { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
details.settings { padding: 10px 20px; }
details.settings summary { cursor: pointer; font-weight: 600; }
details.settings .meta { margin: 10px 0 4px; }
.warnings { border-color: #e0a100; background: #fff8e6; }
.warnings h2 { color: #7a5200; }
.warnings ul { margin: 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 12.5px; }
footer p { margin: 4px 0; }
@media print { body { background: #fff; } .card { break-inside: avoid; border: none; } .legend-item { border: none; } }
`;
