/**
 * The simulator's event queue: a binary min-heap ordered by time, then by insertion order, so events at
 * the same instant run in the order they were scheduled (which keeps runs deterministic).
 */

/** One scheduled event. `kind` and the payload fields are the world's business. */
export interface SimEvent {
  time: number;
  seq: number;
  kind: number;
  /** Index of the task, worker or message the event is about. */
  ref: number;
  /** Guards against stale events (e.g. the completion of a message whose task was stopped). */
  token: number;
}

/**
 * The fields live in parallel typed arrays that grow by doubling, so scheduling an event allocates
 * nothing (a simulated day schedules millions). {@link pop} hands back one reused {@link SimEvent}:
 * read it before the next pop.
 */
export class EventHeap {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Float64Array(1024);
  private ref = new Float64Array(1024);
  private token = new Float64Array(1024);
  private count = 0;
  private nextSeq = 0;
  private readonly popped: SimEvent = { time: 0, seq: 0, kind: 0, ref: 0, token: 0 };

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.time[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, ref = 0, token = 0): void {
    if (this.count === this.time.length) this.grow();
    const seq = this.nextSeq++;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.time[parent]!;
      if (!(time < pt || (time === pt && seq < this.seq[parent]!))) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, time, seq, kind, ref, token);
  }

  /** The earliest event (a reused object, valid until the next pop), or undefined when empty. */
  pop(): SimEvent | undefined {
    if (this.count === 0) return undefined;
    const top = this.popped;
    top.time = this.time[0]!;
    top.seq = this.seq[0]!;
    top.kind = this.kind[0]!;
    top.ref = this.ref[0]!;
    top.token = this.token[0]!;
    const n = --this.count;
    if (n === 0) return top;
    // Sift the last event down from the root.
    const time = this.time[n]!;
    const seq = this.seq[n]!;
    const kind = this.kind[n]!;
    const ref = this.ref[n]!;
    const token = this.token[n]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(right, left) ? right : left;
      const ct = this.time[child]!;
      if (!(ct < time || (ct === time && this.seq[child]! < seq))) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, time, seq, kind, ref, token);
    return top;
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.kind[to] = this.kind[from]!;
    this.ref[to] = this.ref[from]!;
    this.token[to] = this.token[from]!;
  }

  private set(i: number, time: number, seq: number, kind: number, ref: number, token: number): void {
    this.time[i] = time;
    this.seq[i] = seq;
    this.kind[i] = kind;
    this.ref[i] = ref;
    this.token[i] = token;
  }

  private grow(): void {
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.time = bigger(this.time);
    this.seq = bigger(this.seq);
    this.kind = bigger(this.kind);
    this.ref = bigger(this.ref);
    this.token = bigger(this.token);
  }
}
