import type { ScheduledTask } from '../service/ScheduledTask';

/**
 * Runs work in an endpoint's main thread: hand it to components that must touch the
 * endpoint's state from callbacks (timers, promises of other libraries). Work submitted after
 * the endpoint terminated never runs.
 */
export interface MainThreadExecutor {
  /** Runs `fn` in a later turn of the main thread. Errors it throws are logged. */
  execute(fn: () => unknown): void;
  /**
   * Runs `fn` in the main thread after `delayMs` (at least); the task's `result` gives what
   * it returned. Throws an `RpcInvalidOptionError` for an invalid delay.
   */
  schedule<TResult>(fn: () => TResult | PromiseLike<TResult>, delayMs: number): ScheduledTask<TResult>;
  /**
   * Runs `fn` in the main thread after `initialDelayMs`, then every `periodMs` counted from
   * the first run's time (`initialDelayMs + n × periodMs`), as Java's `scheduleAtFixedRate`:
   * runs never overlap (a run that returns a promise is awaited), and a run that ends late
   * makes the next start at once. A run that throws (or rejects) stops the schedule; its error
   * is logged and rejects the task's `result`. Throws an `RpcInvalidOptionError` for an
   * invalid delay or a period that is not positive.
   */
  scheduleAtFixedRate(fn: () => unknown, initialDelayMs: number, periodMs: number): ScheduledTask<never>;
  /**
   * Runs `fn` in the main thread after `initialDelayMs`, then again `delayMs` after each run
   * ends (a run that returns a promise ends when it settles), as Java's
   * `scheduleWithFixedDelay`. A run that throws (or rejects) stops the schedule, as for
   * {@link MainThreadExecutor.scheduleAtFixedRate}.
   */
  scheduleWithFixedDelay(fn: () => unknown, initialDelayMs: number, delayMs: number): ScheduledTask<never>;
  /** Throws an `RpcInvalidStateError` unless called in a turn of the endpoint's main thread. */
  assertRunningInMainThread(): void;
}
