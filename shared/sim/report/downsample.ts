/**
 * Keeps long runs light: a simulated day at one-second steps is 86,400 samples per line, which a browser
 * draws slowly and a reader cannot see anyway. Samples are grouped into equal buckets and each bucket
 * becomes one point.
 */

/** Default cap on points per line (the brief: at most ~1500). */
export const maxPointsPerLine = 1500;

/**
 * How a bucket becomes one value. `max` keeps spikes visible (backlog, wait, tasks: a short spike is
 * exactly what a reader must see); `mean` keeps totals (arrival rates: area under the line is preserved).
 */
export type BucketReducer = "max" | "mean";

/** One point of a downsampled series: the first sample index of its bucket and the bucket's value. */
export interface SamplePoint {
  index: number;
  value: number;
}

/** The number of samples each bucket holds so that `length` samples give at most `maxPoints` points. */
export function bucketSize(length: number, maxPoints: number = maxPointsPerLine): number {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }
  return Math.max(1, Math.ceil(length / maxPoints));
}

/**
 * Reduces `values` to at most `maxPoints` points, one per bucket of `bucketSize(values.length)` samples.
 * Non-finite samples (NaN, ±Infinity: missing data) are ignored within a bucket; a bucket with no finite
 * sample yields NaN, which the chart draws as a gap rather than inventing a value.
 */
export function downsample(
  values: readonly number[],
  reducer: BucketReducer,
  maxPoints: number = maxPointsPerLine,
): SamplePoint[] {
  const size = bucketSize(values.length, maxPoints);
  const points: SamplePoint[] = [];
  for (let start = 0; start < values.length; start += size) {
    const end = Math.min(values.length, start + size);
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v > max) max = v;
      sum += v;
      count++;
    }
    const value = count === 0 ? Number.NaN : reducer === "max" ? max : sum / count;
    points.push({ index: start, value });
  }
  return points;
}
