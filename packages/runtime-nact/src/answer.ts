import type { Outcome, ReplyTo } from '@nact-rpc/core/internal';

/** The answer of a control message or handshake that succeeded. Shared: it carries no data. */
export const ACK: Outcome = { ok: true, value: undefined };

/** Sends `outcome` to the caller waiting at `replyTo`; nothing for a message nobody waits for. */
export function answer(replyTo: ReplyTo | undefined, outcome: Outcome): void {
  replyTo?.sink.complete(replyTo.callId, outcome);
}
