/**
 * Values pushed one by one, and taken in the same order: `next()` waits for the next one. An
 * endpoint, a stub or a plain actor pushes what it receives; the test awaits it.
 *
 * @example
 * ```ts
 * const heartbeats = new Inbox<string>();
 * const stub = new StubGateway(MonitorProtocol, { heartbeat: (workerId) => heartbeats.push(workerId) });
 * expect(await heartbeats.next()).toBe('worker-1');
 * ```
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  /** Hands `item` to the oldest waiting `next()`, or keeps it for the next one. */
  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  /** The oldest item not handed out yet, or the next one pushed. */
  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
