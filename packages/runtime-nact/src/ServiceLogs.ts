import type { Clock, Logger } from '@nact-rpc/core';
import { ThrottledLog } from '@nact-rpc/transport/internal';

/** `count` and `noun`, with an `s` unless the count is one. */
const counted = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The service's logs of what peers (or a loop of its own) can cause as often as they like, each
 * a {@link ThrottledLog}: ten lines per ten seconds, the rest at `debug` and counted in one line.
 * The service flushes them when it closes.
 */
export class ServiceLogs {
  /**
   * Tells (and `runAsync` work) the endpoints drop: an endpoint not started or terminated, a
   * method it does not have, arguments that do not decode, a stale fencing token.
   */
  readonly droppedMessages: ThrottledLog;
  /** Tells whose methods threw (logged at `error`). */
  readonly failedTells: ThrottledLog;
  /** Tells from peers for endpoints the service does not have. */
  readonly droppedTells: ThrottledLog;
  /** Malformed handshakes from peers, refused. */
  readonly malformedHandshakes: ThrottledLog;

  constructor(logger: Logger, clock: Clock, serviceName: string) {
    this.droppedMessages = new ThrottledLog(logger, (count) => `Dropped ${counted(count, 'more message')}`, clock);
    this.failedTells = new ThrottledLog(logger, (count) => `${counted(count, 'more tell')} failed`, clock);
    this.droppedTells = new ThrottledLog(
      logger,
      (count) => `Dropped ${counted(count, 'more tell')} from peers to endpoints service ${serviceName} does not have`,
      clock,
    );
    this.malformedHandshakes = new ThrottledLog(
      logger,
      (count) => `Refused ${counted(count, 'more malformed handshake')}`,
      clock,
    );
  }

  /** Logs the counts of the lines left out, if any: the service is closing. */
  flush(): void {
    this.droppedMessages.flush();
    this.failedTells.flush();
    this.droppedTells.flush();
    this.malformedHandshakes.flush();
  }
}
