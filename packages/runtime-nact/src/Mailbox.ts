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
 * batch pays it once for up to `maxBatch` messages.
 */
export class Mailbox<TMessage> {
  private messages: (TMessage | undefined)[] = [];
  private head = 0;
  private wakeUpPending = false;

  /**
   * @param owner - Wakes the actor and processes messages.
   * @param maxBatch - How many messages one delivery handles before the actor yields to the
   *   event loop (and to other actors) and is woken again.
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
        // Yield: the rest comes with the next wake-up, after other actors and I/O had a turn.
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
