/** What a {@link Mailbox} needs from the actor it belongs to. */
export interface MailboxOwner<TMessage> {
  /** Arranges for {@link Mailbox.deliver} to be called soon (never synchronously). */
  wakeUp(): void;
  /**
   * Handles one message; returns a promise while the message holds the mailbox (no later
   * message is delivered until it settles).
   */
  process(message: TMessage): void | Promise<void>;
}

/**
 * An endpoint's mailbox. Messages wait here and the actor is only woken: one delivery handles
 * a whole batch, one message at a time and in order. nact costs a macrotask per message; a
 * batch pays it once for up to `maxBatch` messages. When a batch is full, the mailbox wakes
 * its actor again and returns: what happens next (delivery in the same microtask drain, or in
 * a later macrotask) is the owner's scheduling, see `deliveryScheduler`.
 */
export class Mailbox<TMessage> {
  private messages: (TMessage | undefined)[] = [];
  private head = 0;
  private wakeUpPending = false;

  /**
   * @param owner - Wakes the actor and processes messages.
   * @param maxBatch - How many messages one delivery handles before it stops and wakes the
   *   actor again; when the rest is delivered is up to the owner's `wakeUp`.
   */
  constructor(
    private readonly owner: MailboxOwner<TMessage>,
    private readonly maxBatch: number,
  ) {}

  /** The number of messages waiting. */
  get size(): number {
    return this.messages.length - this.head;
  }

  /** Adds a message, waking the actor if it is not already due to deliver. */
  enqueue(message: TMessage): void {
    this.messages.push(message);
    if (!this.wakeUpPending) {
      this.wakeUpPending = true;
      this.owner.wakeUp();
    }
  }

  /**
   * Delivers waiting messages, one at a time. Returns a promise while a message holds the
   * mailbox; delivery continues when it settles.
   */
  deliver(): void | Promise<void> {
    for (let budget = this.maxBatch; this.head < this.messages.length; budget--) {
      if (budget === 0) {
        // The rest comes with the next wake-up. With the runtime's deliveryScheduler that is
        // after the mailboxes already woken, still in a microtask while the per-turn budget
        // lasts: this alone does not give the event loop (I/O, timers) a turn.
        this.compact();
        this.owner.wakeUp();
        return;
      }
      const message = this.messages[this.head] as TMessage;
      this.messages[this.head++] = undefined;
      const hold = this.owner.process(message);
      if (hold !== undefined) return hold.then(() => this.deliver());
    }
    this.messages = [];
    this.head = 0;
    this.wakeUpPending = false;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.messages.length) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
  }
}
