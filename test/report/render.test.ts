import { describe, expect, it } from "vitest";
import { renderReport } from "../../shared/sim/report/render.ts";
import { policyNames, type SimulationOutput } from "../../shared/sim/result.ts";
import { buildFixture } from "./fixture.ts";
import { expectIn, expectNotIn } from "./page-assertions.ts";

/** Number of points in an SVG path's data (each M/L/H/V command starts one). */
function pointsIn(d: string): number {
  return (d.match(/[MLHV]/g) ?? []).length;
}

function linePaths(html: string, chartId: string): { series: string; d: string }[] {
  const svg = html.slice(html.indexOf(`<svg class="chart" id="${chartId}"`));
  const body = svg.slice(0, svg.indexOf("</svg>"));
  return [...body.matchAll(/<path class="line" data-series="([^"]+)"[^>]* d="([^"]*)"/g)].map((m) => ({
    series: m[1]!,
    d: m[2]!,
  }));
}

describe("renderReport", () => {
  const output = buildFixture();
  const html = renderReport(output);

  it("is one self-contained page: no external scripts, styles, images or fonts", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<link|\ssrc=|url\((?!#)|@import|https?:\/\//i);
    expectIn(html, `content="default-src 'none';`);
  });

  it("draws the four charts, in reading order", () => {
    const ids = [...html.matchAll(/<svg class="chart" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["chart-arrivals", "chart-backlog", "chart-tasks", "chart-wait"]);
  });

  it("has one table row per policy with every DESIGN.md field, the lower bound and the verdict", () => {
    for (const policy of policyNames) expectIn(html, `</span>${policy}</th>`);
    for (const header of ["Arrived", "Processed", "Within target", "Wait p50", "Wait p99", "Wait max", "Task-seconds", "Cost", "Utilization", "UpdateService calls", "Reaction"]) {
      expectIn(html, `>${header}</th>`);
    }
    expectIn(html, ">lower bound</th>");
    expectIn(html, "Best on cost at an equal or better within-target fraction: <strong>ecs-autoscaler</strong>");
    expectIn(html, "<dt>Target wait</dt><dd>60 s</dd>");
  });

  it("shows the fixture's numbers as given", () => {
    const r = output.results[0]!;
    expectIn(html, `>${r.taskSeconds.toLocaleString("en-US")}</td>`);
    expectIn(html, `>${r.updateServiceCalls}</td>`);
    expectIn(html, `>${(r.taskSeconds / output.lowerBound.taskSeconds).toFixed(2)}×</td>`);
  });

  it("every policy has a line in the backlog, wait and tasks charts (running and desired)", () => {
    for (const chart of ["chart-backlog", "chart-wait"]) {
      expect(
        linePaths(html, chart)
          .map((p) => p.series)
          .sort(),
      ).toEqual([...policyNames].sort());
    }
    expect(linePaths(html, "chart-tasks")).toHaveLength(2 * policyNames.length);
  });

  it("draws the target wait as a labelled line on the wait chart", () => {
    const wait = html.slice(html.indexOf(`id="chart-wait"`));
    expect(wait).toMatch(/<line class="reference"[^>]*stroke="#B00020"/);
    expectIn(wait, ">target wait 60 s</text>");
  });

  it("is deterministic: the same output renders the same page", () => {
    expect(renderReport(buildFixture())).toBe(html);
  });

  it("keeps a simulated day at one-second steps light, and its one-second spike visible", () => {
    const day = buildFixture({ steps: 86_400, stepSeconds: 1 });
    const backlog = day.series.policies[0]!.backlog;
    backlog[40_001] = 99_999; // a spike no policy series in the fixture comes near
    const page = renderReport(day);
    for (const chart of ["chart-arrivals", "chart-backlog", "chart-tasks", "chart-wait"]) {
      for (const path of linePaths(page, chart)) expect(pointsIn(path.d)).toBeLessThanOrEqual(2 * 1500 + 2);
    }
    // The y axis is sized to the spike: its top tick is the next round value above it.
    const svg = page.slice(page.indexOf(`id="chart-backlog"`));
    expectIn(svg.slice(0, svg.indexOf("</svg>")), ">100k</text>");
    expectIn(page, "86,400 samples per line drawn as 1,440 points: the highest backlog within each 60 s bucket.");
    expect(page.length).toBeLessThan(2_000_000);
  });

  it("offers a log scale for the wait chart when waits dwarf the target", () => {
    expectNotIn(html, `id="chart-wait-log"`);
    const page = renderReport(buildFixture({ targetWaitSeconds: 5 }));
    expectIn(page, `id="chart-wait-log"`);
    expectIn(page, `id="wait-scale-log"`);
  });

  it("shows the run's warnings prominently, escaped, and nothing when there are none", () => {
    expectNotIn(html, `class="card warnings"`);
    const page = renderReport({ ...buildFixture(), warnings: ["keda: 3 runtime failures <ThrottlingException>"] });
    expectIn(page, `<section class="card warnings" role="alert"><h2>Warnings (1)</h2><ul><li>keda: 3 runtime failures &lt;ThrottlingException&gt;</li></ul></section>`);
  });

  it("lists the simulation settings, with service time and startup in the header, and unknown settings by name", () => {
    const settings = {
      secondsPerMessage: 2,
      serviceDistribution: "exponential",
      startupSeconds: [30, 90] as [number, number],
      concurrency: 1,
      maxTasks: 217,
      intervalSeconds: 10,
      burstAtSeconds: 1800,
      visibilityTimeoutSeconds: 30,
      attributeStalenessSeconds: 5,
      attributeError: 0.02,
      metricDelaySeconds: 60,
      minimumBilledSeconds: 60,
    };
    const page = renderReport({ ...buildFixture(), settings: { ...settings, futureKnob: "on" } as typeof settings });
    expectIn(page, "<dt>Service time</dt><dd>2 s mean, exponential</dd>");
    expectIn(page, "<dt>Task startup</dt><dd>30–90 s</dd>");
    expectIn(page, "<dt>First burst</dt><dd>30 min after the start</dd>");
    expectIn(page, "<dt>SQS attribute error</dt><dd>± 2.00 %</dd>");
    expectIn(page, "<dt>futureKnob</dt><dd>on</dd>");
    expectNotIn(html, "Simulation settings");
  });

  it("renders a run with only some policies, naming only those", () => {
    const page = renderReport(buildFixture({ policies: ["ecs-autoscaler", "static"] }));
    expect(linePaths(page, "chart-backlog").map((p) => p.series)).toEqual(["static", "ecs-autoscaler"]);
    expectNotIn(page, ">keda<");
  });

  it.each([
    { name: "results missing", mutate: (o: SimulationOutput) => Object.assign(o, { results: undefined }), path: "results" },
    { name: "a policy series without backlog", mutate: (o: SimulationOutput) => Object.assign(o.series.policies[2]!, { backlog: null }), path: "series.policies[2].backlog" },
    { name: "no lower bound", mutate: (o: SimulationOutput) => Object.assign(o, { lowerBound: {} }), path: "lowerBound.taskSeconds" },
  ])("refuses malformed output with the field's path: $name", ({ mutate, path }) => {
    const bad = buildFixture();
    mutate(bad);
    expect(() => renderReport(bad)).toThrow(new RegExp(`renderReport: ${path.replace(/[[\].]/g, "\\$&")} must be`));
  });
});
