/**
 * The clairvoyant schedule behind the `oracle` policy: it knows every arrival, every service time and the
 * startup delay of every task it will launch, and decides offline, message by message in arrival order
 * (the order SQS hands them out), which task serves each message and when each task is launched and stopped.
 *
 * For each message (arrival a, service s, deadline a + target wait) it compares what each choice adds to
 * the bill (per second, one-minute minimum, from launch to stop, as Fargate bills):
 *  - a slot of a task already scheduled, free by the deadline: the message starts when the slot is free
 *    (or on arrival); the task's bill grows by the idle gap it has to bridge plus the work;
 *  - a new task running exactly when the message arrives (launched one startup delay earlier), or, before
 *    any launch could be running, one of the tasks the service has at the start.
 * It takes the cheapest (ties: the slot that frees latest, so work gathers on few tasks). Bridging an idle
 * gap on an old task versus stopping it and launching a fresh one is the rent-or-buy choice: keep it while
 * the gap costs less than max(minimum − s, startup). A task stops after its last message.
 *
 * Feasibility: every message starts by its deadline except the unavoidable ones — a message is
 * *unavoidable* when, at its turn, no scheduled slot is free by its deadline, no task of the opening service
 * is left, and a task launched at time 0 would only be running after its deadline (or launching one would
 * exceed maxTasks). Such a message is served as early as possible instead. {@link checkSchedule}
 * re-verifies a schedule independently.
 *
 * This is a greedy, not an optimum: on small cases it is compared with an exhaustive search (tests).
 */

export interface OracleInput {
  arrivals: Float64Array;
  service: Float64Array;
  targetWaitSeconds: number;
  concurrency: number;
  maxTasks: number;
  /** Tasks running at time 0 (launched at 0): the service as every policy finds it. */
  initialTasks: number;
  /** Startup delay of the k-th task the oracle launches (k from 0), seconds. */
  startupDelay: (k: number) => number;
  /** The longest startup delay possible (prunes tasks never worth reviving). */
  maxStartupSeconds: number;
  minimumBilledSeconds: number;
}

export interface OracleTask {
  launchedAt: number;
  runningAt: number;
  /** When its last message finishes (the task stops then). */
  stoppedAt: number;
}

export interface OracleSchedule {
  tasks: OracleTask[];
  /** Per message: when its processing starts. */
  startAt: Float64Array;
  /** Per message: the index of the task that serves it. */
  taskOf: Int32Array;
  /** Messages that could not start within the target (see the file header for when that is unavoidable). */
  unavoidable: number;
}

interface Slot {
  task: number;
  free: number;
}

/**
 * Concurrency 1 only: while a launched task has worked back to back since it started, it can start later by
 * up to `slack` (the least spare time of those messages before their deadlines) — a later message that
 * would leave an idle gap instead pulls the whole block later, and the bill shrinks by the shift.
 */
interface Block {
  members: number[];
  slack: number;
}

/** Fargate billing of one task alive from `launch` to `stop`: per second, one-minute minimum. */
export function billedSeconds(launch: number, stop: number, minimum: number): number {
  return Math.max(minimum, Math.ceil(stop - launch - 1e-9));
}

/** Builds the clairvoyant schedule (see the file header). */
export function oracleSchedule(input: OracleInput): OracleSchedule {
  const builder = new ScheduleBuilder(input);
  for (let i = 0; i < input.arrivals.length; i++) builder.place(i);
  return builder.schedule();
}

/** The schedule as it grows, message by message (see the file header for the choice each makes). */
class ScheduleBuilder {
  private readonly tasks: OracleTask[] = [];
  private readonly startAt: Float64Array;
  private readonly taskOf: Int32Array;
  private slots: Slot[] = [];
  private readonly blocks = new Map<number, Block>();
  private launches = 0;
  private openingUsed = 0;
  private unavoidable = 0;

  constructor(private readonly input: OracleInput) {
    this.startAt = new Float64Array(input.arrivals.length);
    this.taskOf = new Int32Array(input.arrivals.length);
  }

  schedule(): OracleSchedule {
    return { tasks: this.tasks, startAt: this.startAt, taskOf: this.taskOf, unavoidable: this.unavoidable };
  }

  place(i: number): void {
    const { input, tasks } = this;
    const a = input.arrivals[i]!;
    const s = input.service[i]!;
    const deadline = a + input.targetWaitSeconds;
    if (i % 256 === 0) {
      // Tasks idle longer than a relaunch could cost are never cheaper to revive: drop them.
      const horizon = a - input.minimumBilledSeconds - input.maxStartupSeconds;
      this.slots = this.slots.filter((slot) => tasks[slot.task]!.stoppedAt >= horizon);
    }
    const { slot, start } = this.choose(a, s, deadline);
    if (start > deadline) this.unavoidable++;
    this.extendBlock(i, slot, a, start, deadline);
    this.startAt[i] = start;
    this.taskOf[i] = slot.task;
    slot.free = start + s;
    const task = tasks[slot.task]!;
    task.stoppedAt = Math.max(task.stoppedAt, start + s);
  }

