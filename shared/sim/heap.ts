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

export class EventHeap {
  private readonly items: SimEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.items.length > 0 ? this.items[0]!.time : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, ref = 0, token = 0): void {
    const event: SimEvent = { time, seq: this.nextSeq++, kind, ref, token };
    const items = this.items;
    let i = items.length;
    items.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = event;
  }

  /** Removes and returns the earliest event; undefined when empty. */
  pop(): SimEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
