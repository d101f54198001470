/**
 * A concurrency limit whose waiting tasks start by rank (lowest first), not by arrival: in a
 * pipelined pass services become ready in whatever order their reads answer, and the one that has
 * waited longest for a decision should still get the next free slot.
 */

/** Runs `task` once fewer than the limit's tasks run and no waiting task has a lower `rank`. */
export type RankedLimit = <T>(task: () => Promise<T>, rank?: number) => Promise<T>;

interface Waiting {
  rank: number;
  /** Arrival order, so equal ranks start first come, first served. */
  seq: number;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** A limit of `concurrency` tasks at once; a task without a rank ranks by arrival. */
export function rankedLimit(concurrency: number): RankedLimit {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const limit = new Limit(concurrency);
  return <T>(task: () => Promise<T>, rank?: number): Promise<T> => limit.run(task, rank);
}

/**
 * The limit's state and its two steps as methods rather than closures made per task: a pass queues
 * every read and decision through limits, and a closure per task (named, under esbuild's keepNames)
 * was a measurable share of a simulated day.
 */
class Limit {
  private active = 0;
  private seq = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly concurrency: number) {}

  run<T>(task: () => Promise<T>, rank: number | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const order = this.seq++;
      this.waiting.push({
        rank: rank ?? order,
        seq: order,
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.next();
    });
  }

  private next(): void {
    const waiting = this.waiting;
    if (this.active >= this.concurrency || waiting.length === 0) return;
    let best = 0;
    for (let i = 1; i < waiting.length; i++) {
      const w = waiting[i]!;
      const b = waiting[best]!;
      if (w.rank < b.rank || (w.rank === b.rank && w.seq < b.seq)) best = i;
    }
    const [chosen] = waiting.splice(best, 1);
    this.active += 1;
    chosen!
      .task()
      .then(chosen!.resolve, chosen!.reject)
      .finally(() => {
        this.active -= 1;
        this.next();
      });
  }
}