  /** The cheapest slot in time, a new task, or when late whatever starts the message soonest. */
  private choose(a: number, s: number, deadline: number): { slot: Slot; start: number } {
    const { input, tasks, slots } = this;
    const best = bestSlot(slots, tasks, this.blocks, a, s, deadline, input.minimumBilledSeconds);
    const fresh = newTaskOption(input, a, s, this.launches, this.openingUsed, tasks, slots);
    if (best && (fresh === null || !fresh.onTime || best.extra <= fresh.extra)) return best;
    const soonest = slots.length > 0 ? earliestSlot(slots) : null;
    if (fresh !== null && (fresh.onTime || soonest === null || fresh.running < Math.max(a, soonest.free))) {
      return { slot: this.launch(fresh), start: Math.max(a, fresh.running) };
    }
    if (soonest === null) throw new Error("oracle: maxTasks is 0, no task can serve any message");
    return { slot: soonest, start: Math.max(a, soonest.free) };
  }

  /** Adds the new task's slots; returns the first. */
  private launch(fresh: FreshTask): Slot {
    const { input } = this;
    this.tasks.push({ launchedAt: fresh.launch, runningAt: fresh.running, stoppedAt: fresh.running });
    if (fresh.opening) this.openingUsed++;
    else this.launches++;
    const index = this.tasks.length - 1;
    for (let c = 0; c < input.concurrency; c++) this.slots.push({ task: index, free: fresh.running });
    if (input.concurrency === 1 && !fresh.opening) {
      this.blocks.set(index, { members: [], slack: Number.POSITIVE_INFINITY });
    }
    return this.slots[this.slots.length - input.concurrency]!;
  }

  /** Moves the task's back-to-back block later to meet message `i`, or ends the block at a gap. */
  private extendBlock(i: number, slot: Slot, a: number, start: number, deadline: number): void {
    const block = this.blocks.get(slot.task);
    if (!block) return;
    const shift = blockShift(block, slot, a);
    if (shift > 0) shiftBlock(this.tasks[slot.task]!, block, slot, shift, this.startAt, this.input);
    if (slot.free + 1e-9 < start) {
      this.blocks.delete(slot.task);
      return;
    }
    block.members.push(i);
    block.slack = Math.min(block.slack, deadline - start);
  }
}

/** How far a back-to-back block moves later to close the gap before a message arriving at `a`. */
function blockShift(block: Block, slot: Slot, a: number): number {
  return slot.free < a ? Math.min(block.slack, a - slot.free) : 0;
}

function shiftBlock(
  task: OracleTask,
  block: Block,
  slot: Slot,
  shift: number,
  startAt: Float64Array,
  input: OracleInput,
): void {
  task.launchedAt += shift;
  task.runningAt += shift;
  task.stoppedAt += shift;
  slot.free += shift;
  block.slack -= shift;
  // Within each member's slack by construction; the clamp only removes floating-point rounding.
  for (const m of block.members) {
    startAt[m] = Math.min(startAt[m]! + shift, input.arrivals[m]! + input.targetWaitSeconds);
  }
}

/**
 * The scheduled slot free by the deadline that adds least to the bill (ties: the one free latest). The
 * hottest loop of the oracle (every message against every live slot), so it allocates only the answer.
 */
function bestSlot(
  slots: Slot[],
  tasks: OracleTask[],
  blocks: Map<number, Block>,
  a: number,
  s: number,
  deadline: number,
  minimum: number,
): { slot: Slot; start: number; extra: number } | null {
  let bestIndex = -1;
  let bestStart = 0;
  let bestExtra = 0;
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    if (slot.free > deadline) continue;
    const task = tasks[slot.task]!;
    const start = Math.max(a, slot.free);
    const block = blocks.size > 0 ? blocks.get(slot.task) : undefined;
    const shift = block ? blockShift(block, slot, a) : 0;
    const extra =
      billedSeconds(task.launchedAt + shift, Math.max(task.stoppedAt + shift, start + s), minimum) -
      billedSeconds(task.launchedAt, task.stoppedAt, minimum);
    if (bestIndex < 0 || extra < bestExtra || (extra === bestExtra && slot.free > slots[bestIndex]!.free)) {
      bestIndex = k;
      bestStart = start;
      bestExtra = extra;
    }
  }
  return bestIndex < 0 ? null : { slot: slots[bestIndex]!, start: bestStart, extra: bestExtra };
}

