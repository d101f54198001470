/**
 * The simulated SQS queue's visible messages, in order: a ring buffer of message indices. New messages
 * go to the back; a message whose visibility timeout ran out goes back to the front, as the oldest.
 */
export class MessageRing {
  private readonly slots: Int32Array;
  private head = 0;
  /** Messages in the ring. */
  size = 0;

  /** A ring for at most `capacity` messages (every message of the run at once). */
  constructor(capacity: number) {
    this.slots = new Int32Array(Math.max(1, capacity));
  }

  /** Appends a newly arrived message. */
  pushBack(msg: number): void {
    this.slots[(this.head + this.size) % this.slots.length] = msg;
    this.size++;
  }

  /** Puts a message visible again in front of every other. */
  pushFront(msg: number): void {
    this.head = (this.head - 1 + this.slots.length) % this.slots.length;
    this.slots[this.head] = msg;
    this.size++;
  }

  /** Removes and returns the oldest message; the ring must not be empty. */
  popFront(): number {
    const msg = this.slots[this.head]!;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    return msg;
  }

  /** The oldest message without removing it; the ring must not be empty. */
  peekFront(): number {
    return this.slots[this.head]!;
  }
}
