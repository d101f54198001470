/**
 * The latency-aware queue model: how many tasks keep messages within `targetWaitSeconds`, from the
 * measured arrival rate, the measured processing rate per task and the learned task startup time —
 * instead of a static backlog-per-task ratio. Pure. docs/simulator.md explains it with the numbers.
 *
 * With λ the arrival rate, μ what one busy task completes per second, W the target wait, S the startup
 * time, B the backlog (visible + in flight):
 *  - horizon H = max(W − S, W / 4): a task asked for now works only after S, so the backlog must be
 *    worked off in what is left of the target wait (never less than a quarter of it: a slow start makes
 *    draining more urgent, not impossible). S unknown (no task seen starting yet): assume
 *    {@link assumedStartupSeconds}, not an instant start;
 *  - load = λ / μ: the tasks that keep up with arrivals. No margin on top: the queue is the buffer.
 *    An excess of arrivals (Poisson noise, or λ read low) becomes backlog, and the drain term adds
 *    tasks once the backlog holds H seconds of work, when new tasks still start within S and waits stay
 *    within H + S = W. (Version 2 added z · √(λ / H) / μ, z = 2.33, for the 99th-percentile Poisson
 *    excess over H; with the drain term below taking the larger of the two, the margin paid for
 *    capacity the wait budget already provides: 6–7% more task-seconds, no message more within target.)
 *  - drain = B / (μ · H): the tasks that start all of the current backlog within the horizon;
 *  - tasks = max(⌊load⌋, ⌈drain⌉) with measured rates, ⌈max(load, drain)⌉ with estimated ones. Not
 *    the sum: the queue is first in, first out, so new arrivals wait behind the backlog, not beside it.
 *    n tasks start a message that arrives t seconds from now by t + H iff n·μ·(t + H) ≥ B + λ·t; the
 *    two sides are linear in t, so checking t = 0 (n ≥ drain) and t → ∞ (n ≥ λ/μ) covers every t. The
 *    sum asked for up to twice that during bursts.
 *  - a standing queue for the fraction: with n = ⌊λ/μ⌋ ≥ 1 tasks the backlog grows at λ − nμ, and once
 *    it holds H seconds of their work the drain term asks for task n + 1, which starts within S; the
 *    last message waits about H + S = W at most (when S ≤ 3W/4, so H = W − S), since the backlog grows
 *    by at most (λ − nμ)·S < nμ·S meanwhile. In the fluid model: it leaves out the pass interval and
 *    the arrival rate measured over the last minutes, which add their seconds to every bound here. Below one task's load
 *    (λ < μ) the count rounds up, so a service never drops to no task between messages. So the count alternates between ⌊λ/μ⌋ and ⌈λ/μ⌉ and averages λ/μ, as a standing queue
 *    of KEDA tuned in hindsight does, where rounding up kept the fraction of a task idle all the time
 *    (npm run bench: cost ÷ oracle 1.135 → 1.115, geometric mean; within target ≥ 99.93% everywhere).
 *    An estimated rate (triggers.ts, `estimatedRates`) rounds up: its arrivals are the busy tasks'
 *    completions, and rounding them down would count a busy task short.
 *  - live arrival bound: λ is measured over the last few minutes (the runtime averages it over a window of queue snapshots). When the
 *    queue shows nothing waiting and some tasks idle, every arrival is taken up at once, so arrivals
 *    now run at most at what the busy tasks b complete (Little's law on the live queue), plus a
 *    99th-percentile margin for the snapshot's noise: λ ≤ μ · (b + z·√b), z = 2.33. After a burst
 *    this lets the count fall as soon as the backlog is gone instead of a minute or two later; it never
 *    raises the count.
 *  - missing rates: while the arrival or processing rate is not measured, triggers.ts (`estimatedRates`)
 *    feeds this model μ = messagesPerTask / secondsPerMessage and λ ≥ what the busy tasks complete.
 *  - the share s (`targetWaitShare`, 0.99 unless set): the target is "s of the messages start within W",
 *    as latency targets are stated (a p99), not "every message". Two steps use it, both off at s = 1,
 *    where the count is the fluid model's above, number for number:
 *    - steady tail: the M/M/n queue (Poisson arrivals, exponential service, n tasks, FIFO) waits longer
 *      than t with P(wait > t) = C(n, a)·e^{−(nμ−λ)t}, a = λ/μ, C the Erlang C formula (erlang.ts;
 *      Kleinrock, "Queueing Systems, Vol. 1", §3.5; Wikipedia "Erlang (unit)", "Erlang C formula").
 *      The fewest n with P(wait > W) ≤ 1 − s is the count that meets the share with nothing queued;
 *      the load term is at least one task fewer than that n (the queue carries the last task's worth,
 *      as the rounding down does, and the drain term adds it once a backlog builds). With W many
 *      service times (the usual case: 120 s against 2 s) n is ⌈a⌉, so the floor is ⌊a⌋ and changes
 *      nothing, except just below a whole load (19.99/s at 0.5/s: the tail at 40 tasks is 30%, so 41,
 *      floor 40 where the fluid rule keeps 39 and a standing queue). With W a few service times the
 *      fluid model is wrong and the tail raises the count: 10.5 tasks' load at 60 s per message and
 *      W = 120 s asks 13 for 99%, floor 12, where the fluid rule asks 10.
 *    - late allowance: a decision settles the backlog and the arrivals behind it within one target
 *      wait, B + λ·W messages; (1 − s) of them may start late, the newest, so the drain term starts
 *      B − (1 − s)·(B + λ·W) within the horizon (3000 waiting at 20/s, s = 0.99: 54 late, 99 tasks
 *      instead of 100).
 *    Limits: the tail is the stationary M/M/n one, while the count here is re-decided every pass and
 *    the drain term reacts to the queue, so the tail is an upper bound on what a controlled queue sees
 *    near a whole load; service times are not exponential (heavier tails wait longer, deterministic
 *    ones less) and arrivals are burstier than Poisson on real traces. The allowance is per decision:
 *    the share is not a budget counted over a day, which the engine, without a record of which
 *    messages were late, cannot keep. Measured (npm run bench, docs/simulator.md): the share moves the
 *    count on bursts and near whole loads only, by a few percent.
 * Why not a target utilization: with a wait target many times the processing time, queueing delay at
 * steady load is negligible until utilization is close to 1 (an M/M/n queue's wait tail falls as
 * e^−(n−λ/μ)μt); what breaks the target is load the tasks cannot absorb before new ones start, which is
 * what the drain term sizes.
 */

