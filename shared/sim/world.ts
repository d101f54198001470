/**
 * The virtual-time world: one SQS queue feeding one ECS service, driven by a binary heap of events
 * (task started, message finished, message visible again, policy timers) rather than ticking every
 * message every second. Arrivals come from a shared {@link Workload}, so every policy sees the same ones.
 *
 * What it models (defaults and sources in docs/simulator.md):
 *  - tasks: UpdateService launches tasks that run after a startup delay; each runs `concurrency` messages
 *    at a time; billing per second from launch to stop with a one-minute minimum (Fargate);
 *  - scale-in stops pending tasks first (newest first), then running ones chosen at random, as ECS does not
 *    know which tasks are busy; a busy task's message stays in flight until its visibility timeout and
 *    then becomes visible again (counted: interrupted messages, their lost work and the wait it added);
 *  - with task scale-in protection on, a task holding a message is never chosen: the service runs above
 *    its desired count until enough busy tasks finish their message, and each then stops;
 *  - SQS attributes are approximate (a small relative error) and a few seconds stale;
 *  - CloudWatch gets one-minute datapoints, visible after a delay (cloudwatch.ts); the AWS/SQS ones carry
 *    the same relative error as the attributes.
 * The world never decides anything: policies read it and call {@link World.setDesiredCount}. This file
 * is the event loop, the messages and the tasks; the queue order (queue.ts), GetQueueAttributes
 * (sqs-attributes.ts), the CloudWatch minutes (cloudwatch-recorder.ts) and the reaction time
 * (reaction.ts) are their own.
 */
import type { Workload } from "./arrivals.ts";
import { SimCloudWatch } from "./cloudwatch.ts";
import { CloudWatchRecorder, type QueueAndTasks } from "./cloudwatch-recorder.ts";
import { drawStartup, type StartupModel } from "./distributions.ts";
import { EventHeap, type SimEvent } from "./heap.ts";
import { MessageRing } from "./queue.ts";
import { ReactionTimer } from "./reaction.ts";
import { Rng } from "./rng.ts";
import { AttributeSnapshots } from "./sqs-attributes.ts";

export interface WorldOptions {
  workload: Workload;
  seed: number;
  startup: StartupModel;
  /** Messages one task works on at once. */
  concurrency: number;
  /** SQS visibility timeout: a stopped task's message becomes visible again this long after it was received. */
  visibilityTimeoutSeconds: number;
  /** GetQueueAttributes reflects the queue as it was up to this many seconds ago (uniformly drawn per read). */
  attributeStalenessSeconds: number;
  /** Relative error of SQS's approximate counts (uniform ±): GetQueueAttributes and the AWS/SQS CloudWatch minutes. */
  attributeError: number;
  /** CloudWatch publication delay after a minute closes. */
  metricDelaySeconds: number;
  /** Tasks already running at time 0 (the service as the policy finds it). */
  initialTasks: number;
  /** Fargate's minimum billed duration per task. */
  minimumBilledSeconds: number;
  /** Resolution of the series kept for the report. */
  sampleStepSeconds: number;
  /**
   * When the first burst starts (s), for reaction time: the first UpdateService after it that raises the
   * count above the one in force at the burst. Null when there is none.
   */
  burstAt: number | null;
  /**
   * ECS task scale-in protection, set by the worker while it holds a message: a scale-in stops only tasks
   * without a message in hand, and busy tasks above the desired count stop as their last message is done.
   * Default off (every task can be stopped mid-message).
   */
  taskProtection?: boolean;
}

/** An `ECS Task State Change` the world emits when a task reaches RUNNING. */
export interface TaskRunning {
  taskId: string;
  createdAt: number;
  startedAt: number;
}

/** Everything the scoring needs from one run. */
export interface WorldRecord {
  arrived: number;
  processed: number;
  /** Waits of messages whose wait is settled: processed or in processing at the end. */
  waits: Float64Array;
  /** Ages at the end of messages still waiting (their wait is at least this). */
  pendingAges: Float64Array;
  /**
   * Per message in arrival order: its settled wait, or its age at the end while still waiting (for
   * scores over a window of arrivals, as bench:predictive's morning rise).
   */
  waitByArrival: Float64Array;
  workSeconds: number;
  taskSeconds: number;
  tasksLaunched: number;
  updateServiceCalls: number;
  /** Processings stopped by a scale-in (a message stopped twice counts twice). */
  interruptedMessages: number;
  /** Seconds of processing those stops threw away (message-seconds, not divided by concurrency). */
  lostWorkSeconds: number;
  /**
   * Wait the stops added, summed over the stopped messages: from the start of the processing that was
   * stopped to the start of the next one (or to the end of the run if none started).
   */
  interruptedExtraWaitSeconds: number;
  /** Task-seconds the service ran above its desired count because protected tasks were still busy. */
  drainingTaskSeconds: number;
  /** Burst start → the first count above the one in force then; null: no burst, or never above it. */
  reactionSeconds: number | null;
  left: { visible: number; inFlight: number; returning: number };
  series: { desired: number[]; running: number[]; backlog: number[]; oldestWaitSeconds: number[] };
}