function earliestSlot(slots: Slot[]): Slot {
  let best = slots[0]!;
  for (const slot of slots) if (slot.free < best.free) best = slot;
  return best;
}

interface FreshTask {
  launch: number;
  running: number;
  opening: boolean;
  onTime: boolean;
  extra: number;
}

/**
 * A new task for the message: one of the opening service's tasks while any is left and cheaper, else a
 * launch running on arrival (or as soon as a launch at 0 can be). Null when maxTasks tasks are alive.
 */
function newTaskOption(
  input: OracleInput,
  a: number,
  s: number,
  launches: number,
  openingUsed: number,
  tasks: OracleTask[],
  slots: Slot[],
): FreshTask | null {
  const min = input.minimumBilledSeconds;
  const deadline = a + input.targetWaitSeconds;
  const d = input.startupDelay(launches);
  const running = Math.max(a, d);
  const launched: FreshTask = {
    launch: running - d,
    running,
    opening: false,
    onTime: running <= deadline,
    extra: billedSeconds(running - d, running + s, min),
  };
  const opening: FreshTask | null =
    openingUsed < input.initialTasks
      ? { launch: 0, running: 0, opening: true, onTime: true, extra: billedSeconds(0, a + s, min) }
      : null;
  const choice =
    opening !== null && (!launched.onTime || opening.extra <= launched.extra) ? opening : launched;
  // A list that knows fewer tasks than maxTasks cannot have that many alive: skip counting them.
  const known = slots.length / input.concurrency;
  if (known >= input.maxTasks && aliveAt(choice.launch, tasks, slots, input.concurrency) >= input.maxTasks) {
    return null;
  }
  return choice;
}

/** Tasks still running at `t` among those the pruned slot list still knows. */
function aliveAt(t: number, tasks: OracleTask[], slots: Slot[], concurrency: number): number {
  let alive = 0;
  for (let k = 0; k < slots.length; k += concurrency) {
    const task = tasks[slots[k]!.task]!;
    if (task.launchedAt <= t && task.stoppedAt > t) alive++;
  }
  return alive;
}

/**
 * Re-verifies a schedule against its input, independently of how it was built: every message starts after
 * it arrives and after its task is running; no more than `concurrency` messages overlap on one task; each
 * task runs after its startup delay (or is an opening task) and stops after its last message. Returns the
 * number of messages that started later than the target; throws on any violation.
 */
export function checkSchedule(input: OracleInput, schedule: OracleSchedule): number {
  const perTask: { start: number; end: number }[][] = schedule.tasks.map(() => []);
  let late = 0;
  for (let i = 0; i < input.arrivals.length; i++) {
    const start = schedule.startAt[i]!;
    const task = schedule.tasks[schedule.taskOf[i]!];
    if (!task) throw new Error(`message ${i}: no task ${schedule.taskOf[i]}`);
    if (start + 1e-9 < input.arrivals[i]!) throw new Error(`message ${i}: starts before it arrives`);
    if (start + 1e-9 < task.runningAt) throw new Error(`message ${i}: starts before its task runs`);
    if (start + input.service[i]! > task.stoppedAt + 1e-9) throw new Error(`message ${i}: outlives its task`);
    if (start > input.arrivals[i]! + input.targetWaitSeconds) late++;
    perTask[schedule.taskOf[i]!]!.push({ start, end: start + input.service[i]! });
  }
  let opening = 0;
  let launches = 0;
  for (const [k, task] of schedule.tasks.entries()) {
    if (task.launchedAt < -1e-9) throw new Error(`task ${k}: launched before time 0`);
    if (task.runningAt === 0 && task.launchedAt === 0) opening++;
    else if (task.runningAt - task.launchedAt + 1e-9 < input.startupDelay(launches++)) {
      throw new Error(`task ${k}: running sooner than its startup delay`);
    }
    const edges = perTask[k]!.flatMap((w) => [
      { t: w.start, d: 1 },
      { t: w.end - 1e-9, d: -1 }, // shifted blocks carry rounding: an end a hair after the next start
    ]);
    edges.sort((x, y) => x.t - y.t || x.d - y.d);
    let busy = 0;
    for (const e of edges) {
      busy += e.d;
      if (busy > input.concurrency) throw new Error(`task ${k}: more than ${input.concurrency} at once`);
    }
  }
  if (opening > input.initialTasks) throw new Error(`${opening} opening tasks, only ${input.initialTasks}`);
  return late;
}
