import { systemClock, type Clock, type ClockTimer } from '@nact-rpc/core';

/** A timer of a {@link ScheduledTimers}. */
export interface TimerHandle {
  /** Stops the timer; `false` if it had fired or been stopped already. */
  cancel(): boolean;
}

interface PendingTimer {
  timer: ClockTimer | undefined;
  /** Told when the owner closes before the timer fired. */
  readonly abandoned: (() => void) | undefined;
}

/**
 * The timers an owner (a service, an endpoint) has scheduled and not yet run, so that they
 * can all be cancelled when the owner closes; each timer's `abandoned` callback is told so.
 */
export class ScheduledTimers {
  private readonly timers = new Set<PendingTimer>();

  /** @param clock - Where the timers are set; default the system clock. */
  constructor(private readonly clock: Clock = systemClock) {}

  /**
   * Runs `fn` after `delayMs` unless cancelled first; `abandoned` is called instead if the
   * owner closes first ({@link cancelAll}).
   */
  schedule(fn: () => void, delayMs: number, abandoned?: () => void): TimerHandle {
    const pending: PendingTimer = { timer: undefined, abandoned };
    pending.timer = this.clock.setTimeout(() => {
      this.timers.delete(pending);
      fn();
    }, delayMs);
    this.timers.add(pending);
    return {
      cancel: () => {
        if (!this.timers.delete(pending)) return false;
        this.clock.clearTimeout(pending.timer);
        return true;
      },
    };
  }

  /** Cancels every timer that has not run yet, telling each that it was abandoned. */
  cancelAll(): void {
    const pending = [...this.timers];
    this.timers.clear();
    for (const { timer } of pending) this.clock.clearTimeout(timer);
    for (const { abandoned } of pending) abandoned?.();
  }
}
