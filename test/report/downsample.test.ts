import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketSize, downsample, maxPointsPerLine, niceBucketSize } from "../../shared/sim/report/downsample.ts";

describe("downsample", () => {
  it.each([
    {
      name: "short series are drawn sample by sample",
      values: [3, 1, 4],
      size: 1,
      reducer: "max" as const,
      expected: [
        [0, 3],
        [1, 1],
        [2, 4],
      ],
    },
    {
      name: "max keeps the highest sample of each bucket",
      values: [1, 9, 2, 2, 7, 3],
      size: 2,
      reducer: "max" as const,
      expected: [
        [0, 9],
        [2, 2],
        [4, 7],
      ],
    },
    {
      name: "mean keeps each bucket's average",
      values: [1, 3, 2, 2, 6, 0],
      size: 2,
      reducer: "mean" as const,
      expected: [
        [0, 2],
        [2, 2],
        [4, 3],
      ],
    },
    {
      name: "a short last bucket averages only what it holds",
      values: [2, 4, 10],
      size: 2,
      reducer: "mean" as const,
      expected: [
        [0, 3],
        [2, 10],
      ],
    },
    {
      name: "missing samples are ignored within a bucket",
      values: [Number.NaN, 5, 1, Number.POSITIVE_INFINITY],
      size: 2,
      reducer: "max" as const,
      expected: [
        [0, 5],
        [2, 1],
      ],
    },
    {
      name: "a bucket with no data stays a gap (NaN), not zero",
      values: [1, 1, Number.NaN, Number.NaN],
      size: 2,
      reducer: "mean" as const,
      expected: [
        [0, 1],
        [2, Number.NaN],
      ],
    },
    { name: "an empty series has no points", values: [], size: 5, reducer: "max" as const, expected: [] },
  ])("$name", ({ values, size, reducer, expected }) => {
    const points = downsample(values, reducer, size).map((p) => [p.index, p.value]);
    expect(points).toEqual(expected);
  });

  it("a one-sample spike in a simulated day at one-second steps survives in the drawn line", () => {
    const day = new Array<number>(86_400).fill(3);
    day[51_234] = 4_000;
    const points = downsample(day, "max");
    expect(points.length).toBeLessThanOrEqual(maxPointsPerLine);
    expect(Math.max(...points.map((p) => p.value))).toBe(4_000);
  });

  it("rejects a cap or bucket that is not a positive integer", () => {
    expect(() => bucketSize(10, 0)).toThrow(/maxPoints must be a positive integer/);
    expect(() => bucketSize(10, 1.5)).toThrow(/maxPoints/);
    expect(() => downsample([1, 2], "max", 0)).toThrow(/samplesPerBucket must be a positive integer/);
  });

  it.each([
    { name: "short runs are not bucketed", length: 720, step: 10, expected: 1 },
    { name: "a day at one-second steps is drawn per minute", length: 86_400, step: 1, expected: 60 },
    { name: "a week at ten-second steps is drawn per ten minutes", length: 60_480, step: 10, expected: 60 },
    { name: "a step that divides no round duration falls back to the plain bucket", length: 100_000, step: 7, expected: 67 },
  ])("round bucket lengths: $name", ({ length, step, expected }) => {
    const size = niceBucketSize(length, step);
    expect(size).toBe(expected);
    expect(Math.ceil(length / size)).toBeLessThanOrEqual(maxPointsPerLine);
  });

  const series = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 5_000 });
  const cap = fc.integer({ min: 1, max: 2_000 });

  it("never draws more than the cap, and starts buckets in order from the first sample", () => {
    fc.assert(
      fc.property(series, cap, (values, max) => {
        const points = downsample(values, "max", bucketSize(values.length, max));
        expect(points.length).toBeLessThanOrEqual(max);
        expect(points.length).toBe(values.length === 0 ? 0 : Math.ceil(values.length / bucketSize(values.length, max)));
        for (const [i, p] of points.entries()) expect(p.index).toBe(i * bucketSize(values.length, max));
      }),
    );
  });

  it("max: no sample is ever higher than its bucket's point (spikes are never hidden)", () => {
    fc.assert(
      fc.property(series, cap, (values, max) => {
        const size = bucketSize(values.length, max);
        const points = downsample(values, "max", size);
        for (const [i, v] of values.entries()) expect(points[Math.floor(i / size)]!.value).toBeGreaterThanOrEqual(v);
        if (values.length > 0) expect(Math.max(...points.map((p) => p.value))).toBe(Math.max(...values));
      }),
    );
  });

  it("mean: the total (area under the line) is kept", () => {
    fc.assert(
      fc.property(series, cap, (values, max) => {
        const size = bucketSize(values.length, max);
        const points = downsample(values, "mean", size);
        const total = points.reduce((sum, p) => sum + p.value * Math.min(size, values.length - p.index), 0);
        const expected = values.reduce((a, b) => a + b, 0);
        expect(Math.abs(total - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, expected));
      }),
    );
  });
});
