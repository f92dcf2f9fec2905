import type { Clock, Logger } from '@nact-rpc/core';
import { moreWere, ThrottledLog } from '../ThrottledLog';

/**
 * Logs the protocol errors of open associations (a malformed frame, a frame out of place, one
 * not complete in time) without letting a peer that makes many of them flood the log (a
 * {@link ThrottledLog}): each is an error line, up to ten per ten seconds; past that they are
 * counted, and one error line gives the count when the window ends.
 */
export class ProtocolErrorLog extends ThrottledLog {
  constructor(logger: Logger, clock?: Clock) {
    super(logger, (count) => moreWere(count, 'connection', 'closed for protocol errors'), clock);
  }

  /** Logs (or counts) one protocol error, `line` naming the peer and what was wrong. */
  closed(line: string): void {
    this.write(line, 'error');
  }
}
