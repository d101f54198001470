import { describe, expect, it } from "vitest";
import { type ChartSpec, pathData, renderChartSvg } from "../../shared/sim/report/chart.ts";

const identity = (n: number) => n;

describe("SVG chart drawing", () => {
  it.each([
    {
      name: "a line joins points",
      shape: "line" as const,
      points: [
        [0, 1],
        [10, 5],
        [20, 2],
      ],
      expected: "M0 1L10 5L20 2",
    },
    {
      name: "a step line holds each value to the next point and to the end",
      shape: "step" as const,
      points: [
        [0, 1],
        [10, 5],
      ],
      expected: "M0 1H10V5H30",
    },
    {
      name: "missing data breaks a line instead of dropping it to zero",
      shape: "line" as const,
      points: [
        [0, 1],
        [10, Number.NaN],
        [20, 2],
        [30, 3],
      ],
      expected: "M0 1M20 2L30 3",
    },
    {
      name: "a step line ends at the gap it runs into",
      shape: "step" as const,
      points: [
        [0, 4],
        [10, Number.NaN],
        [20, 2],
      ],
      expected: "M0 4H10M20 2H30",
    },
    { name: "no finite points draw nothing", shape: "line" as const, points: [[0, Number.NaN]], expected: "" },
  ])("$name", ({ shape, points, expected }) => {
    const d = pathData(
      points.map(([t, v]) => ({ t: t!, v: v! })),
      identity,
      identity,
      shape,
      30,
    );
    expect(d).toBe(expected);
  });

  const spec: ChartSpec = {
    id: "chart-x",
    title: "Backlog per policy",
    yLabel: "messages waiting",
    unit: "messages",
    startMs: Date.parse("2026-03-02T12:00:00Z"),
    durationSeconds: 3600,
    lines: [
      {
        key: "keda",
        label: "keda",
        colour: "#CC79A7",
        shape: "line",
        points: [
          { t: 0, v: 0 },
          { t: 1800, v: 120 },
        ],
      },
    ],
    references: [{ value: 60, label: "target wait 60 s", colour: "#B00020" }],
  };

  it("has axis titles, tick labels, the reference line with its label, and a tagged path per line", () => {
    const svg = renderChartSvg(spec);
    expect(svg).toMatch(/^<svg class="chart" id="chart-x" viewBox="0 0 1160 300"/);
    expect(svg).toContain(">messages waiting</text>");
    expect(svg).toContain(">time (UTC)</text>");
    expect(svg).toContain(">12:30</text>");
    expect(svg).toContain(">target wait 60 s</text>");
    expect(svg).toMatch(/<path class="line" data-series="keda" stroke="#CC79A7" d="M[\d.]+ [\d.]+L/);
    expect(svg).toContain(`clip-path="url(#chart-x-clip)"`);
  });

  it("the y axis reaches at least the reference line, so the target is always on the chart", () => {
    const low = { ...spec, lines: [{ ...spec.lines[0]!, points: [{ t: 0, v: 1 }] }] };
    expect(renderChartSvg(low)).toMatch(/>60<\/text>|>80<\/text>|>100<\/text>/);
  });
});
