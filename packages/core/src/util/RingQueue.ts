/** The items of every empty queue: one shared array of no slots, never written to. */
const NO_ITEMS: never[] = [];

/** The slots of a queue's first array; it doubles from there. */
const FIRST_CAPACITY = 16;

/**
 * A first-in, first-out queue in a ring of slots: a mailbox's messages, a deadline list's
 * calls. Taking an item clears its slot, and an emptied queue lets go of its array, so an idle
 * queue holds no memory.
 *
 * Why not an array with `push` and a head index: a long-lived queue's array ends up in the old
 * generation, and when `push` outgrows it V8 copies the items to a new one and drops the old
 * array as it is, still holding them. The young generation's collector then keeps whatever a
 * dropped old array refers to, until a full collection: every message or call that was queued
 * when the array grew outlived its delivery, and was copied by the collector twice more. This
 * queue grows by hand and empties the array it lets go of.
 */
export class RingQueue<T> {
  private items: (T | undefined)[] = NO_ITEMS;
  /** The slot of the first item. */
  private head = 0;
  private count = 0;

  /** The number of items queued. */
  get size(): number {
    return this.count;
  }

  /** Adds `item` at the end. */
  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** The first item, left in the queue; `undefined` if it is empty. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** Removes and returns the first item; `undefined` if the queue is empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const { items, head } = this;
    const item = items[head];
    items[head] = undefined;
    if (--this.count === 0) {
      // The array is empty now (every slot cleared): let go of it.
      this.items = NO_ITEMS;
      this.head = 0;
    } else {
      this.head = (head + 1) & (items.length - 1);
    }
    return item;
  }

  /** Removes every item. */
  clear(): void {
    this.items.fill(undefined);
    this.items = NO_ITEMS;
    this.head = 0;
    this.count = 0;
  }

  /** Moves the items, in order, to an array twice as large, and empties the old one. */
  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(Math.max(FIRST_CAPACITY, old.length * 2)).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    old.fill(undefined);
    this.items = next;
    this.head = 0;
  }
}
