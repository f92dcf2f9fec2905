/** A message counter that a sender can await: used by the one-way (tell / dispatch) scenarios. */

/** Counts messages and resolves waiters once the count reaches their target. */
export class Counter {
  private seen = 0;
  private waiter: { readonly target: number; readonly resolve: () => void } | undefined;

  /** The messages counted so far. */
  get count(): number {
    return this.seen;
  }

  /** Counts one message. */
  hit(): void {
    this.seen++;
    const waiter = this.waiter;
    if (waiter !== undefined && this.seen >= waiter.target) {
      this.waiter = undefined;
      waiter.resolve();
    }
  }

  /** Resolves once `target` messages have been counted (one waiter at a time). */
  reached(target: number): Promise<void> {
    if (this.seen >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { target, resolve };
    });
  }
}