const TASK_RUNNING = 1;
const COMPLETE = 2;
const VISIBLE_AGAIN = 3;
const TIMER = 4;
const WAKE = 5;

const PENDING = 0;
const RUNNING = 1;
const STOPPED = 2;

interface Task {
  index: number;
  createdAt: number;
  runningAt: number;
  state: number;
  workers: Worker[];
  /** Workers holding a message. */
  busy: number;
  /** Position in `pending` or `running`, for O(1) removal. */
  slot: number;
}

interface Worker {
  index: number;
  task: Task;
  msg: number;
  token: number;
  alive: boolean;
}

interface Timer {
  period: number;
  fn: (now: number) => void | Promise<void>;
}

/** Message states. */
const WAITING = 1;
const IN_FLIGHT = 2;
const RETURNING = 3;
const DONE = 4;
/** Visible again after a stopped processing: its next receive ends the extra wait. */
const WAITING_AGAIN = 5;

export class World {
  readonly cloudwatch: SimCloudWatch;
  /** Current virtual time, seconds from the start. */
  now = 0;
  /** Called now and then with the fraction of simulated time done (for a progress bar). */
  onProgress: ((fraction: number) => void) | undefined;
  /** Called at every UpdateService (virtual seconds from the start), e.g. to check a shared API budget. */
  onUpdateService: ((seconds: number) => void) | undefined;
  private readonly heap = new EventHeap();
  /** Events since the last progress call. */
  private steps = 0;
  private readonly arrivals: Float64Array;
  private readonly service: Float64Array;
  private nextArrival = 0;
  private readonly msgState: Uint8Array;
  private readonly receivedAt: Float64Array;
  private readonly waitOf: Float64Array;
  private readonly queue: MessageRing;
  private busy = 0;
  private returning = 0;
  private processed = 0;
  private workSeconds = 0;
  private readonly tasks: Task[] = [];
  private readonly pending: Task[] = [];
  private readonly running: Task[] = [];
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private desired = 0;
  private billed = 0;
  private updateCalls = 0;
  private interrupted = 0;
  private lostWork = 0;
  /** Σ (next receive − stopped receive): −receivedAt added at the stop, +now at the next receive. */
  private extraWait = 0;
  private drainingSeconds = 0;
  private readonly reaction: ReactionTimer;
  private readonly timers: Timer[] = [];
  private readonly sleepers: (() => void)[] = [];
  private readonly listeners: ((event: TaskRunning) => void | Promise<void>)[] = [];
  private readonly startupRng: Rng;
  private readonly stopRng: Rng;
  // Filled lazily up to each event: per-second snapshots, CloudWatch minutes and report samples.
  private readonly attributes: AttributeSnapshots;
  private readonly recorder: CloudWatchRecorder;
  private nextSample = 0;
  /** What the recorder reads at each event: one object updated in place (no allocation per event). */
  private readonly observed: QueueAndTasks = {
    visible: 0,
    busy: 0,
    inFlight: 0,
    running: 0,
    oldestAge: (at) => this.oldestAge(at),
  };
  private readonly series: WorldRecord["series"] = {
    desired: [],
    running: [],
    backlog: [],
    oldestWaitSeconds: [],
  };

  constructor(private readonly options: WorldOptions) {
    const { workload } = options;
    this.arrivals = workload.arrivalTimes;
    this.service = workload.serviceTimes;
    const n = this.arrivals.length;
    this.msgState = new Uint8Array(n);
    this.receivedAt = new Float64Array(n);
    this.waitOf = new Float64Array(n).fill(Number.NaN);
    this.queue = new MessageRing(n);
    const minutes = Math.ceil(workload.durationSeconds / 60);
    this.cloudwatch = new SimCloudWatch(minutes, options.metricDelaySeconds);
    this.startupRng = new Rng(options.seed, "startup");
    this.stopRng = new Rng(options.seed, "scale-in-choice");
    const { attributeError: error } = options;
    this.attributes = new AttributeSnapshots(
      options.attributeStalenessSeconds,
      error,
      new Rng(options.seed, "sqs-approximation"),
    );
    const metricRng = new Rng(options.seed, "sqs-metric-approximation");
    this.recorder = new CloudWatchRecorder(this.cloudwatch, error, options.concurrency, metricRng);
    this.reaction = new ReactionTimer(options.burstAt);
    for (let i = 0; i < options.initialTasks; i++) {
      const task = this.newTask(0);
      this.startTask(task);
    }
    this.desired = options.initialTasks;
  }