import { tailTasks } from "./erlang.ts";

export interface LatencyInput {
  backlog: number;
  /** Messages arriving per second (0 when unknown). */
  arrivalRate: number;
  /** Messages one busy task completes per second. */
  processingRatePerTask: number;
  targetWaitSeconds: number;
  /** Time from UpdateService to a running task (learned); undefined when no task was seen starting. */
  startupSeconds?: number;
  /**
   * The live queue, for the live arrival bound: messages waiting (visible), in processing (in flight),
   * the running tasks and how many messages each works on at once. Without it there is no bound.
   */
  live?: { visible: number; inFlight: number; runningTasks: number; messagesPerTask: number };
  /**
   * Whether the arrival and processing rates are measured (not estimated from the config and the live
   * queue): only then is the load term rounded down, letting a standing queue carry the fraction of a
   * task (see the module comment). An estimate rounds up, so busy tasks are never counted short.
   */
  ratesMeasured?: boolean;
  /**
   * The share of messages that must start within the target wait, in (0, 1]; 1 (every message, the
   * fluid model alone) unless given. Below 1 the steady tail ({@link steadyTail}) and the late allowance
   * of the drain term ({@link lateAllowance}) size for that share.
   */
  share?: number;
}

export interface LatencyProposal {
  tasks: number;
  explanation: string;
}

/** Normal quantile (99th percentile) of the margin on the live arrival bound. */
export const noiseQuantile = 2.33;

/**
 * Startup time assumed until one is learned: Fargate tasks take "60-90s" (aws/containers-roadmap#649),
 * "around 60 seconds" (aws/containers-roadmap#696); assuming 0 would let the first burst wait for tasks the model thought
 * were instant.
 */
export const assumedStartupSeconds = 60;

/** The horizon within which the backlog must be worked off: what the target wait leaves after startup. */
export function drainHorizon(targetWaitSeconds: number, startupSeconds: number): number {
  return Math.max(targetWaitSeconds - startupSeconds, targetWaitSeconds / 4);
}

/**
 * The most arrivals per second the live queue allows: when nothing is visible and some tasks are idle,
 * what the busy tasks (in flight / messagesPerTask) complete, b·μ, plus a noise margin z·√b·μ.
 * Undefined when messages wait or every task is busy: then the tasks show their capacity, not the demand.
 */
export function liveArrivalBound(
  live: LatencyInput["live"],
  processingRatePerTask: number,
): number | undefined {
  if (!live || live.visible > 0) return undefined;
  const busy = Math.max(0, live.inFlight) / live.messagesPerTask;
  if (busy >= live.runningTasks) return undefined;
  return processingRatePerTask * (busy + noiseQuantile * Math.sqrt(busy));
}

