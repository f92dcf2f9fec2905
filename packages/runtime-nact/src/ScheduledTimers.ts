import { systemClock, type Clock, type ClockTimer, type ScheduledTask } from '@nact-rpc/core';

/**
 * The timers an owner (a service, an endpoint) has scheduled and not yet run, so that they
 * can all be cancelled when the owner closes.
 */
export class ScheduledTimers {
  private readonly timers = new Set<ClockTimer>();

  /** @param clock - Where the timers are set; default the system clock. */
  constructor(private readonly clock: Clock = systemClock) {}

  /** Runs `fn` after `delayMs` unless cancelled first. */
  schedule(fn: () => void, delayMs: number): ScheduledTask {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
    return {
      cancel: () => {
        if (!this.timers.delete(timer)) return false;
        this.clock.clearTimeout(timer);
        return true;
      },
    };
  }

  /** Cancels every timer that has not run yet. */
  cancelAll(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
  }
}