  get durationSeconds(): number {
    return this.options.workload.durationSeconds;
  }

  /** Absolute time of `now`. */
  date(at = this.now): Date {
    return new Date(this.options.workload.startMs + at * 1000);
  }

  /** Calls `fn` every `period` seconds from `offset`; async callbacks are awaited before time moves on. */
  every(period: number, offset: number, fn: (now: number) => void | Promise<void>): void {
    this.timers.push({ period, fn });
    this.heap.push(offset, TIMER, this.timers.length - 1);
  }

  /** Resolves when virtual time reaches now + `seconds` (the virtual Clock's sleep). */
  sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push(resolve);
      this.heap.push(this.now + Math.max(0, seconds), WAKE, this.sleepers.length - 1);
    });
  }

  onTaskRunning(listener: (event: TaskRunning) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  /** What DescribeServices would say. */
  describe(): { desiredCount: number; runningCount: number; pendingCount: number } {
    return {
      desiredCount: this.desired,
      runningCount: this.running.length,
      pendingCount: this.pending.length,
    };
  }

  /** UpdateService(desiredCount): the ECS scheduler launches or stops tasks to match. */
  setDesiredCount(count: number): void {
    this.updateCalls++;
    this.onUpdateService?.(this.now);
    this.reaction.onUpdate(this.now, this.desired, count);
    this.desired = count;
    let alive = this.pending.length + this.running.length;
    while (alive < count) {
      const task = this.newTask(this.now);
      this.heap.push(this.now + drawStartup(this.options.startup, this.startupRng), TASK_RUNNING, task.index);
      alive++;
    }
    while (alive > count && this.pending.length > 0) {
      this.stopTask(this.pending[this.pending.length - 1]!);
      alive--;
    }
    if (this.options.taskProtection) {
      this.stopIdle(alive - count);
      return;
    }
    while (alive > count) {
      this.stopTask(this.running[this.stopRng.int(this.running.length)]!);
      alive--;
    }
  }

  /** Scale-in under protection: up to `excess` running tasks without a message, chosen at random. */
  private stopIdle(excess: number): void {
    if (excess <= 0) return;
    const idle = this.running.filter((task) => task.busy === 0);
    for (let n = Math.min(excess, idle.length); n > 0; n--) {
      const at = this.stopRng.int(idle.length);
      this.stopTask(idle[at]!);
      idle[at] = idle[idle.length - 1]!;
      idle.pop();
    }
  }

  /** Tasks above the desired count (only protected busy ones can be: the others are stopped at once). */
  private excess(): number {
    return this.pending.length + this.running.length - this.desired;
  }

  /** GetQueueAttributes: approximate and a few seconds stale, as SQS reports them. */
  approximateDepth(): { visible: number; inFlight: number; delayed: number } {
    return this.attributes.read(this.now);
  }

  /** Runs to the end of the workload and returns what happened. */
  async run(): Promise<WorldRecord> {
    const end = this.durationSeconds;
    for (;;) {
      const event = this.runSynchronous(end);
      if (event === undefined) break;
      await this.handle(event);
    }
    this.advanceTo(end);
    return this.finish(end);
  }

  /**
   * Arrivals and message completions (most events, and none awaits) up to the next event that may
   * await, which it returns (undefined at the end). A loop of its own, outside the async `run`: a
   * resumed async function re-enters its loop unoptimised, and with a pass every 10 s awaiting, the
   * event loop spent much of the day there.
   */
  private runSynchronous(end: number): SimEvent | undefined {
    const arrivals = this.arrivals;
    const heap = this.heap;
    for (;;) {
      if (++this.steps === 65_536) {
        this.steps = 0;
        this.onProgress?.(this.now / end);
      }
      const nextArrivalAt =
        this.nextArrival < arrivals.length ? arrivals[this.nextArrival]! : Number.POSITIVE_INFINITY;
      const nextEventAt = heap.peekTime();
      const t = Math.min(nextArrivalAt, nextEventAt);
      if (t >= end) return undefined;
      this.advanceTo(t);
      if (nextArrivalAt <= nextEventAt) this.arrive(this.nextArrival++);
      else {
        const event = heap.pop()!;
        if (event.kind === COMPLETE) this.complete(event.ref, event.token);
        else return event;
      }
    }
  }

  /** One event off the heap; async listeners and timers are awaited before time moves on. */
  private async handle(event: SimEvent): Promise<void> {
    switch (event.kind) {
      case COMPLETE:
        this.complete(event.ref, event.token);
        break;
      case TASK_RUNNING:
        await this.taskRunning(this.tasks[event.ref]!);
        break;
      case VISIBLE_AGAIN:
        this.returning--;
        this.msgState[event.ref] = WAITING_AGAIN;
        this.queue.pushFront(event.ref);
        this.dispatch();
        break;
      case TIMER: {
        const timer = this.timers[event.ref]!;
        this.heap.push(this.now + timer.period, TIMER, event.ref);
        const done = timer.fn(this.now);
        if (done) await done;
        break;
      }
      case WAKE:
        this.sleepers[event.ref]!();
        // Let the sleeper's continuation run (in-memory ports resolve in microtasks) before time moves on.
        await new Promise((resolve) => setImmediate(resolve));
        break;
    }
  }

  /** A launched task reaches RUNNING (unless it was stopped while pending) and tells the listeners. */
  private async taskRunning(task: Task): Promise<void> {
    if (task.state !== PENDING) return;
    this.startTask(task);
    for (const listener of this.listeners) {
      const done = listener({
        taskId: `sim-task-${task.index}`,
        createdAt: task.createdAt,
        startedAt: this.now,
      });
      if (done) await done;
    }
  }

  // ── Messages ───────────────────────────────────────────────────────────────────────────────────────

  private arrive(msg: number): void {
    this.msgState[msg] = WAITING;
    this.recorder.count("sent", this.now);
    this.queue.pushBack(msg);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.size > 0 && this.idle.length > 0) {
      const worker = this.idle.pop()!;
      if (!worker.alive) continue;
      this.receive(worker, this.queue.popFront());
    }
  }

  private receive(worker: Worker, msg: number): void {
    if (this.msgState[msg] === WAITING_AGAIN) this.extraWait += this.now;
    this.msgState[msg] = IN_FLIGHT;
    this.receivedAt[msg] = this.now;
    this.waitOf[msg] = this.now - this.arrivals[msg]!;
    this.recorder.count("received", this.now);
    worker.msg = msg;
    worker.token++;
    worker.task.busy++;
    this.busy++;
    this.heap.push(this.now + this.service[msg]!, COMPLETE, worker.index, worker.token);
  }

  private complete(workerIndex: number, token: number): void {
    const worker = this.workers[workerIndex]!;
    if (!worker.alive || worker.token !== token) return;
    const msg = worker.msg;
    this.msgState[msg] = DONE;
    this.processed++;
    this.workSeconds += this.service[msg]!;
    this.recorder.count("deleted", this.now);
    this.busy--;
    worker.msg = -1;
    const task = worker.task;
    task.busy--;
    // A protected task above the desired count loses its protection with its last message: ECS stops it.
    if (task.busy === 0 && this.excess() > 0) {
      this.stopTask(task);
      return;
    }
    if (this.queue.size > 0) this.receive(worker, this.queue.popFront());
    else this.idle.push(worker);
  }

  // ── Tasks ──────────────────────────────────────────────────────────────────────────────────────────

  private newTask(createdAt: number): Task {
    const task: Task = {
      index: this.tasks.length,
      createdAt,
      runningAt: Number.NaN,
      state: PENDING,
      workers: [],
      busy: 0,
      slot: this.pending.length,
    };
    this.tasks.push(task);
    this.pending.push(task);
    return task;
  }

  private startTask(task: Task): void {
    if (task.state === PENDING) this.removeFrom(this.pending, task);
    task.state = RUNNING;
    task.runningAt = this.now;
    task.slot = this.running.length;
    this.running.push(task);
    for (let i = 0; i < this.options.concurrency; i++) {
      const worker: Worker = { index: this.workers.length, task, msg: -1, token: 0, alive: true };
      this.workers.push(worker);
      task.workers.push(worker);
      this.idle.push(worker);
    }
    this.dispatch();
  }

  private stopTask(task: Task): void {
    if (task.state === PENDING) this.removeFrom(this.pending, task);
    else if (task.state === RUNNING) this.removeFrom(this.running, task);
    task.state = STOPPED;
    this.billed += this.billedSeconds(task, this.now);
    for (const worker of task.workers) {
      worker.alive = false;
      if (worker.msg < 0) continue;
      // SIGKILL'd mid-message: the message is not deleted and stays invisible until its visibility timeout.
      const msg = worker.msg;
      this.msgState[msg] = RETURNING;
      this.waitOf[msg] = Number.NaN;
      this.interrupted++;
      this.lostWork += this.now - this.receivedAt[msg]!;
      this.extraWait -= this.receivedAt[msg]!;
      this.busy--;
      task.busy--;
      this.returning++;
      this.heap.push(
        Math.max(this.now, this.receivedAt[msg]! + this.options.visibilityTimeoutSeconds),
        VISIBLE_AGAIN,
        msg,
      );
      worker.msg = -1;
    }
  }

  private billedSeconds(task: Task, until: number): number {
    return Math.max(this.options.minimumBilledSeconds, Math.ceil(until - task.createdAt - 1e-9));
  }

  private removeFrom(list: Task[], task: Task): void {
    const last = list.pop()!;
    if (last !== task) {
      list[task.slot] = last;
      last.slot = task.slot;
    }
  }

  // ── Observation: snapshots, CloudWatch minutes and report samples, filled lazily up to `t` ─────────

  private oldestAge(at: number): number {
    return this.queue.size > 0 ? at - this.arrivals[this.queue.peekFront()]! : 0;
  }

  /** Records every second, minute and sample boundary in (last, t]; the state is constant since the last event. */
  private advanceTo(t: number): void {
    const inFlight = this.busy + this.returning;
    const state = this.observed;
    state.visible = this.queue.size;
    state.busy = this.busy;
    state.inFlight = inFlight;
    state.running = this.running.length;
    this.attributes.recordUpTo(t, state.visible, inFlight);
    this.recorder.advanceTo(t, state);
    const excess = this.excess();
    if (excess > 0) this.drainingSeconds += excess * (t - this.now);
    while (this.nextSample <= t && this.nextSample < this.durationSeconds) {
      this.series.desired.push(this.desired);
      this.series.running.push(state.running);
      this.series.backlog.push(state.visible + inFlight);
      this.series.oldestWaitSeconds.push(this.oldestAge(this.nextSample));
      this.nextSample += this.options.sampleStepSeconds;
    }
    this.now = t;
  }

  private finish(end: number): WorldRecord {
    for (const task of [...this.pending, ...this.running]) this.billed += this.billedSeconds(task, end);
    const n = this.nextArrival;
    let settled = 0;
    let extraWait = this.extraWait;
    for (let i = 0; i < n; i++) {
      const state = this.msgState[i]!;
      if (state === DONE || state === IN_FLIGHT) settled++;
      // Stopped and not received since: its extra wait runs to the end.
      else if (state === RETURNING || state === WAITING_AGAIN) extraWait += end;
    }
    const waits = new Float64Array(settled);
    const pendingAges = new Float64Array(n - settled);
    for (let i = 0, w = 0, p = 0; i < n; i++) {
      const state = this.msgState[i]!;
      if (state === DONE || state === IN_FLIGHT) waits[w++] = this.waitOf[i]!;
      else {
        pendingAges[p++] = end - this.arrivals[i]!;
        // The run is over: the per-message array becomes the record's (no copy of millions of waits).
        this.waitOf[i] = end - this.arrivals[i]!;
      }
    }
    const left = { visible: this.queue.size, inFlight: this.busy, returning: this.returning };
    const accounted = this.processed + left.visible + left.inFlight + left.returning;
    if (accounted !== n) {
      throw new Error(
        `conservation violated: ${n} arrived but ${this.processed} processed + ${left.visible} visible + ${left.inFlight} in flight + ${left.returning} returning = ${accounted}`,
      );
    }
    return {
      arrived: n,
      processed: this.processed,
      waits,
      pendingAges,
      waitByArrival: this.waitOf,
      workSeconds: this.workSeconds,
      taskSeconds: this.billed,
      tasksLaunched: this.tasks.length,
      updateServiceCalls: this.updateCalls,
      interruptedMessages: this.interrupted,
      lostWorkSeconds: this.lostWork,
      interruptedExtraWaitSeconds: extraWait,
      drainingTaskSeconds: this.drainingSeconds,
      reactionSeconds: this.reaction.seconds,
      left,
      series: this.series,
    };
  }
}
