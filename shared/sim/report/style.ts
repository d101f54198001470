/**
 * The report's inline stylesheet: reads from 760 px to wide screens (below 1560 px each table row
 * becomes a card, so the verdict and cost never scroll out of view) and prints on A4. No text under 12 px.
 */
export const reportCss = `
:root { --ink: #1d2330; --muted: #535b6b; --line: #dde1e8; --bg: #f6f7f9; --card: #fff; --accent: #0072B2;
  --pass: #1b7f4b; --fail: #b00020; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1680px; margin: 0 auto; padding: 24px 24px 48px; }
header h1 { font-size: 26px; margin: 0 0 2px; letter-spacing: -0.01em; }
header .subtitle { color: var(--muted); margin: 0 0 16px; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 0 0 20px; padding: 0; }
.meta div { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 0; }
.meta dt { font-size: 12px; color: var(--muted); letter-spacing: 0.02em; }
.meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 0 0 18px; }
h2 { font-size: 19px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 0 0 4px; }
.verdict { margin: 10px 0 12px; padding: 10px 14px; border-left: 4px solid var(--accent); background: #eef5fb; border-radius: 4px; }
.verdict .fail, .status.fail { color: var(--fail); }
.status { font-weight: 700; white-space: nowrap; }
.status.pass { color: var(--pass); }
.status.floor { color: var(--muted); }
.badge.best { background: var(--pass); color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
details.guide { font-size: 14px; margin: 0 0 4px; }
details.guide summary { cursor: pointer; font-weight: 600; }
details.guide p { margin: 6px 0; }
.columns { columns: 2 340px; margin: 4px 0; padding-left: 20px; }
.columns li { break-inside: avoid; }
.table-wrap { overflow-x: auto; }
table.summary { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
table.summary th, table.summary td { padding: 7px 5px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.summary thead th { font-size: 12.5px; color: var(--muted); font-weight: 600; vertical-align: bottom; white-space: normal; cursor: help; }
table.summary th[scope=row], table.summary thead th:nth-child(-n+2) { text-align: left; font-weight: 600; }
table.summary td.verdict-cell { text-align: left; white-space: normal; min-width: 9em; }
table.summary tbody tr:hover { background: #f3f6fa; }
table.summary tr.best-row { background: #f1f8f4; }
table.summary tr.fail th[scope=row] { color: #3d4452; }
table.summary tfoot th, table.summary tfoot td { color: var(--muted); border-bottom: none; font-weight: 400; }
table.summary td.note { text-align: left; white-space: normal; }
@media (max-width: 1560px) {
  table.summary thead { display: none; }
  table.summary, table.summary tbody, table.summary tfoot { display: block; }
  table.summary tr { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 2px 18px;
    padding: 10px 4px; border-bottom: 1px solid var(--line); }
  table.summary th, table.summary td { border: none; padding: 2px 0; text-align: left; display: flex;
    justify-content: space-between; gap: 8px; }
  table.summary th[scope=row] { grid-column: 1 / -1; font-size: 16px; justify-content: flex-start; align-items: center; }
  table.summary td.verdict-cell { grid-column: 1 / -1; justify-content: flex-start; }
  table.summary td[data-label]::before { content: attr(data-label); color: var(--muted); font-size: 13px; }
  table.summary td.verdict-cell::before { content: none; }
  table.summary td.note { grid-column: 1 / -1; }
  table.summary tfoot td:empty { display: none; }
}
.exports { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 12px 0 0; font-size: 14px; color: var(--muted); }
button { font: inherit; font-size: 14px; color: var(--ink); background: #fff; border: 1px solid #b9c0cc; border-radius: 6px;
  padding: 3px 10px; cursor: pointer; }
button:hover { background: #f3f6fa; }
.policy-bar { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center;
  background: rgba(246,247,249,0.96); padding: 8px 2px; margin: 0 0 10px; font-size: 14px; }
.policy-bar .hint { color: var(--muted); font-size: 13px; }
.policy-toggle { display: inline-flex; align-items: center; }
.policy-toggle[aria-pressed=false] { opacity: 0.45; text-decoration: line-through; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 7px; flex: none; }
.switch { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 14px; color: var(--muted); margin: 0 0 6px; }
.switch button[aria-pressed=true] { background: #e6f0f8; border-color: var(--accent); color: var(--ink); }
.question { margin: 0 0 8px; color: var(--muted); font-size: 14px; }
.note { font-size: 13px; color: var(--muted); margin: 6px 0 0; }
.empty { color: var(--muted); font-style: italic; }
.plot { min-width: 0; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px 18px; }
.panel { min-width: 0; }
.panel[hidden] { display: none; }
.uplot { width: 100%; font-family: inherit; }
.u-legend { font-size: 13px; text-align: left; }
.u-legend .u-series { cursor: pointer; }
.u-legend .u-series.fixed { cursor: default; }
.u-legend .u-value { font-variant-numeric: tabular-nums; }
.configs { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px 20px; }
.policy-config h3 { display: flex; align-items: center; }
dl.config { margin: 0; font-size: 13.5px; }
dl.config div { display: grid; grid-template-columns: 11em 1fr; gap: 8px; padding: 2px 0; border-bottom: 1px solid #f0f1f4; }
dl.config dt { color: var(--muted); }
dl.config dd { margin: 0; }
details.settings { padding: 10px 20px; }
details.settings summary { cursor: pointer; font-weight: 600; }
details.settings .meta { margin: 10px 0 4px; }
.warnings { border-color: #e0a100; background: #fff8e6; }
.warnings h2 { color: #7a5200; }
.warnings ul { margin: 0; padding-left: 20px; }
footer { color: var(--muted); font-size: 13px; }
footer p { margin: 4px 0; }
@media print { body { background: #fff; } .card { break-inside: avoid; border: none; } .policy-bar { position: static; } }
`;
