import { RecipientUnreachableError } from '@nact-rpc/core';
import type { PendingCalls } from '@nact-rpc/core/internal';

/**
 * The asks sent on one association and not answered yet. An answer completes the caller's
 * pending call only if its call id is in flight here, so a peer cannot complete calls it was
 * never sent. When the association ends, every ask still here fails at once with
 * `RecipientUnreachableError`, never by its timeout.
 */
export class InFlightAsks {
  private readonly callIds = new Set<number>();

  constructor(private readonly pendingCalls: PendingCalls) {}

  /** Tracks ask `callId`, just sent. */
  add(callId: number): void {
    this.callIds.add(callId);
  }

  /**
   * Completes ask `callId` with the serialized answer that arrived for it. A property, so that
   * it can be handed to `readResponse` as it is.
   */
  readonly complete = (ok: boolean, callId: number, payload: Uint8Array): void => {
    if (this.callIds.delete(callId)) {
      this.pendingCalls.complete(callId, ok ? { ok, value: payload } : { ok, error: payload });
    }
  };

  /** Fails every ask still in flight: the connection to `peer` ended for `reason`. */
  failAll(peer: string, reason: string): void {
    const callIds = [...this.callIds];
    this.callIds.clear();
    for (const callId of callIds) {
      this.pendingCalls.fail(
        callId,
        new RecipientUnreachableError(
          `The connection to ${peer} was lost while the call was pending (${reason}). The call may or may not have run.`,
        ),
      );
    }
  }
}
