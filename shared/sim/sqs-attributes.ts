/**
 * What GetQueueAttributes reports in the simulation: the queue as it was up to a few seconds ago, with
 * SQS's approximate counts. The world records a per-second snapshot of its visible and in-flight counts;
 * a read picks one of the last seconds and adds a small relative error.
 */
import type { Rng } from "./rng.ts";

const STALE_RING = 64;

/** Per-second snapshots of the queue's counts, the last {@link STALE_RING} seconds. */
export class AttributeSnapshots {
  private nextSecond = 0;
  private readonly visible = new Float64Array(STALE_RING);
  private readonly inFlight = new Float64Array(STALE_RING);

  /**
   * `stalenessSeconds`: how far back a read may look (uniformly drawn per read); `relativeError`: the
   * uniform ± error of each count; `rng`: the stream both are drawn from.
   */
  constructor(
    private readonly stalenessSeconds: number,
    private readonly relativeError: number,
    private readonly rng: Rng,
  ) {}

  /** Records every whole second up to `t` with the counts, constant since the last event. */
  recordUpTo(t: number, visible: number, inFlight: number): void {
    while (this.nextSecond <= t) {
      const slot = this.nextSecond % STALE_RING;
      this.visible[slot] = visible;
      this.inFlight[slot] = inFlight;
      this.nextSecond++;
    }
  }

  /** A GetQueueAttributes read at `now`: approximate and a few seconds stale. */
  read(now: number): { visible: number; inFlight: number; delayed: number } {
    const lag = this.rng.float() * this.stalenessSeconds;
    const second = Math.max(0, Math.min(this.nextSecond - 1, Math.floor(now - lag)));
    const slot = second % STALE_RING;
    return {
      visible: this.approximate(this.visible[slot]!),
      inFlight: this.approximate(this.inFlight[slot]!),
      delayed: 0,
    };
  }

  /**
   * A count with its relative error drawn (0 stays 0, drawing nothing). A method, not a closure made
   * per read: under esbuild's keepNames each named closure also defines its name.
   */
  private approximate(v: number): number {
    if (v === 0) return 0;
    return Math.max(0, Math.round(v * (1 + this.relativeError * (2 * this.rng.float() - 1))));
  }
}
