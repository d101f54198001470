/**
 * Bench jobs on worker threads: each worker takes the next job when it is free, results come back in
 * job order. A worker answers `{ ok: true, result }` or `{ ok: false, error }` per job it is posted.
 */
import { Worker } from "node:worker_threads";

/** What a bench worker posts back for one job. */
export type WorkerAnswer<R> = { ok: true; result: R } | { ok: false; error: string };

/**
 * Runs `jobs` on `count` workers started from `url`; `name` names a job in an error, `onDone` hears of
 * each result as it comes (index, the results so far).
 */
export async function runOnWorkers<J, R>(
  url: URL,
  jobs: readonly J[],
  count: number,
  name: (job: J) => string,
  onDone: (index: number, results: readonly (R | undefined)[]) => void = () => undefined,
): Promise<R[]> {
  const results: (R | undefined)[] = Array.from({ length: jobs.length }, () => undefined);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, jobs.length) }, async () => {
      const worker = new Worker(url);
      try {
        while (next < jobs.length) {
          const index = next++;
          results[index] = await ask<J, R>(worker, jobs[index]!, name);
          onDone(index, results);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results as R[];
}

/** One job on one worker: its result, or a rejection naming the job. */
function ask<J, R>(worker: Worker, job: J, name: (job: J) => string): Promise<R> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${name(job)}: ${error.message}`));
    worker.once("error", onError);
    worker.once("message", (m: WorkerAnswer<R>) => {
      worker.off("error", onError);
      if (m.ok) resolve(m.result);
      else reject(new Error(`${name(job)} failed:\n${m.error}`));
    });
    worker.postMessage(job);
  });
}
