/**
 * A timer made by a {@link Clock}. Node's own `Timeout` is one: `ref`/`unref` say whether the
 * timer keeps the process alive. A virtual clock's timers never keep anything alive and ignore
 * both.
 */
export interface ClockTimer {
  /** The timer keeps the process alive until it fires (the default). */
  ref(): unknown;
  /** The timer does not keep the process alive. */
  unref(): unknown;
}

/**
 * Where a service, its endpoints and its transport read the time and set their timers: ask and
 * `callAsync` timeouts, scheduled runs, heartbeats, reconnect backoff, connect and opening
 * deadlines. The default, {@link systemClock}, is the process's own time. A test gives a
 * virtual clock (`VirtualClock` of `@nact-rpc/testing`) to drive that time itself.
 *
 * The time a turn of the event loop may spend delivering messages is not read from the clock:
 * it is the processor's time, whatever the clock says.
 */
export interface Clock {
  /** The time now in milliseconds, on the scale of `Date.now()`. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now (at least 0). */
  setTimeout(callback: () => void, delayMs: number): ClockTimer;
  /** Calls `callback` every `intervalMs` (at least 1) until the timer is cleared. */
  setInterval(callback: () => void, intervalMs: number): ClockTimer;
  /** Stops a timer of this clock, one-shot or repeating; nothing happens if it is `undefined` or done. */
  clearTimeout(timer: ClockTimer | undefined): void;
}

/**
 * The process's own time: `Date.now()` and Node's timers. It looks the globals up at each call,
 * so a test's fake timers (jest's, or sinon's) drive it too.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};
