import { RpcCancelledError, RecipientUnreachableError } from '@nact-rpc/core';
import {
  IntMap,
  keepHiddenClass,
  ServedSignal,
  type AnswerLimit,
  type EncodedOutcome,
  type ReplySink,
  type ReplyTo,
} from '@nact-rpc/core/internal';

/** The reply address of an ask a peer sent: answered by its endpoint, or refused before any takes it. */
export interface InboundAskReplyTo extends ReplyTo<EncodedOutcome> {
  /**
   * Answers the ask with `error` when no endpoint takes it (none has its id, or its mailbox is
   * closed): its one answer, and it leaves the table of asks waiting.
   */
  refuse(error: Error): void;
}

/**
 * One ask the peer sent on this association, until it is answered or the peer gives up on it.
 * It is its own reply address and its own reply sink, so that answering it looks nothing up.
 */
class InboundAsk implements InboundAskReplyTo, ReplySink<EncodedOutcome> {
  /** Whether the peer no longer waits: answered, cancelled, or its connection ended. */
  done = false;
  /** The serving method's signal, made when it is read, or when the peer gives up on the ask. */
  private served: ServedSignal | undefined;

  constructor(
    private readonly owner: InboundAsks,
    readonly callId: number,
  ) {}

  get sink(): ReplySink<EncodedOutcome> {
    return this;
  }

  /** Sends the answer (of this ask: the call id is its own), once, unless the peer gave up on it. */
  complete(_callId: number, outcome: EncodedOutcome): void {
    if (this.done) return;
    this.done = true;
    this.owner.answered(this, outcome);
  }

  refuse(error: Error): void {
    if (this.done) return;
    this.done = true;
    this.owner.refused(this, error);
  }

  ended(): boolean {
    return this.owner.replies.ended?.() ?? false;
  }

  answerLimit(): AnswerLimit {
    return (this.owner.replies.answerLimit as () => AnswerLimit)();
  }

  /** @see ReplyTo.abortSignal */
  abortSignal(): AbortSignal {
    return (this.served ??= new ServedSignal()).signal();
  }

  /** The peer gave up on the ask: it is not started if it waits, and its signal aborts if it runs. */
  cancel(reason: Error): void {
    if (this.done) return;
    this.done = true;
    (this.served ??= new ServedSignal()).abort(reason);
  }
}

/**
 * The asks a peer sent on one association that are not answered yet, by call id, so that the
 * peer can cancel them (a Cancel frame: it timed out, or its signal aborted): a cancelled ask
 * still in its endpoint's mailbox is skipped there, and a running one sees its signal abort.
 * When the association ends, every one of them is cancelled: nobody can receive its answer.
 * An entry lives from the request to its answer; the asks a peer can have waiting are bounded
 * by the inbound backlog, and an answer or a cancel removes the entry.
 */
export class InboundAsks {
  /** An `IntMap`, not a `Map`, for what a `Map` with an entry per call costs the collector. */
  private readonly asks = new IntMap<InboundAsk>();

  /**
   * @param replies - Where answers the endpoint serialized go; it must have an `answerLimit`.
   * @param plainReplies - Where the answer to a cancelled ask goes: the caller keeps the ask's id
   *   until an answer comes, so a cancelled ask is answered at once, with `RpcCancelledError`.
   */
  constructor(
    readonly replies: ReplySink<EncodedOutcome>,
    private readonly plainReplies: ReplySink,
  ) {}

  /** The number of asks not answered yet. */
  get size(): number {
    return this.asks.size;
  }

  /** The reply address of ask `callId`, just received; it stays here until answered or cancelled. */
  add(callId: number): InboundAskReplyTo {
    const ask = new InboundAsk(this, callId);
    this.asks.get(callId)?.cancel(duplicate(callId));
    this.asks.set(callId, ask);
    return ask;
  }

  /** `ask` is answered with `outcome`: it leaves the table, and the answer goes to the peer. */
  answered(ask: InboundAsk, outcome: EncodedOutcome): void {
    this.remove(ask);
    this.replies.complete(ask.callId, outcome);
  }

  /** `ask` is refused with `error` before an endpoint took it: it leaves the table, and the error goes to the peer. */
  refused(ask: InboundAsk, error: Error): void {
    this.remove(ask);
    this.plainReplies.complete(ask.callId, { ok: false, error });
  }

  /** Removes `ask`, unless a later ask of the same id took its place. */
  private remove(ask: InboundAsk): void {
    if (this.asks.get(ask.callId) === ask) this.asks.delete(ask.callId);
  }

  /**
   * The peer cancelled ask `callId`: it is answered at once with `RpcCancelledError`, the one
   * answer it gets, so that the peer can use its id again. An id it never sent, or one already
   * answered (the answer crossed the Cancel), is ignored.
   */
  cancel(callId: number): void {
    const ask = this.asks.get(callId);
    if (ask === undefined) return;
    this.asks.delete(callId);
    const error = new RpcCancelledError(`The caller cancelled call ${callId}.`);
    ask.cancel(error);
    this.plainReplies.complete(callId, { ok: false, error });
  }

  /** The association ended for `reason`: every ask is cancelled, since none can be answered. */
  cancelAll(reason: string): void {
    const asks = this.asks.values();
    this.asks.clear();
    for (const ask of asks) {
      ask.cancel(new RecipientUnreachableError(`The connection of call ${ask.callId} ended: ${reason}.`));
    }
  }
}

function duplicate(callId: number): RpcCancelledError {
  return new RpcCancelledError(`The peer sent call id ${callId} again before it was answered.`);
}

/** The sinks of the table kept below: its ask is never answered. */
const NO_REPLIES = { complete: (): void => undefined };

// An ask lives until its answer: one kept for good keeps their hidden class (see `keepHiddenClass`).
keepHiddenClass(new InboundAsks(NO_REPLIES, NO_REPLIES).add(0));
