import { RecipientUnreachableError } from '@nact-rpc/core';
import { IntMap, type CallCarrier, type PendingCalls } from '@nact-rpc/core/internal';

/**
 * The asks sent on one association and not answered yet. An answer completes the caller's
 * pending call only if its call id is in flight here, so a peer cannot complete calls it was
 * never sent. When the association ends, every ask still here fails at once with
 * `RecipientUnreachableError`, never by its timeout.
 *
 * An ask that ends otherwise (it times out) is told to this set by the pending-call table,
 * which holds this set as the call's carrier: no closure and no allocation per call. It leaves
 * the in-flight set at once; its id is kept as _abandoned_ (and reserved in the table, so that
 * it is not reused) until the peer's late answer arrives, which is then dropped, or the
 * association ends. The abandoned ids are those the peer still owes an answer for.
 */
export class InFlightAsks implements CallCarrier {
  /** The ids in flight (an `IntMap`, not a `Set`: see `IntMap` on what a `Set` costs the collector). */
  private readonly callIds = new IntMap<true>();
  private readonly abandoned = new Set<number>();

  /**
   * @param pendingCalls - The service's table of pending asks.
   * @param firstAsk - Called when an ask is added to an empty set: asks wait on the association.
   * @param abandoned - Called when an ask in flight here is given up on (timed out, cancelled):
   *   tells the peer.
   */
  constructor(
    private readonly pendingCalls: PendingCalls,
    private readonly firstAsk?: () => void,
    private readonly onAbandoned?: (callId: number) => void,
  ) {}

  /** The number of asks in flight. */
  get size(): number {
    return this.callIds.size;
  }

  /** The number of asks that ended unanswered and whose late answer the peer may still send. */
  get abandonedCount(): number {
    return this.abandoned.size;
  }

  /**
   * Tracks ask `callId`, about to be sent.
   * @returns Whether it is still pending; if not, it must not be sent.
   */
  add(callId: number): boolean {
    if (!this.pendingCalls.carry(callId, this)) return false;
    this.callIds.set(callId, true);
    if (this.callIds.size === 1) this.firstAsk?.();
    return true;
  }

  /**
   * Completes ask `callId` with the serialized answer that arrived for it. A property, so that
   * it can be handed to `readResponse` as it is.
   */
  readonly complete = (ok: boolean, callId: number, payload: Uint8Array): void => {
    if (this.callIds.delete(callId)) {
      this.pendingCalls.complete(callId, ok ? { ok, value: payload } : { ok, error: payload }, this);
    } else if (this.abandoned.delete(callId)) {
      // The late answer of an ask that timed out: nobody waits for it, and its id is free again.
      this.pendingCalls.release(callId);
    }
  };

  /** Ask `callId` ended without its answer (see `CallCarrier`). */
  abandon(callId: number): void {
    if (this.callIds.delete(callId)) {
      this.abandoned.add(callId);
      this.onAbandoned?.(callId);
    } else {
      this.pendingCalls.release(callId);
    }
  }

  /** Fails every ask still in flight: the connection to `peer` ended for `reason`. */
  failAll(peer: string, reason: string): void {
    const callIds = this.callIds.keys();
    this.callIds.clear();
    for (const callId of callIds) {
      this.pendingCalls.fail(
        callId,
        new RecipientUnreachableError(
          `The connection to ${peer} was lost while the call was pending (${reason}). The call may or may not have run.`,
        ),
        this,
      );
    }
    // The peer can no longer answer on this connection: the ids it owed are free again.
    for (const callId of this.abandoned) this.pendingCalls.release(callId);
    this.abandoned.clear();
  }
}
