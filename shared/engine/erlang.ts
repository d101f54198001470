/**
 * The M/M/n waiting-time tail (Erlang C), for sizing the steady load of a wait target at a share of
 * messages rather than every one. Pure.
 *
 * With λ arrivals per second, μ what one task completes per second, a = λ/μ the offered load and n > a
 * tasks, a message waits at all with probability C(n, a) (the Erlang C formula) and, given that it
 * waits, its wait is exponential with rate nμ − λ, so P(wait > t) = C(n, a)·e^{−(nμ−λ)t}
 * (Kleinrock, "Queueing Systems, Vol. 1", 1975, §3.5; Wikipedia "Erlang (unit)", section "Erlang C
 * formula"). With n ≤ a the queue grows without bound and the tail is 1.
 *
 * C(n, a) is computed from the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), C = n·B / (n − a·(1 − B)),
 * which stays within floating point for any n (the textbook sum of aᵏ/k! overflows past k ≈ 170). The
 * recursion contracts by k/a per step below k = a, so it starts 8√a below a from B ≈ 1 − k/a (the
 * fluid value there) instead of from B(0) = 1: the error left is below e^{−32}, and a load of a million
 * tasks costs thousands of steps, not a million.
 */

/** The probability that a message waits longer than `t` seconds in an M/M/n queue (1 when n ≤ a). */
export function waitTailProbability(n: number, lambda: number, mu: number, t: number): number {
  const a = lambda / mu;
  if (lambda <= 0) return 0;
  if (n <= a) return 1;
  return erlangC(n, a) * Math.exp(-(n * mu - lambda) * t);
}

/** Erlang C: the probability that an arrival waits at all, with n tasks and offered load a < n. */
export function erlangC(n: number, a: number): number {
  const b = erlangB(n, a);
  return (n * b) / (n - a * (1 - b));
}

/** Erlang B (the blocking probability of n servers at load a), by the recursion from a start near a. */
export function erlangB(n: number, a: number): number {
  if (a <= 0) return 0;
  const start = Math.max(0, Math.floor(a - 8 * Math.sqrt(a)));
  let b = start === 0 ? 1 : 1 - start / a;
  for (let k = start + 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/** The steady count for a share: the fewest tasks n > a whose tail P(wait > t) is at most 1 − share. */
export interface TailCount {
  tasks: number;
  /** P(wait > t) at `tasks`. */
  tail: number;
}

/** Most steps above the load the search takes; past it the count stops there (a wait far below 1/μ). */
const maxStepsAboveLoad = 100_000;

/**
 * The fewest tasks whose M/M/n tail P(wait > t) is at most 1 − share (share < 1; λ > 0), searched
 * upward from ⌊a⌋ + 1 with the Erlang B recursion carried along, so each step costs O(1).
 */
export function tailTasks(lambda: number, mu: number, t: number, share: number): TailCount {
  const a = lambda / mu;
  const allowed = 1 - share;
  let n = Math.floor(a) + 1;
  let b = erlangB(n, a);
  for (let steps = 0; ; steps++) {
    const tail = ((n * b) / (n - a * (1 - b))) * Math.exp(-(n * mu - lambda) * t);
    if (tail <= allowed || steps >= maxStepsAboveLoad) return { tasks: n, tail };
    n += 1;
    b = (a * b) / (n + a * b);
  }
}
