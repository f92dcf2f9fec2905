import { systemClock, type Clock, type ClockTimer } from '../scheduling/Clock';
import { RingQueue } from '../util/RingQueue';

/** An entry with a deadline, kept by {@link DeadlineLists} until it is done or expires. */
export interface DeadlineEntry {
  /** When the entry expires, in milliseconds of the lists' clock. */
  readonly deadline: number;
  /** Set by the owner when the entry ended otherwise; it is then dropped without expiring. */
  done: boolean;
}

/** The entries of one timeout length: their deadlines come in the order they were added. */
class DeadlineList<TEntry extends DeadlineEntry> {
  readonly entries = new RingQueue<TEntry>();
  timer: ClockTimer | undefined;
  live = 0;
}

/**
 * One timer per distinct timeout length instead of one per call: entries with the same
 * timeout expire in the order they were added, so each length keeps a FIFO list and a single
 * timer armed for its oldest live entry (how Node.js groups its own timers). Adding and
 * finishing an entry cost no timer operation; a list's timer keeps the process alive only
 * while the list has live entries.
 */
export class DeadlineLists<TEntry extends DeadlineEntry> {
  private readonly lists = new Map<number, DeadlineList<TEntry>>();

  /**
   * @param expire - Called for each entry whose deadline passed while it was not done.
   * @param clock - Where the time is read and the timers set; default the system clock.
   */
  constructor(
    private readonly expire: (entry: TEntry) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds an entry whose deadline is `timeoutMs` from now; returns the list to pass to {@link DeadlineLists.finish}. */
  add(entry: TEntry, timeoutMs: number): object {
    let list = this.lists.get(timeoutMs);
    if (list === undefined) {
      list = new DeadlineList<TEntry>();
      this.lists.set(timeoutMs, list);
    }
    list.entries.push(entry);
    list.live++;
    if (list.timer === undefined) this.arm(list, timeoutMs, entry.deadline);
    else if (list.live === 1) list.timer.ref();
    return list;
  }

  /** Records that an entry of `list` is done (its owner set `done`). */
  finish(list: object): void {
    const deadlines = list as DeadlineList<TEntry>;
    deadlines.live--;
    this.dropDoneHead(deadlines);
    // An idle list's timer must not keep the process alive; it fires once more, then stops.
    if (deadlines.live === 0) deadlines.timer?.unref();
  }

  /** Stops every timer and forgets every entry. */
  clear(): void {
    for (const list of this.lists.values()) this.clock.clearTimeout(list.timer);
    this.lists.clear();
  }

  private arm(list: DeadlineList<TEntry>, timeoutMs: number, deadline: number): void {
    list.timer = this.clock.setTimeout(() => this.fire(list, timeoutMs), Math.max(0, deadline - this.clock.now()));
    if (list.live === 0) list.timer.unref();
  }

  private fire(list: DeadlineList<TEntry>, timeoutMs: number): void {
    list.timer = undefined;
    const now = this.clock.now();
    for (;;) {
      this.dropDoneHead(list);
      const entry = list.entries.peek();
      if (entry === undefined) break;
      if (entry.deadline > now) {
        this.arm(list, timeoutMs, entry.deadline);
        return;
      }
      list.entries.shift();
      list.live--;
      this.expire(entry);
    }
    this.lists.delete(timeoutMs);
  }

  private dropDoneHead(list: DeadlineList<TEntry>): void {
    const { entries } = list;
    while (entries.peek()?.done === true) entries.shift();
  }
}
