/**
 * Runs the consumer checks a few at a time. Each check is a child process (jest, tsc, node,
 * esbuild, attw) that spends seconds mostly on one core; run one after another they would
 * take minutes. The suite starts them all as soon as what they need exists, and each test
 * awaits its own: the tests still pass or fail one by one, with their own output.
 */
export class CheckPool {
  private active = 0;
  private readonly waiting: ((cancelled: boolean) => void)[] = [];
  private cancelled = false;

  constructor(private readonly concurrency: number) {}

  /** Drops the checks still queued (they reject); for the end of the suite, before its files go. */
  cancel(): void {
    this.cancelled = true;
    for (const wake of this.waiting.splice(0)) wake(true);
  }

  /**
   * Queues `work` and returns its result. The returned promise is marked handled: a check
   * whose test has not awaited it yet must not count as an unhandled rejection; its test
   * reports it.
   */
  start<T>(work: () => Promise<T>): Promise<T> {
    const result = this.slot().then(async () => {
      try {
        return await work();
      } finally {
        this.active--;
        this.waiting.shift()?.(false);
      }
    });
    result.catch(() => {});
    return result;
  }

  private slot(): Promise<void> {
    if (this.cancelled) return Promise.reject(new Error('not run: the suite ended first'));
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push((cancelled) => {
        if (cancelled) return reject(new Error('not run: the suite ended first'));
        this.active++;
        resolve();
      });
    });
  }
}
