import type { ClockTimer } from '@nact-rpc/core';

/** A timer of a virtual clock: a callback, when it fires next, and its period (0: once). */
export class VirtualTimer implements ClockTimer {
  /** Where the timer is in its queue's heap; -1 once it is out of it. */
  index = -1;

  constructor(
    readonly callback: () => void,
    public deadline: number,
    /** The order the timer was (re)queued in: timers with the same deadline fire in this order. */
    public sequence: number,
    readonly interval: number,
    readonly owner: TimerQueue,
  ) {}

  /** A virtual timer keeps nothing alive: nothing to do. */
  ref(): this {
    return this;
  }

  /** A virtual timer keeps nothing alive: nothing to do. */
  unref(): this {
    return this;
  }
}

/**
 * The waiting timers of a virtual clock, in a binary heap ordered by deadline, then by the
 * order they were queued in. Adding, cancelling and taking the next are O(log n).
 */
export class TimerQueue {
  private readonly heap: VirtualTimer[] = [];
  private sequence = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Queues a new timer. */
  add(callback: () => void, deadline: number, interval: number): VirtualTimer {
    const timer = new VirtualTimer(callback, deadline, this.sequence++, interval, this);
    this.push(timer);
    return timer;
  }

  /** Queues `timer` again (an interval, after it fired) for `deadline`. */
  requeue(timer: VirtualTimer, deadline: number): void {
    timer.deadline = deadline;
    timer.sequence = this.sequence++;
    this.push(timer);
  }

  /** The timer that fires next, left in the queue. */
  peek(): VirtualTimer | undefined {
    return this.heap[0];
  }

  /** Takes the timer that fires next out of the queue. */
  pop(): VirtualTimer | undefined {
    const first = this.heap[0];
    if (first !== undefined) this.removeAt(0);
    return first;
  }

  /** Takes `timer` out of the queue if it is one of this queue's and waiting. */
  cancel(timer: unknown): void {
    if (!(timer instanceof VirtualTimer) || timer.owner !== this || timer.index < 0) return;
    this.removeAt(timer.index);
  }

  private push(timer: VirtualTimer): void {
    timer.index = this.heap.length;
    this.heap.push(timer);
    this.up(timer.index);
  }

  private removeAt(index: number): void {
    const { heap } = this;
    const removed = heap[index] as VirtualTimer;
    const last = heap.pop() as VirtualTimer;
    removed.index = -1;
    if (last === removed) return;
    heap[index] = last;
    last.index = index;
    this.down(index);
    this.up(last.index);
  }

  private up(index: number): void {
    const { heap } = this;
    let at = index;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(heap[at] as VirtualTimer, heap[parent] as VirtualTimer)) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  private down(index: number): void {
    const { heap } = this;
    let at = index;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let first = at;
      if (left < heap.length && before(heap[left] as VirtualTimer, heap[first] as VirtualTimer)) first = left;
      if (right < heap.length && before(heap[right] as VirtualTimer, heap[first] as VirtualTimer)) first = right;
      if (first === at) return;
      this.swap(at, first);
      at = first;
    }
  }

  private swap(a: number, b: number): void {
    const { heap } = this;
    const timerA = heap[a] as VirtualTimer;
    const timerB = heap[b] as VirtualTimer;
    heap[a] = timerB;
    heap[b] = timerA;
    timerA.index = b;
    timerB.index = a;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.sequence < b.sequence);
}
