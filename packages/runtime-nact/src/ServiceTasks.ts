import type { Clock, Logger, ScheduledTask } from '@nact-rpc/core';
import { ScheduledTimers } from './ScheduledTimers';
import { validateDelay } from './validateDelay';

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
   * Runs `fn` after at least `delayMs`.
   * @throws RpcInvalidOptionError if `delayMs` is not a valid delay.
   */
  schedule(fn: () => unknown, delayMs: number): ScheduledTask {
    validateDelay('scheduleRunnable', delayMs);
    return this.timers.schedule(() => this.runLogged('scheduleRunnable', fn), delayMs);
  }

  /** Cancels everything that has not run yet. */
  cancelAll(): void {
    this.timers.cancelAll();
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.immediates.clear();
  }

  private runLogged(operation: string, fn: () => unknown): void {
    const report = (error: unknown): void =>
      this.logger.error(`Work given to ${operation} failed: ${String(error)}`, { error });
    try {
      const result = fn();
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }
}
