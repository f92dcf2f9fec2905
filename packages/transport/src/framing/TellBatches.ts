/**
 * The flushed batches of one connection that held tells and that the socket has not handed to
 * the network in full yet, so that the tells a dead connection could not deliver can be
 * counted. A batch is recorded as the cumulative byte count at its end and the number of tells
 * in it; the socket's `writableLength` says how many of the bytes written are still waiting in
 * it, so every batch that ends before `written - writableLength` has left. Batches without tells
 * are not recorded, and recorded ones are forgotten as the socket drains: two number arrays,
 * reused, with no allocation per tell or per batch once they have grown.
 */
export class TellBatches {
  /** The cumulative byte count at the end of each recorded batch, oldest first from `head`. */
  private ends: number[] = [];
  /** The number of tells in each recorded batch. */
  private tells: number[] = [];
  private head = 0;
  /** The bytes written to the socket so far. */
  private written = 0;

  /**
   * A batch of `bytes` holding `tells` tells was written to the socket, which now holds
   * `waiting` bytes not yet handed to the network (its `writableLength`).
   */
  flushed(bytes: number, tells: number, waiting: number): void {
    this.written += bytes;
    if (tells > 0) {
      this.ends.push(this.written);
      this.tells.push(tells);
    }
    this.forget(waiting);
  }

  /**
   * The tells in the batches not handed to the network in full while the socket holds
   * `waiting` bytes; a batch that left in part counts whole (its tells may be lost).
   */
  undelivered(waiting: number): number {
    this.forget(waiting);
    let count = 0;
    for (let i = this.head; i < this.tells.length; i++) count += this.tells[i] as number;
    return count;
  }

  /** Forgets the batches that have left the socket. */
  private forget(waiting: number): void {
    const handed = this.written - waiting;
    const { ends } = this;
    while (this.head < ends.length && (ends[this.head] as number) <= handed) this.head++;
    if (this.head === ends.length) {
      ends.length = 0;
      this.tells.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= ends.length) {
      ends.splice(0, this.head);
      this.tells.splice(0, this.head);
      this.head = 0;
    }
  }
}
