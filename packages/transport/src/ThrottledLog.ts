import { systemClock, type Clock, type ClockTimer, type Logger } from '@nact-rpc/core';

/**
 * Logs lines that peers can cause as often as they like (a refused connection, a tell to an
 * endpoint this service does not have) without letting a flood of them flood the log: each
 * line is logged as it comes (a warning, unless said otherwise), up to `maxPerWindow` in a
 * window of `windowMs`; past that they are counted, and one warning made by `summary` gives the
 * count when the window ends.
 */
export class ThrottledLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;
  private timer: ClockTimer | undefined;

  /**
   * @param logger - Where the lines go.
   * @param summary - The line that says how many lines were left out in a window of
   *   `windowMs` (at least one).
   * @param maxPerWindow - The lines logged one by one per window (default 10).
   * @param windowMs - The window, in ms (default 10,000).
   * @param clock - Reads the time and runs the window's timer, which keeps no process alive.
   */
  constructor(
    private readonly logger: Logger,
    private readonly summary: (count: number, windowMs: number) => string,
    private readonly maxPerWindow = 10,
    private readonly windowMs = 10_000,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Logs `line` at `level` (with `details`), or counts it if the window has had its lines. */
  write(line: string, level: 'info' | 'warn' = 'warn', details?: Record<string, unknown>): void {
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged < this.maxPerWindow) {
      this.logged++;
      if (details === undefined) this.logger[level](line);
      else this.logger[level](line, details);
      return;
    }
    this.suppressed++;
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => this.flush(), Math.max(1, this.windowStart + this.windowMs - now));
      this.timer.unref();
    }
  }

  /** Logs the count of the lines left out so far, if any, and stops the timer: called when the window ends, and on close. */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    this.logger.warn(this.summary(this.suppressed, this.windowMs));
    this.suppressed = 0;
  }
}
