import {
  type AnswerLimit,
  type EncodedOutcome,
  type Outcome,
  type ReplySink,
  encodeError,
  encodeSizeError,
  exceedsMaxFrameSize,
  sendsErrorStacks,
} from '@nact-rpc/core/internal';
import type { FrameWriter } from '../framing/FrameWriter';
import type { TransportHost } from '../TransportHost';
import { encodeResponseHeader, responseFrameBytes } from '../wire/wireFormat';
import type { AssociationState } from './Association';
import type { ConnectedPeer } from './ConnectedPeer';

// One header of each kind for every answer: the writer stamps the call id into its copy.
const RESPONSE_OK_HEADER = encodeResponseHeader(true, 0);
const RESPONSE_ERROR_HEADER = encodeResponseHeader(false, 0);
const EMPTY = new Uint8Array(0);

/** What {@link AssociationReplies} reads of the association it answers on. */
export interface AnsweringAssociation {
  getState(): AssociationState;
  describePeer(): string;
  readonly peer: Pick<ConnectedPeer, 'maxFrameSize' | 'isLoopback'>;
}

/**
 * The answers an association carries back to its peer, as two reply sinks: one for results
 * the endpoint already serialized, one for plain values (handshakes) that are serialized
 * here. An answer is dropped, without being encoded, once the association has ended; one
 * larger than the peer accepts is replaced by an `RpcSerializationError`, so that the caller
 * learns why instead of waiting for its timeout.
 */
export class AssociationReplies {
  /** Where answers to requests whose results the endpoint already encoded go. */
  readonly encoded: ReplySink<EncodedOutcome> = {
    complete: (callId, outcome) => {
      if (this.canAnswer(callId)) this.respond(callId, outcome);
    },
    // A peer cut for not reading (or gone) gets no answer: the endpoint need not encode one.
    ended: () => this.association.getState() !== 'open',
    // The endpoint checks the answer's size, so that a refusal names the method.
    answerLimit: () => this.answerLimit(),
  };
  /** Where plain answers (handshakes) go; they are encoded here. */
  readonly plain: ReplySink = {
    complete: (callId, outcome) => {
      if (this.canAnswer(callId)) this.respond(callId, this.encode(outcome));
    },
  };

  constructor(
    private readonly association: AnsweringAssociation,
    private readonly writer: FrameWriter,
    private readonly host: TransportHost,
    /** This side's own maximum frame size. */
    private readonly maxFrameSize: number,
  ) {}

  /** {@link answerLimit} once the association is open. */
  private openLimit: AnswerLimit | undefined;

  /** Serializes a plain answer: the value, or the error as an envelope (with stacks if the host sends them to this peer). */
  private encode(outcome: Outcome): EncodedOutcome {
    const { codec } = this.host;
    if (outcome.ok) return { ok: true, value: codec.encode(outcome.value) };
    const stacks = sendsErrorStacks(this.host.remoteErrorStacks ?? 'loopback', this.association.peer.isLoopback());
    return { ok: false, error: encodeError(codec, outcome.error, stacks) };
  }

  /** Whether the answer to call `callId` can still be sent; if not, it is dropped (and not encoded). */
  private canAnswer(callId: number): boolean {
    if (this.association.getState() === 'open') return true;
    this.host.logger.debug(
      `Dropped the answer to call ${callId}: the connection with ${this.association.describePeer()} has ended.`,
    );
    return false;
  }

  /** The largest response frame the peer takes (never more than this side's own maximum), and whose limit it is. */
  private answerLimit(): AnswerLimit {
    if (this.openLimit !== undefined) return this.openLimit;
    const maxFrameBytes = this.association.peer.maxFrameSize();
    const whose = maxFrameBytes < this.maxFrameSize ? "the caller's" : "this service's";
    const limit = { maxFrameBytes, overheadBytes: responseFrameBytes(EMPTY), whose };
    // Once open, the peer's maximum is known and fixed: one limit serves every answer.
    if (this.association.getState() === 'open') this.openLimit = limit;
    return limit;
  }

  /**
   * Sends a serialized answer. Its size was checked by the endpoint against {@link answerLimit};
   * one over it all the same (a handshake's answer) goes as an `RpcSerializationError`.
   */
  private respond(callId: number, outcome: EncodedOutcome): void {
    let ok = outcome.ok;
    let payload = outcome.ok ? outcome.value : outcome.error;
    const size = responseFrameBytes(payload);
    const limit = this.answerLimit();
    if (exceedsMaxFrameSize(size, limit.maxFrameBytes)) {
      ok = false;
      payload = encodeSizeError(this.host.codec, `The answer to call ${callId} is ${size} bytes`, limit);
    }
    this.writer.writeCall(ok ? RESPONSE_OK_HEADER : RESPONSE_ERROR_HEADER, callId, payload);
  }
}
