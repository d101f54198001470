/**
 * Reaction time to a burst: from the burst's start to the first UpdateService after it that raises the
 * count above the one in force when the burst began. Not any rise: a policy that had dropped mid-burst
 * and climbs back has not reacted.
 */
export class ReactionTimer {
  private reaction: number | null = null;
  /** The desired count in force when the burst began; set at the first UpdateService after it. */
  private desiredAtBurst: number | undefined;

  /** `burstAt`: the burst's start (s), or null when the run has none. */
  constructor(private readonly burstAt: number | null) {}

  /** Notes an UpdateService at `now` from the count `current` to `count`. */
  onUpdate(now: number, current: number, count: number): void {
    const burstAt = this.burstAt;
    if (burstAt === null || now <= burstAt || this.reaction !== null) return;
    this.desiredAtBurst ??= current;
    if (count > this.desiredAtBurst) this.reaction = now - burstAt;
  }

  /** Seconds from the burst to the reaction; null: no burst, or no reaction yet. */
  get seconds(): number | null {
    return this.reaction;
  }
}
