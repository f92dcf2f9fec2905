import { markHandled } from './OneShotReply';

/**
 * A future that exists as a promise only once somebody asks for it: a service may hold
 * thousands of endpoints whose termination nobody awaits. Settling before the promise exists
 * just records the outcome. Every promise handed out is marked handled: a failure it reports
 * is reported elsewhere too, so ignoring it must not crash the process.
 */
export class LazyFuture {
  private promise: Promise<void> | undefined;
  private resolvePromise: (() => void) | undefined;
  private rejectPromise: ((failure: unknown) => void) | undefined;
  private outcome: { readonly failure: unknown } | undefined;

  /** Whether the future has settled. */
  get settled(): boolean {
    return this.outcome !== undefined;
  }

  /** The future's promise. */
  get(): Promise<void> {
    if (this.promise === undefined) {
      if (this.outcome === undefined) {
        this.promise = new Promise<void>((resolve, reject) => {
          this.resolvePromise = resolve;
          this.rejectPromise = reject;
        });
      } else {
        // The failure is what onStop threw, passed on as it is (Flink's termination future does the same).
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        this.promise = this.outcome.failure === undefined ? Promise.resolve() : Promise.reject(this.outcome.failure);
      }
      markHandled(this.promise);
    }
    return this.promise;
  }

  /** Settles the future: resolves it, or rejects it with `failure` if that is not undefined. */
  settle(failure: unknown): void {
    if (this.outcome !== undefined) return;
    this.outcome = { failure };
    if (failure === undefined) this.resolvePromise?.();
    else this.rejectPromise?.(failure);
    this.resolvePromise = undefined;
    this.rejectPromise = undefined;
  }
}
