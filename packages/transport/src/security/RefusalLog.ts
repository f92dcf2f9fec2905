import { systemClock, type Clock, type ClockTimer, type Logger } from '@nact-rpc/core';

/**
 * Logs refused connections without letting a flood of them flood the log: each refusal is a
 * warning, up to `maxPerWindow` in a window of `windowMs`; past that they are counted, and the
 * count is logged once when the window ends.
 */
export class RefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;
  private timer: ClockTimer | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly maxPerWindow = 10,
    private readonly windowMs = 10_000,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Logs (or counts) one refusal, `line` saying whom and why. */
  refused(line: string): void {
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged < this.maxPerWindow) {
      this.logged++;
      this.logger.warn(line);
      return;
    }
    this.suppressed++;
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => this.flush(), Math.max(1, this.windowStart + this.windowMs - now));
      this.timer.unref();
    }
  }

  /** Logs the count of refusals not logged yet; called when the window ends and on close. */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    this.logger.warn(
      `${this.suppressed} more connection${this.suppressed === 1 ? ' was' : 's were'} refused in ` +
        `${this.windowMs / 1000} s (not logged one by one).`,
    );
    this.suppressed = 0;
  }
}