/** Tasks needed to keep messages within the target wait; see the module comment for the model. */
export function latencyAwareTasks(input: LatencyInput): LatencyProposal {
  const { backlog, arrivalRate, processingRatePerTask: mu, targetWaitSeconds: wait } = input;
  const startup = input.startupSeconds ?? assumedStartupSeconds;
  const measured = Math.max(0, arrivalRate);
  const bound = liveArrivalBound(input.live, mu);
  const lambda = bound !== undefined && bound < measured ? bound : measured;
  const share = input.share ?? 1;
  const horizon = drainHorizon(wait, startup);
  const load = lambda / mu;
  const late = lateAllowance(share, backlog, lambda, wait);
  const drain = Math.max(0, backlog - late) / (mu * horizon);
  // Down only from one whole task up: below it, rounding down would let the service drop to no task
  // between messages, and each message would then wait a whole task start.
  const fluidTasks =
    input.ratesMeasured && load >= 1 - 1e-9 ? Math.floor(load + 1e-9) : Math.ceil(load - 1e-9);
  const tail = steadyTail(lambda, mu, wait, share);
  const loadTasks = Math.max(fluidTasks, tail?.floor ?? 0);
  const tasks = Math.max(0, loadTasks, Math.ceil(drain - 1e-9));
  const arrivals =
    lambda < measured
      ? `arrivals ${round(measured)}/s, at most ${round(lambda)}/s now (nothing waiting, tasks idle)`
      : `arrivals ${round(lambda)}/s`;
  const assumed = input.startupSeconds === undefined ? ` (startup assumed ${assumedStartupSeconds} s)` : "";
  const tailNote = tail
    ? `; ${percent(share)} within ${round(wait)} s: P(wait > ${round(wait)} s) = ${probability(tail.tail)} at ${tail.tasks} tasks (Erlang C) → at least ${tail.floor}`
    : "";
  const lateNote =
    late > 0
      ? ` less ${Number(late.toFixed(2))} allowed late (${percent(1 - share)} of ${round(backlog + lambda * wait)})`
      : "";
  return {
    tasks,
    explanation:
      `${arrivals} at ${round(mu)}/s per task → ${round(load)}${tailNote};` +
      ` backlog ${backlog}${lateNote} drained in ${round(horizon)} s${assumed} → ${round(drain)}; the larger${roundedDown(input, load, tasks, fluidTasks)} → ${tasks}`,
  };
}

/**
 * Steady tail, for a share below 1: the fewest tasks n > λ/μ whose M/M/n tail P(wait > W) is at most
 * 1 − share (Erlang C, erlang.ts), and the floor it sets on the load term, one task fewer: the queue
 * carries the last task's worth, as the fluid rounding does, and the drain term adds it once the
 * backlog builds. Undefined at share 1 (no finite count has a zero tail) and with no arrivals.
 */
export function steadyTail(
  lambda: number,
  mu: number,
  wait: number,
  share: number,
): { tasks: number; tail: number; floor: number } | undefined {
  if (share >= 1 || lambda <= 0) return undefined;
  const { tasks, tail } = tailTasks(lambda, mu, wait, share);
  return { tasks, tail, floor: tasks - 1 };
}

/**
 * Late allowance of the drain term: the messages a decision settles are the backlog and the arrivals
 * behind it within one target wait, B + λ·W; a share s lets (1 − s) of them start late, the newest
 * ones, so the drain term starts B − (1 − s)·(B + λ·W) within the horizon. 0 at share 1 or no backlog.
 */
export function lateAllowance(share: number, backlog: number, lambda: number, wait: number): number {
  if (share >= 1 || backlog <= 0) return 0;
  return Math.min(backlog, (1 - share) * (backlog + lambda * wait));
}

/** Says so when the load's fraction of a task is left to the queue (rounded down) and decided the count. */
function roundedDown(input: LatencyInput, load: number, tasks: number, fluidTasks: number): string {
  const fraction = load - Math.floor(load + 1e-9);
  return input.ratesMeasured &&
    load >= 1 &&
    fraction > 1e-9 &&
    tasks === Math.floor(load + 1e-9) &&
    tasks === fluidTasks
    ? ", the load rounded down (the queue carries the fraction)"
    : "";
}

function percent(p: number): string {
  const x = 100 * p;
  // A whole percentage (the usual share, 99%) prints as itself: toFixed, the slow part, changes nothing there.
  return Number.isInteger(x) ? `${x}%` : `${Number(x.toFixed(2))}%`;
}

function probability(p: number): string {
  return p >= 0.001 ? `${Number((100 * p).toFixed(2))}%` : p.toExponential(1);
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
