import type { Outcome } from '@nact-rpc/core/internal';

const ignore = (): void => undefined;

/**
 * The `result` of a scheduled task: a promise settled once, by the first outcome given. A
 * rejection nobody awaits is not reported as unhandled (the work's own errors are logged
 * where it runs); whoever awaits `promise` still sees it.
 */
export class TaskResult<TResult> {
  readonly promise: Promise<TResult>;
  private resolve!: (value: TResult) => void;
  private reject!: (error: unknown) => void;
  private done = false;

  constructor() {
    this.promise = new Promise<TResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.then(undefined, ignore);
  }

  /** Whether an outcome was given. */
  get settled(): boolean {
    return this.done;
  }

  /** Settles the result with `outcome`, unless it is settled already. */
  readonly settle = (outcome: Outcome): void => {
    if (this.done) return;
    this.done = true;
    if (outcome.ok) this.resolve(outcome.value as TResult);
    else this.reject(outcome.error);
  };

  /** Rejects the result with `error`, unless it is settled already. */
  fail(error: unknown): void {
    this.settle({ ok: false, error });
  }
}
