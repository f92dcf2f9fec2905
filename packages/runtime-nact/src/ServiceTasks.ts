import {
  RecipientUnreachableError,
  RpcCancelledError,
  type Clock,
  type Logger,
  type ScheduledTask,
} from '@nact-rpc/core';
import type { Outcome, RpcMessage } from '@nact-rpc/core/internal';
import { schedulePeriodic, type PeriodicMode, type SchedulingHost } from './scheduledWork';
import { TaskResult } from './TaskResult';
import { ScheduledTimers } from './ScheduledTimers';
import { validateDelay } from './validateDelay';
import { isPromiseLike } from './isPromiseLike';

/**
 * The work a service runs outside every endpoint's main thread (`execute`,
 * `scheduleRunnable`, and the periodic `scheduleAtFixedRate` and `scheduleWithFixedDelay`): an
 * error it throws (or a promise it returns rejects with) is logged, and whatever has not run
 * yet is cancelled when the service closes.
 */
export class ServiceTasks {
  private readonly timers: ScheduledTimers;
  private readonly immediates = new Set<NodeJS.Immediate>();
  private closed = false;
  /** Periodic work runs each time straight from its timer: no mailbox, no fencing. */
  private readonly host: SchedulingHost;

  /**
   * @param clock - Where scheduled work is timed.
   * @param serviceName - Names the service in messages.
   */
  constructor(
    private readonly logger: Logger,
    clock: Clock,
    serviceName: string,
  ) {
    this.timers = new ScheduledTimers(clock);
    this.host = {
      scheduleOwner: `service ${serviceName}`,
      clock,
      selfFence: () => (payload) => payload,
      post: (message) => this.runPosted(message),
      scheduledTimers: () => (this.closed ? undefined : this.timers),
    };
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

  /**
   * Runs `fn` after `initialDelayMs`, then again and again (see `MainThreadExecutor`'s methods
   * of the same names for `fixedRate` and `fixedDelay`), outside every main thread.
   * @throws RpcInvalidOptionError naming `operation` if a delay or the period is invalid.
   */
  schedulePeriodic(
    fn: () => unknown,
    initialDelayMs: number,
    periodMs: number,
    mode: PeriodicMode,
  ): ScheduledTask<never> {
    const operation = mode === 'fixedRate' ? 'scheduleAtFixedRate' : 'scheduleWithFixedDelay';
    return schedulePeriodic(this.host, fn, initialDelayMs, periodMs, mode, (payload) => payload, operation);
  }

  /** Cancels everything that has not run yet. */
  cancelAll(): void {
    this.closed = true;
    this.timers.cancelAll();
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.immediates.clear();
  }

  /** Runs the periodic work `message` carries now; `false` once the service has closed. */
  private runPosted(message: RpcMessage): boolean {
    if (this.closed) return false;
    if (message.kind === 'runAsync') this.runLogged('periodic work', message.fn, message.settled);
    return true;
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
