/**
 * Records the world's one-minute CloudWatch datapoints into {@link SimCloudWatch}: the SQS counters
 * (sent, received, deleted) summed per minute, the visible count and the oldest message's age at the
 * minute's end, and time averages over the minute of the in-flight count, RunningTaskCount and CPU.
 */
import { type SimCloudWatch, simMetricNames } from "./cloudwatch.ts";
import type { Rng } from "./rng.ts";

/** The world's state since its last event (constant until the next one). */
export interface QueueAndTasks {
  /** Messages visible in the queue. */
  visible: number;
  /** Messages being processed. */
  busy: number;
  /** Messages in flight: being processed, or waiting out the visibility timeout of a stopped task. */
  inFlight: number;
  /** Tasks RUNNING. */
  running: number;
  /** Age at `at` of the oldest visible message (0 when none). */
  oldestAge(at: number): number;
}

export class CloudWatchRecorder {
  private readonly sent: Float64Array;
  private readonly received: Float64Array;
  private readonly deleted: Float64Array;
  private nextMinuteEnd = 60;
  private areaAt = 0;
  private minuteRunningArea = 0;
  private minuteBusyArea = 0;
  private minuteInFlightArea = 0;

  /**
   * `relativeError`: the uniform ± error of SQS's approximate metrics, drawn from `rng`;
   * `concurrency`: messages one task works on at once (100% CPU = every slot busy).
   */
  constructor(
    private readonly cloudwatch: SimCloudWatch,
    private readonly relativeError: number,
    private readonly concurrency: number,
    private readonly rng: Rng,
  ) {
    this.sent = cloudwatch.seriesOf(simMetricNames.sent).fill(0);
    this.received = cloudwatch.seriesOf(simMetricNames.received).fill(0);
    this.deleted = cloudwatch.seriesOf(simMetricNames.deleted).fill(0);
  }

  /** Counts one message sent, received or deleted at `now`. */
  count(counter: "sent" | "received" | "deleted", now: number): void {
    this[counter][Math.floor(now / 60)]!++;
  }

  /** Closes every minute ending at or before `t`, then integrates the state up to `t`. */
  advanceTo(t: number, state: QueueAndTasks): void {
    while (this.nextMinuteEnd <= t) {
      this.integrate(this.nextMinuteEnd, state);
      this.closeMinute(this.nextMinuteEnd, state);
      this.nextMinuteEnd += 60;
    }
    this.integrate(t, state);
  }

  /** Writes the datapoints of the minute ending at `end` (s). */
  private closeMinute(end: number, state: QueueAndTasks): void {
    const minute = end / 60 - 1;
    // SQS's CloudWatch metrics are approximate like its attributes (AWS: they can include retries, do
    // not rely on absolute values): each closed minute gets the same ± error, from its own stream.
    for (const counter of [this.sent, this.received, this.deleted]) {
      counter[minute] = Math.round(this.approximate(counter[minute]!));
    }
    const cw = this.cloudwatch;
    cw.seriesOf(simMetricNames.visible)[minute] = Math.round(this.approximate(state.visible));
    // A time average over the minute, like RunningTaskCount: what a per-minute Average of the in-flight
    // count reports when SQS samples it through the minute (the runtime's Little's-law rate reads it).
    cw.seriesOf(simMetricNames.notVisible)[minute] = this.approximate(this.minuteInFlightArea / 60);
    cw.seriesOf(simMetricNames.oldestAge)[minute] = state.oldestAge(end);
    cw.seriesOf(simMetricNames.runningTasks)[minute] = this.minuteRunningArea / 60;
    cw.seriesOf(simMetricNames.cpu)[minute] =
      this.minuteRunningArea > 0
        ? (100 * this.minuteBusyArea) / (this.minuteRunningArea * this.concurrency)
        : Number.NaN;
    this.minuteRunningArea = 0;
    this.minuteBusyArea = 0;
    this.minuteInFlightArea = 0;
  }

  /** An SQS metric value with the approximate counts' relative error (uniform ±`relativeError`). */
  private approximate(v: number): number {
    const u = this.rng.float();
    return v === 0 ? 0 : Math.max(0, v * (1 + this.relativeError * (2 * u - 1)));
  }

  private integrate(to: number, state: QueueAndTasks): void {
    const dt = to - this.areaAt;
    if (dt <= 0) return;
    this.minuteRunningArea += state.running * dt;
    this.minuteBusyArea += state.busy * dt;
    this.minuteInFlightArea += state.inFlight * dt;
    this.areaAt = to;
  }
}
