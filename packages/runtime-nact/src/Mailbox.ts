import { RingQueue } from '@nact-rpc/core/internal';

/** What a {@link Mailbox} needs from the actor it belongs to. */
export interface MailboxOwner<TMessage> {
  /**
   * Arranges for {@link Mailbox.deliver} to be called soon (never synchronously).
   * @param fromNetwork - The message that woke it is a call from another process.
   */
  wakeUp(fromNetwork?: boolean): void;
  /**
   * Handles one message; returns a promise while the message holds the mailbox (no later
   * message is delivered until it settles).
   */
  process(message: TMessage): void | Promise<void>;
}

/**
 * What of a {@link Mailbox} others may watch: how full it is, and when it has drained. Internal:
 * it lets `InboundRequests` stop reading a connection while an endpoint has too much waiting.
 */
export interface MailboxBacklog {
  /** The number of messages waiting. */
  readonly size: number;
  /**
   * Calls `callback` once, as soon as at most `size` messages wait (or the mailbox is
   * released): at once if that is already so, otherwise when a delivery ends. It costs nothing
   * while no one waits. `callback` must not throw.
   */
  whenAtMost(size: number, callback: () => void): void;
}

/** A caller of {@link Mailbox.whenAtMost} still waiting. */
interface DrainWaiter {
  readonly size: number;
  readonly callback: () => void;
}

/**
 * An endpoint's mailbox. Messages wait here and the actor is only woken: one delivery handles
 * a whole batch, one message at a time and in order. nact costs a macrotask per message; a
 * batch pays it once for up to `maxBatch` messages. When a batch is full, the mailbox wakes
 * its actor again and returns: what happens next (delivery in the same microtask drain, or in
 * a later macrotask) is the owner's scheduling, see `deliveryScheduler`. Who waits for it to
 * drain ({@link whenAtMost}) is checked when a delivery ends: per batch, not per message.
 */
export class Mailbox<TMessage> implements MailboxBacklog {
  /** The messages waiting; an idle mailbox's queue holds no array. */
  private readonly messages = new RingQueue<TMessage>();
  private wakeUpPending = false;
  /** Who waits for the mailbox to drain; checked when a delivery ends, and only if set. */
  private waiters: DrainWaiter[] | undefined;
  private released = false;

  /**
   * @param owner - Wakes the actor and processes messages.
   * @param maxBatch - How many messages one delivery handles before it stops and wakes the
   *   actor again; when the rest is delivered is up to the owner's `wakeUp`.
   */
  constructor(
    private readonly owner: MailboxOwner<TMessage>,
    private readonly maxBatch: number,
  ) {}

  /** How many messages it has delivered so far: the delivery scheduler's budget counts them. */
  delivered = 0;

  /** The number of messages waiting. */
  get size(): number {
    return this.messages.size;
  }

  /**
   * Adds a message, waking the actor if it is not already due to deliver.
   * @param fromNetwork - The message is a call from another process (see `deliveryScheduler`).
   */
  enqueue(message: TMessage, fromNetwork = false): void {
    this.messages.push(message);
    if (!this.wakeUpPending) {
      this.wakeUpPending = true;
      this.owner.wakeUp(fromNetwork);
    }
  }

  /**
   * Delivers waiting messages, one at a time. Returns a promise while a message holds the
   * mailbox; delivery continues when it settles.
   */
  deliver(): void | Promise<void> {
    for (let budget = this.maxBatch; this.messages.size > 0; budget--) {
      if (budget === 0) {
        // The rest comes with the next wake-up. With the runtime's deliveryScheduler that is
        // after the mailboxes already woken, in a microtask while the turn's budget (messages
        // and time) lasts, and in the next macrotask after it.
        this.owner.wakeUp();
        if (this.waiters !== undefined) this.notifyWaiters();
        return;
      }
      const message = this.messages.shift() as TMessage;
      this.delivered++;
      const hold = this.owner.process(message);
      if (hold !== undefined) {
        const rest = hold.then(() => this.deliver());
        if (this.waiters !== undefined) this.notifyWaiters();
        return rest;
      }
    }
    this.wakeUpPending = false;
    if (this.waiters !== undefined) this.notifyWaiters();
  }

  /** @see MailboxBacklog.whenAtMost */
  whenAtMost(size: number, callback: () => void): void {
    if (this.released || this.size <= size) {
      callback();
      return;
    }
    (this.waiters ??= []).push({ size, callback });
  }

  /**
   * Releases every waiter of {@link whenAtMost} now, and later ones at once: the mailbox's
   * endpoint has terminated, so it is to be waited for no more.
   */
  release(): void {
    this.released = true;
    if (this.waiters !== undefined) this.notifyWaiters();
  }

  /** Calls back, and forgets, the waiters whose size has been reached. */
  private notifyWaiters(): void {
    const waiters = this.waiters as DrainWaiter[];
    const size = this.released ? Number.NEGATIVE_INFINITY : this.size;
    const due = waiters.filter((waiter) => size <= waiter.size);
    if (due.length === 0) return;
    this.waiters = due.length === waiters.length ? undefined : waiters.filter((waiter) => size > waiter.size);
    for (const waiter of due) waiter.callback();
  }
}
