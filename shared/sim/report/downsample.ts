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

/** Bucket lengths, seconds, that read well on a time axis ("the highest within each minute"). */
const niceBucketSeconds = [
  1, 2, 3, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 21_600,
  43_200, 86_400,
];

/**
 * Samples per bucket for a series sampled every `stepSeconds`: the smallest round duration (a minute,
 * five minutes…) that is a whole number of samples and keeps the line within `maxPoints`; the plain
 * `bucketSize` when no round duration fits (odd step lengths).
 */
export function niceBucketSize(
  length: number,
  stepSeconds: number,
  maxPoints: number = maxPointsPerLine,
): number {
  const minimum = bucketSize(length, maxPoints);
  if (minimum === 1) return 1;
  for (const seconds of niceBucketSeconds) {
    const samples = seconds / stepSeconds;
    if (Number.isInteger(samples) && samples >= minimum) return samples;
  }
  return minimum;
}

/**
 * Reduces `values` to one point per bucket of `samplesPerBucket` samples (default: as few as keep the
 * line within `maxPointsPerLine`). Non-finite samples (NaN, ±Infinity: missing data) are ignored within
 * a bucket; a bucket with no finite sample yields NaN, which the chart draws as a gap rather than
 * inventing a value.
 */
export function downsample(
  values: readonly number[],
  reducer: BucketReducer,
  samplesPerBucket: number = bucketSize(values.length),
): SamplePoint[] {
  if (!Number.isInteger(samplesPerBucket) || samplesPerBucket < 1) {
    throw new RangeError(`samplesPerBucket must be a positive integer, got ${samplesPerBucket}`);
  }
  const size = samplesPerBucket;
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
