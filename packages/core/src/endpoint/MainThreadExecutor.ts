import type { ScheduledTask } from '../service/ScheduledTask';

/**
 * Runs work in an endpoint's main thread: hand it to components that must touch the
 * endpoint's state from callbacks (timers, promises of other libraries). Work submitted after
 * the endpoint terminated never runs.
 */
export interface MainThreadExecutor {
  /** Runs `fn` in a later turn of the main thread. Errors it throws are logged. */
  execute(fn: () => unknown): void;
  /** Runs `fn` in the main thread after `delayMs` (at least). Throws an `RpcInvalidOptionError` for a negative delay. */
  schedule(fn: () => unknown, delayMs: number): ScheduledTask;
  /** Throws an `RpcInvalidStateError` unless called in a turn of the endpoint's main thread. */
  assertRunningInMainThread(): void;
}
