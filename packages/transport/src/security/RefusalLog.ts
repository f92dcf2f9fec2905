import type { Clock, Logger } from '@nact-rpc/core';
import { moreWere, ThrottledLog } from '../ThrottledLog';

/**
 * Logs refused connections without letting a flood of them flood the log (a
 * {@link ThrottledLog}): each refusal is a warning, up to `maxPerWindow` in a window of
 * `windowMs`; past that they are counted, and the count is logged once when the window ends.
 */
export class RefusalLog extends ThrottledLog {
  constructor(logger: Logger, clock?: Clock, maxPerWindow?: number, windowMs?: number) {
    super(logger, (count) => moreWere(count, 'connection', 'refused'), clock, maxPerWindow, windowMs);
  }

  /** Logs (or counts) one refusal, `line` saying whom and why. */
  refused(line: string): void {
    this.write(line);
  }
}
