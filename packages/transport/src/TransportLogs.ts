import type { Clock, Logger } from '@nact-rpc/core';
import { ProtocolErrorLog } from './association/ProtocolErrorLog';
import { RefusalLog } from './security/RefusalLog';
import { TellLosses } from './TellLosses';

/**
 * The transport's logs of what peers (or a lost connection) can cause as often as they like:
 * connections refused, connections closed for protocol errors, and tells that could not be
 * delivered. Each is logged without a flood, and the transport flushes all three when it closes.
 */
export class TransportLogs {
  /** Connections refused before they opened (see {@link RefusalLog}). */
  readonly refusals: RefusalLog;
  /** Open connections closed for protocol errors (see {@link ProtocolErrorLog}). */
  readonly protocolErrors: ProtocolErrorLog;
  /** The tells the transport could not deliver: counted, and logged in summaries. */
  readonly tellLosses: TellLosses;

  constructor(logger: Logger, clock: Clock) {
    this.refusals = new RefusalLog(logger, clock);
    this.protocolErrors = new ProtocolErrorLog(logger, clock);
    this.tellLosses = new TellLosses(logger, undefined, clock);
  }

  /** Logs what the three logs hold back, if anything: the transport is closing. */
  flush(): void {
    this.tellLosses.flush();
    this.refusals.flush();
    this.protocolErrors.flush();
  }
}
