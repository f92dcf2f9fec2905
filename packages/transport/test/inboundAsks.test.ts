import { RecipientUnreachableError, RpcCancelledError } from '@nact-rpc/core';
import type { EncodedOutcome, Outcome, ReplySink } from '@nact-rpc/core/internal';
import { InboundAsks } from '../src/association/InboundAsks';

/** The answers each sink was given, in order. */
function recordingSinks(): {
  encoded: Array<[number, EncodedOutcome]>;
  plain: Array<[number, Outcome]>;
  asks: InboundAsks;
} {
  const encoded: Array<[number, EncodedOutcome]> = [];
  const plain: Array<[number, Outcome]> = [];
  const replies: ReplySink<EncodedOutcome> = {
    complete: (callId, outcome) => encoded.push([callId, outcome]),
    answerLimit: () => ({ maxFrameBytes: 1024, overheadBytes: 0, whose: "this service's" }),
  };
  const plainReplies: ReplySink = { complete: (callId, outcome) => plain.push([callId, outcome]) };
  return { encoded, plain, asks: new InboundAsks(replies, plainReplies) };
}

const answer: EncodedOutcome = { ok: true, value: new Uint8Array([1]) };

describe('InboundAsks: the asks a peer sent, until each gets its one answer', () => {
  test('an answered ask leaves the table; a second answer is not sent', () => {
    const { encoded, asks } = recordingSinks();
    const replyTo = asks.add(7);
    expect(asks.size).toBe(1);
    replyTo.sink.complete(7, answer);
    replyTo.sink.complete(7, answer);
    expect(asks.size).toBe(0);
    expect(encoded).toEqual([[7, answer]]);
  });

  test('an ask no endpoint takes is refused through the plain sink, and leaves the table', () => {
    const { encoded, plain, asks } = recordingSinks();
    const replyTo = asks.add(3);
    const error = new RecipientUnreachableError('no endpoint');
    replyTo.refuse(error);
    replyTo.sink.complete(3, answer);
    expect(asks.size).toBe(0);
    expect(plain).toEqual([[3, { ok: false, error }]]);
    expect(encoded).toEqual([]);
  });

  test('a cancelled ask is answered at once with RpcCancelledError, and its signal aborts', () => {
    const { encoded, plain, asks } = recordingSinks();
    const replyTo = asks.add(5);
    const signal = replyTo.abortSignal?.();
    asks.cancel(5);
    replyTo.sink.complete(5, answer);
    expect(asks.size).toBe(0);
    expect(signal?.aborted).toBe(true);
    expect(plain).toHaveLength(1);
    expect(plain[0]?.[1].ok === false && plain[0][1].error).toBeInstanceOf(RpcCancelledError);
    expect(encoded).toEqual([]);
  });

  test('a repeated id cancels the first ask; answering the first does not remove the second', () => {
    const { encoded, asks } = recordingSinks();
    const first = asks.add(9);
    const second = asks.add(9);
    first.sink.complete(9, answer);
    expect(asks.size).toBe(1);
    second.sink.complete(9, answer);
    expect(asks.size).toBe(0);
    expect(encoded).toEqual([[9, answer]]);
  });

  test('when the association ends, every ask is cancelled and none is answered', () => {
    const { encoded, plain, asks } = recordingSinks();
    const replies = [asks.add(1), asks.add(2)];
    asks.cancelAll('the connection was reset');
    for (const replyTo of replies) replyTo.sink.complete(replyTo.callId, answer);
    expect(asks.size).toBe(0);
    expect(encoded).toEqual([]);
    expect(plain).toEqual([]);
  });
});
