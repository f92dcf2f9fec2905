import { RecipientUnreachableError, RpcConnectionError } from '@nact-rpc/core';

/**
 * Why a peer is unreachable, since when: set by a failed connection attempt or by a connection
 * lost without a goodbye (a heartbeat verdict, a reset), cleared by a connection that opens.
 * While it is set, calls to the peer fail at once with `RecipientUnreachableError` (its cause
 * the connection error), instead of waiting for an attempt that would likely fail too: a
 * caller cannot be helped by waiting, and the caller's retry logic decides what to do. "At
 * once" is in the same turn of the event loop, after its I/O: a caller retrying in a loop lets
 * the event loop turn between two failures (see `Peer`). Each
 * such call lets the peer try again in the background, at most one attempt at a time and no
 * sooner than the reconnect backoff allows.
 */
export class PeerUnreachable {
  constructor(
    /** What went wrong: the connection error, or why the connection was lost. */
    readonly cause: RpcConnectionError,
    /** When it went wrong, on the service's clock. */
    readonly since: number,
  ) {}

  /** The record of a connection lost for `reason` (not a clean close) at `now`. */
  static lost(peer: string, reason: string, now: number): PeerUnreachable {
    return new PeerUnreachable(new RpcConnectionError(`The connection to ${peer} was lost: ${reason}`), now);
  }

  /**
   * The error a call to `target` fails with at `now`: it says since when the peer is
   * unreachable and when the next attempt is (`nextAttemptIn` ms; 0 while one runs).
   */
  errorFor(target: string, peer: string, now: number, nextAttemptIn: number): { error: Error; reason: string } {
    const next =
      nextAttemptIn > 0 ? `the next attempt to connect is in ${nextAttemptIn} ms` : 'an attempt to connect runs';
    const reason =
      `${peer} is unreachable (${this.cause.message}, ${Math.max(0, now - this.since)} ms ago); ` +
      `calls to it fail at once until a connection opens, and ${next}.`;
    return { error: new RecipientUnreachableError(`Cannot send ${target}: ${reason}`, { cause: this.cause }), reason };
  }

  /** The error the calls that waited for a failed attempt fail with. */
  static attemptFailed(target: string, cause: Error): Error {
    return new RecipientUnreachableError(`Cannot send ${target}: ${cause.message}`, { cause });
  }
}
