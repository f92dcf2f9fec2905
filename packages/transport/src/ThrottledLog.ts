import { systemClock, type Clock, type ClockTimer, type Logger } from '@nact-rpc/core';

/** The levels a {@link ThrottledLog} writes at, least severe first. */
const LEVELS = ['info', 'warn', 'error'] as const;

/** A level a {@link ThrottledLog} writes at. */
export type ThrottledLevel = (typeof LEVELS)[number];

/**
 * A summary's count of things that happened, for a {@link ThrottledLog}'s `counted`:
 * `1 more connection was refused`, `3 more connections were refused`.
 */
export function moreWere(count: number, noun: string, happened: string): string {
  return `${count} more ${noun}${count === 1 ? ' was' : 's were'} ${happened}`;
}

/**
 * Logs lines that peers can cause as often as they like (a refused connection, a tell to an
 * endpoint this service does not have) without letting a flood of them flood the log: each
 * line is logged as it comes (a warning, unless said otherwise), up to `maxPerWindow` in a
 * window of `windowMs`; past that they go to `debug` and are counted, and one line gives the
 * count when the window ends ("`<what the count is of>` in 10 s (not logged one by one)."), at
 * the most severe level of the lines it counts. A logger that keeps `debug` lines still sees
 * every line.
 */
export class ThrottledLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;
  /** The most severe level among the lines counted since the last summary. */
  private suppressedLevel: ThrottledLevel = 'info';
  private timer: ClockTimer | undefined;

  /**
   * @param logger - Where the lines go.
   * @param counted - What the summary's count is of, e.g. `3 more connections were refused`
   *   (`count` is at least one).
   * @param clock - Reads the time and runs the window's timer, which keeps no process alive.
   * @param maxPerWindow - The lines logged one by one per window (default 10).
   * @param windowMs - The window, in ms (default 10,000).
   */
  constructor(
    private readonly logger: Logger,
    private readonly counted: (count: number) => string,
    private readonly clock: Clock = systemClock,
    private readonly maxPerWindow = 10,
    private readonly windowMs = 10_000,
  ) {}

  /** Logs `line` at `level` (with `details`), or at `debug` and counts it if the window has had its lines. */
  write(line: string, level: ThrottledLevel = 'warn', details?: Record<string, unknown>): void {
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
    this.logger.debug(line, details);
    if (LEVELS.indexOf(level) > LEVELS.indexOf(this.suppressedLevel)) this.suppressedLevel = level;
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
    this.logger[this.suppressedLevel](
      `${this.counted(this.suppressed)} in ${this.windowMs / 1000} s (not logged one by one).`,
    );
    this.suppressed = 0;
    this.suppressedLevel = 'info';
  }
}
