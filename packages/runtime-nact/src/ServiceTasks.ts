import {
  RecipientUnreachableError,
  RpcCancelledError,
  type Clock,
  type Logger,
  type ScheduledTask,
} from '@nact-rpc/core';
import type { Outcome } from '@nact-rpc/core/internal';
import { TaskResult } from './TaskResult';
import { ScheduledTimers } from './ScheduledTimers';
import { validateDelay } from './validateDelay';
import { isPromiseLike } from './isPromiseLike';

/**
 * The work a service runs outside every endpoint's main thread (`execute`,
 * `scheduleRunnable`): each function runs once, an error it throws (or a promise it returns
 * rejects with) is logged, and whatever has not run yet is cancelled when the service closes.
 */
export class ServiceTasks {
  private readonly timers: ScheduledTimers;
  private readonly immediates = new Set<NodeJS.Immediate>();

  /** @param clock - Where scheduled work is timed. */
  constructor(
    private readonly logger: Logger,
    clock: Clock,
  ) {
    this.timers = new ScheduledTimers(clock);
  }

  /** Runs `fn` in a later macrotask. */
  execute(fn: () => unknown): void {
    const immediate = setImmediate(() => {
      this.immediates.delete(immediate);
      this.runLogged('execute', fn);
    });
    this.immediates.add(immediate);
  }

  /**
   * Runs `fn` after at least `delayMs`; the task's `result` gives what it returned.
   * @throws RpcInvalidOptionError if `delayMs` is not a valid delay.
   */
  schedule<TResult>(fn: () => TResult | PromiseLike<TResult>, delayMs: number): ScheduledTask<TResult> {
    validateDelay('scheduleRunnable', delayMs);
    const result = new TaskResult<TResult>();
    const timer = this.timers.schedule(
      () => this.runLogged('scheduleRunnable', fn, result.settle),
      delayMs,
      () =>
        result.fail(new RecipientUnreachableError('Could not run scheduled work: the service closed before it ran.')),
    );
    return {
      cancel: () => {
        if (!timer.cancel()) return false;
        result.fail(new RpcCancelledError('Work given to scheduleRunnable was cancelled.'));
        return true;
      },
      result: result.promise,
    };
  }

  /** Cancels everything that has not run yet. */
  cancelAll(): void {
    this.timers.cancelAll();
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.immediates.clear();
  }

  /** Runs `fn`, logging an error it throws or rejects with; `settled` is told how it ended. */
  private runLogged(operation: string, fn: () => unknown, settled?: (outcome: Outcome) => void): void {
    const report = (error: unknown): void => {
      this.logger.error(`Work given to ${operation} failed: ${String(error)}`, { error });
      settled?.({ ok: false, error });
    };
    try {
      const result = fn();
      if (isPromiseLike(result)) result.then((value) => settled?.({ ok: true, value }), report);
      else settled?.({ ok: true, value: result });
    } catch (error) {
      report(error);
    }
  }
}
