/**
 * The report page's client: reads the embedded JSON, draws the charts with uPlot, keeps one set of
 * visible policies for every chart, and offers the numbers as CSV. Bundled with uPlot into the page.
 */
import type uPlot from "uplot";
import { policyTableCsv, timeSeriesCsv } from "../csv.ts";
import type { ReportData } from "../data.ts";
import {
  arrivalsChart,
  type BuiltChart,
  backlogChart,
  cdfChart,
  cdfRange,
  costChart,
  scatterChart,
  taskPanel,
  waitChart,
} from "./charts.ts";

/** What the page exposes for inspection (browser tests, a curious reader's console). */
export interface ReportHandle {
  data: ReportData;
  charts: BuiltChart[];
  hidden: Set<string>;
  setVisible(policy: string, visible: boolean): void;
}

declare global {
  interface Window {
    ecsReport?: ReportHandle;
  }
}

function readData(): ReportData {
  const el = document.getElementById("report-data");
  if (!el?.textContent) throw new Error("report: the embedded data (#report-data) is missing");
  return JSON.parse(el.textContent) as ReportData;
}

function mount(id: string, build: (el: HTMLElement) => BuiltChart, charts: BuiltChart[]): void {
  const el = document.getElementById(id);
  if (el) charts.push(build(el));
}

/** The largest task count any visible policy's panel draws: the panels share their y axis. */
function sharedTaskMax(data: ReportData, hidden: ReadonlySet<string>): number {
  let max = 1;
  for (const v of data.tasksNeeded ?? []) if (Number.isFinite(v)) max = Math.max(max, v);
  for (const p of data.policies) {
    if (hidden.has(p.policy)) continue;
    for (const v of [...p.running, ...p.desired]) if (Number.isFinite(v)) max = Math.max(max, v);
  }
  return Math.ceil(max * 1.08);
}

function buildTaskPanels(data: ReportData, hidden: ReadonlySet<string>, charts: BuiltChart[]): void {
  const grid = document.getElementById("plot-tasks");
  if (!grid) return;
  for (const p of data.policies) {
    const panel = document.createElement("div");
    panel.className = "panel";
    panel.dataset.policy = p.policy;
    const title = document.createElement("h3");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = p.colour;
    title.append(swatch, p.policy);
    const plotEl = document.createElement("div");
    panel.append(title, plotEl);
    grid.append(panel);
    const chart = taskPanel(plotEl, data, p, () => sharedTaskMax(data, hidden));
    charts.push({ ...chart, id: `tasks:${p.policy}` });
  }
}

function main(): void {
  const data = readData();
  const hidden = new Set<string>();
  const charts: BuiltChart[] = [];
  mount("plot-arrivals", (el) => arrivalsChart(el, data), charts);
  mount("plot-scatter", (el) => scatterChart(el, data), charts);
  mount("plot-cdf", (el) => cdfChart(el, data), charts);
  buildTaskPanels(data, hidden, charts);
  mount("plot-backlog", (el) => backlogChart(el, data), charts);
  mount("plot-wait", (el) => waitChart(el, data), charts);
  mount("plot-cost", (el) => costChart(el, data), charts);

  const setVisible = (policy: string, visible: boolean) => {
    if (visible) hidden.delete(policy);
    else hidden.add(policy);
    for (const chart of charts) {
      chart.policyOf.forEach((p, i) => {
        if (p === policy && chart.plot.series[i]?.show !== visible)
          chart.plot.setSeries(i, { show: visible });
      });
    }
    for (const panel of document.querySelectorAll<HTMLElement>("#plot-tasks .panel")) {
      panel.hidden = hidden.has(panel.dataset.policy ?? "");
    }
    // The panels share one y range: recompute it from the policies still shown.
    const max = sharedTaskMax(data, hidden);
    for (const chart of charts) {
      if (chart.id.startsWith("tasks:")) chart.plot.setScale("y", { min: 0, max });
    }
    for (const button of document.querySelectorAll<HTMLButtonElement>(".policy-toggle")) {
      if (button.dataset.policy === policy) button.setAttribute("aria-pressed", String(visible));
    }
  };

  for (const button of document.querySelectorAll<HTMLButtonElement>(".policy-toggle")) {
    button.addEventListener("click", () => {
      const policy = button.dataset.policy ?? "";
      setVisible(policy, hidden.has(policy));
    });
  }
  interceptLegendClicks(charts, (policy) => setVisible(policy, hidden.has(policy)));
  wireCdfRange(charts);
  wireExports(data);
  keepSized(charts);
  window.ecsReport = { data, charts, hidden, setVisible };
}

/** A click on a policy in any chart's legend toggles it in every chart (uPlot would toggle one chart). */
function interceptLegendClicks(charts: BuiltChart[], toggle: (policy: string) => void): void {
  for (const chart of charts) {
    const rows = [...chart.plot.root.querySelectorAll<HTMLElement>(".u-legend .u-series")];
    rows.forEach((row, i) => {
      const policy = chart.policyOf[i];
      row.addEventListener(
        "click",
        (event) => {
          event.stopPropagation();
          if (policy) toggle(policy);
        },
        { capture: true },
      );
      if (!policy) row.classList.add("fixed");
    });
  }
}

/** The CDF's "all messages / the tail" switch. */
function wireCdfRange(charts: BuiltChart[]): void {
  const cdf = charts.find((c) => c.id === "cdf");
  const el = document.getElementById("plot-cdf");
  if (!cdf || !el) return;
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-cdf-range]")) {
    button.addEventListener("click", () => {
      el.dataset.tail = String(button.dataset.cdfRange === "tail");
      for (const other of document.querySelectorAll<HTMLButtonElement>("[data-cdf-range]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      const [min, max] = cdfRange(el);
      cdf.plot.setScale("y", { min, max });
    });
  }
}

/** Download buttons: the CSV is built from the embedded JSON when clicked. */
function wireExports(data: ReportData): void {
  const exports: [string, string, () => string][] = [
    ["export-policies", "policies", () => policyTableCsv(data)],
    ["export-series", "time-series", () => timeSeriesCsv(data)],
  ];
  const slug = data.scenario.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "run";
  for (const [id, what, csv] of exports) {
    document.getElementById(id)?.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([csv()], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${slug}-${what}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  }
}

/** Charts follow their container's width (the page reflows from 760 px to wide screens). */
function keepSized(charts: BuiltChart[]): void {
  const observer = new ResizeObserver(() => {
    for (const chart of charts) resize(chart.plot);
  });
  for (const chart of charts) {
    const parent = chart.plot.root.parentElement;
    if (parent) observer.observe(parent);
  }
}

function resize(plot: uPlot): void {
  const width = plot.root.parentElement?.clientWidth ?? plot.width;
  if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height: plot.height });
}

main();
