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
  start: () => void;
}

/** A limit of `concurrency` tasks at once; a task without a rank ranks by arrival. */
export function rankedLimit(concurrency: number): RankedLimit {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  let active = 0;
  let seq = 0;
  const waiting: Waiting[] = [];
  const next = () => {
    if (active >= concurrency || waiting.length === 0) return;
    let best = 0;
    for (let i = 1; i < waiting.length; i++) {
      const w = waiting[i]!;
      const b = waiting[best]!;
      if (w.rank < b.rank || (w.rank === b.rank && w.seq < b.seq)) best = i;
    }
    const [chosen] = waiting.splice(best, 1);
    active += 1;
    chosen!.start();
  };
  return <T>(task: () => Promise<T>, rank?: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const order = seq++;
      waiting.push({
        rank: rank ?? order,
        seq: order,
        start: () => {
          task()
            .then(resolve, reject)
            .finally(() => {
              active -= 1;
              next();
            });
        },
      });
      next();
    });
}
