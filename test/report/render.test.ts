import { describe, expect, it } from "vitest";
import { clientAssets } from "../../shared/sim/report/bundle.ts";
import { buildReportData, type ReportData } from "../../shared/sim/report/data.ts";
import { renderReport } from "../../shared/sim/report/render.ts";
import { labelOf, settingsRows } from "../../shared/sim/report/settings.ts";
import { policyNames, type SimulationOutput, type SimulationSettings } from "../../shared/sim/result.ts";
import { buildFixture, fixtureSettings } from "./fixture.ts";
import { expectIn, expectNotIn } from "./page-assertions.ts";

const settings: SimulationSettings = { ...fixtureSettings, secondsPerMessage: 2 };

/** The JSON the page embeds for its client. */
function embedded(html: string): ReportData {
  const match = html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s);
  expect(match, "the page embeds its data").not.toBeNull();
  return JSON.parse(match![1]!) as ReportData;
}

/** The fixture with `withinTarget` per policy replaced. */
function withShares(shares: number[]): SimulationOutput {
  const output = buildFixture();
  output.results.forEach((r, i) => {
    r.withinTarget = shares[i]!;
  });
  return output;
}

describe("renderReport", () => {
  const output = buildFixture();
  const html = renderReport(output);

  it("is one self-contained page: no external scripts, styles, images or fonts, and a CSP that forbids them", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<link|\ssrc=|@import|https?:\/\//i);
    expect(html).not.toMatch(/[^A-Za-z]url\(/); // CSS url(), not createObjectURL(

    expectIn(html, `content="default-src 'none';`);
    expectIn(html, clientAssets().script);
    expectIn(html, ".uplot"); // uPlot's stylesheet, inlined
    expect(html).toMatch(/\/\*! uPlot 1\.\d+\.\d+, Copyright \(c\) \d{4}, Leon Sorokin, MIT licence \*\//); // its licence notice
  });

  it("embeds its numbers as JSON, exactly the data the client draws", () => {
    expect(embedded(html)).toEqual(JSON.parse(JSON.stringify(buildReportData(output))));
  });

  it("keeps a scenario name from ending the data block or running as markup", () => {
    const page = renderReport({ ...buildFixture({ steps: 10 }), scenario: `</script><img src=x onerror=alert(1)>` });
    expect(embedded(page).scenario).toBe(`</script><img src=x onerror=alert(1)>`);
    expectNotIn(page, "<img src=x");
  });

  it("puts the verdict sentence and 'Reading the table' before the table, and the table before every chart", () => {
    const order = [
      "Verdict and results per policy",
      "Reading the table",
      `<table class="summary"`,
      `id="card-scatter"`,
      `id="card-cdf"`,
      `id="card-tasks"`,
      `id="card-wait"`,
      `id="card-backlog"`,
      `id="card-cost"`,
      `id="card-arrivals"`,
    ];
    const positions = order.map((text) => html.indexOf(text));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("has one row per policy, with the verdict column and task time in task-hours", () => {
    for (const policy of policyNames) expectIn(html, `</span>${policy}</th>`);
    for (const header of ["Verdict", "Within target", "Wait p50", "Wait p99", "Wait max", "Task-hours", "× lower bound", "Cost", "Utilization", "UpdateService calls", "Reaction"]) {
      expectIn(html, `>${header}</th>`);
    }
    expectNotIn(html, "Task-seconds");
    const r = output.results[0]!;
    expectIn(html, `<td data-label="Task-hours">${(r.taskSeconds / 3600).toFixed(2)}</td>`);
    expectIn(html, ">lower bound</th>");
  });

  it.each([
    {
      name: "a cheap policy missing the goal fails and is not best",
      shares: [0.7261, 0.995, 0.99, 0.5, 1, 0.5, 1],
      sentence: "<strong>3 of 6</strong> policies meet the goal",
      best: "target-tracking",
    },
    { name: "the cheapest passing policy is best", shares: [0.999, 0.995, 0.99, 0.99, 1, 0.99, 1], sentence: "<strong>6 of 6</strong> policies meet the goal", best: "ecs-autoscaler" },
  ])("$name", ({ shares, sentence, best }) => {
    const page = renderReport(withShares(shares));
    expectIn(page, sentence);
    expectIn(page, `Cheapest that passes: <strong>${best}</strong>`);
    expect(page.match(/class="badge best">cheapest that passes/g)).toHaveLength(2); // the row's badge and the guide's
    expectIn(page, `data-policy="${best}"`);
    expect(page).toMatch(new RegExp(`<tr class="pass best-row" data-policy="${best}">`));
    if (shares[0]! < 0.99) expect(page).toMatch(/<tr class="fail" data-policy="ecs-autoscaler">.*?✗ fail/);
  });

  it("says plainly when no policy meets the goal, and marks none best", () => {
    const page = renderReport(withShares([0.7261, 0.5, 0.6, 0.8144, 0.98, 0.5, 1]));
    expectIn(page, `<strong class="fail">No policy meets the goal</strong> (at least 99.00 % of messages within 60 s)`);
    expectIn(page, "The closest is <strong>static</strong> with 98.00 %.");
    expectNotIn(page, `best-row"`);
    expectNotIn(page, `<span class="badge best">cheapest that passes</span></td>`);
  });

  it("explains every symbol and column above the table, including the — of the reaction column", () => {
    const guide = html.slice(html.indexOf("Reading the table"), html.indexOf(`<table class="summary"`));
    for (const text of ["✓ pass", "✗ fail", "cheapest that passes", "floor · knows the future: not deployable", "<b>Reaction</b>: first burst", "— when the run has no burst", "— in a cell"])
      expectIn(guide, text);
    // static never scales up in the fixture: its dash explains itself on hover too.
    expectIn(
      html,
      `<td data-label="Reaction" title="no value: first burst → first scale-up above the count in force then; — when the run has no burst or the policy never rose above that count">—</td>`,
    );
  });

  it("shows what scale-ins interrupted per policy, and leaves the own-bill column out until it is measured", () => {
    for (const header of ["Interrupted messages", "Lost work", "Extra wait per interruption"]) expectIn(html, `>${header}</th>`);
    // The fixture's keda (index 3): 60 interrupted, 65.5 task-seconds lost, 2700 s of extra wait in all (45 s each).
    const keda = html.slice(html.indexOf(`data-policy="keda">`), html.indexOf("</tr>", html.indexOf(`data-policy="keda">`)));
    expectIn(keda, `<td data-label="Interrupted messages">60</td>`);
    expectIn(keda, `<td data-label="Lost work">0.02</td>`);
    expectIn(keda, `<td data-label="Extra wait per interruption">45 s</td>`);
    // static never scales in: nothing interrupted, and no extra wait to average.
    const constant = html.slice(html.indexOf(`data-policy="static">`), html.indexOf("</tr>", html.indexOf(`data-policy="static">`)));
    expectIn(constant, `<td data-label="Interrupted messages">0</td>`);
    expectIn(constant, `<td data-label="Extra wait per interruption" title="no value: `);
    expectNotIn(html, ">Interrupted messages (");
    expectNotIn(html, "Not simulated yet");
  });

  it("shows the draining task-hours only when the run had task scale-in protection", () => {
    expectNotIn(html, ">Draining task-hours</th>");
    const output = buildFixture();
    output.settings = { ...settings, taskProtection: true };
    for (const r of output.results) Object.assign(r, { interruptedMessages: 0, wastedTaskSeconds: 0, interruptedExtraWaitSeconds: 0, drainingTaskSeconds: 7200 });
    const page = renderReport(output);
    expectIn(page, ">Draining task-hours</th>");
    expectIn(page, `<td data-label="Draining task-hours">2.00</td>`);
    expectIn(page, "on: busy tasks are never stopped by a scale-in");
  });

  it("shows ecs-autoscaler's own bill per month, and a dash that says why for the baselines", () => {
    const output = buildFixture({ steps: 60 });
    output.results[0]!.ownCost = {
      usdPerMonth: 0.4213,
      fixedUsdPerMonth: 4.5,
      stateItemBytesMax: 812,
      counts: {
        seconds: 3600,
        passes: 360,
        taskEvents: 4,
        calls: {},
        getMetricDataMetrics: 180,
        dynamodbReadUnits: 360,
        dynamodbWriteUnits: 60,
        stateItemBytesMax: 812,
        dedupeItemBytesMax: 200,
        customMetrics: 1,
        logBytes: 1000,
      },
      lines: { service: [], fixed: [] },
    };
    const page = renderReport(output);
    expectIn(page, `<th scope="col" title="what running ecs-autoscaler itself costs for this service`);
    expectIn(page, `<td data-label="Own AWS bill">$0.4213/month</td>`);
    expect(page).toMatch(/data-policy="keda">.*?<td data-label="Own AWS bill" title="no value: what running ecs-autoscaler/);
    expectNotIn(page, "Not simulated yet");
  });

  it("has a container for every chart, a switch per policy and the CSV buttons", () => {
    for (const id of ["plot-scatter", "plot-cdf", "plot-tasks", "plot-wait", "plot-backlog", "plot-cost", "plot-arrivals"]) expectIn(html, `id="${id}"`);
    for (const policy of policyNames) expectIn(html, `class="policy-toggle" data-policy="${policy}"`);
    expectIn(html, `id="export-policies"`);
    expectIn(html, `id="export-series"`);
  });

  it("says when a run has no wait distribution instead of drawing an empty chart", () => {
    expectNotIn(html, "This output has no wait distribution");
    const older = buildFixture({ steps: 10 });
    for (const p of older.series.policies) delete p.waitDistribution;
    const page = renderReport(older);
    expectIn(page, "This output has no wait distribution");
    expectNotIn(page, `id="plot-cdf"`);
  });

  it("lists each policy's configuration when the output has settings", () => {
    expectNotIn(html, "How each policy was configured");
    const page = renderReport({ ...buildFixture(), settings });
    expectIn(page, "How each policy was configured");
    expectIn(page, "<dt>queueLength</dt><dd>5 messages per task</dd>");
    expectIn(page, "<dt>Backlog per task target</dt><dd>30 messages (target wait ÷ service time)</dd>");
    expectIn(page, "<dt>Evaluation interval</dt><dd>10 s</dd>");
    expectIn(page, "<dt>Scale out</dt><dd>3 of 3 datapoints above target</dd>"); // target tracking
    expectIn(page, "<dt>Scale in</dt><dd>5 of 5 datapoints below 15 messages per task</dd>"); // step scaling
    expectIn(page, `<dt>Tasks</dt><dd>24</dd>`); // the fixture's static count
  });

  it("labels every setting the simulator writes, and an unknown one in words, never by its raw key", () => {
    const rows = settingsRows({ ...output, settings: { ...settings, futureKnobSeconds: 3 } as SimulationSettings });
    const labels = rows.map(([label]) => label);
    for (const key of [...Object.keys(settings), "futureKnobSeconds"]) expect(labels).not.toContain(key);
    expect(labels).toContain("KEDA queueLength");
    expect(labels).toContain("Future knob seconds");
    expect(labelOf("attributeError")).toBe("SQS attribute error");
    const page = renderReport({ ...buildFixture(), settings });
    expectIn(page, "<dt>Service time</dt><dd>2 s mean, exponential</dd>");
    expectIn(page, "<dt>Task startup</dt><dd>30–90 s</dd>");
    expectIn(page, "<dt>Goal</dt><dd>≥ 99.00 % within 60 s</dd>");
  });

  it("shows the run's warnings prominently, escaped, and nothing when there are none", () => {
    expectNotIn(html, `class="card warnings"`);
    const page = renderReport({ ...buildFixture(), warnings: ["keda: 3 runtime failures <ThrottlingException>"] });
    expectIn(page, `<section class="card warnings" role="alert"><h2>Warnings (1)</h2><ul><li>keda: 3 runtime failures &lt;ThrottlingException&gt;</li></ul></section>`);
  });

  it("is deterministic: the same output renders the same page", () => {
    expect(renderReport(buildFixture())).toBe(html);
  });

  it("keeps a simulated day at one-second steps light, and renders it quickly", () => {
    const day = buildFixture({ steps: 86_400, stepSeconds: 1 });
    const started = performance.now();
    const page = renderReport(day);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(embedded(page).time).toHaveLength(1440);
    expectIn(page, "each point stands for 60 s");
    expect(page.length).toBeLessThan(1_000_000);
  });

  it("bundles the client in well under 300 ms", async () => {
    const { buildSync } = await import("esbuild");
    const started = performance.now();
    buildSync({ entryPoints: ["shared/sim/report/client/main.ts"], bundle: true, write: false, minify: true, format: "iife", logLevel: "silent" });
    expect(performance.now() - started).toBeLessThan(300);
  });

  it("renders a run with only some policies, naming only those", () => {
    const page = renderReport(buildFixture({ policies: ["ecs-autoscaler", "static"] }));
    expect(embedded(page).policies.map((p) => p.policy)).toEqual(["ecs-autoscaler", "static"]);
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
