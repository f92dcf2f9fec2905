import { TypedCodec } from '@nact-rpc/core';
import type { EncodedOutcome, ReplySink, SerializedInvocationMessage } from '@nact-rpc/core/internal';
import type { ActorScope } from '../src/ActorScope';
import { answerInvocation } from '../src/answerInvocation';

/** A scope whose codec counts what it encodes. */
function scopeCountingEncodes(): { scope: ActorScope; encodes: () => number } {
  const codec = new TypedCodec();
  const encode = jest.spyOn(codec, 'encode');
  const localAnswerLimit = { maxFrameBytes: 1 << 20, overheadBytes: 0, whose: "this service's" };
  const scope = { context: { codec, localAnswerLimit }, describe: () => 'endpoint e' } as unknown as ActorScope;
  return { scope, encodes: () => encode.mock.calls.length };
}

/** A serialized ask whose answer goes to `sink`. */
function askTo(sink: ReplySink<EncodedOutcome>): SerializedInvocationMessage {
  return {
    kind: 'invokeSerialized',
    protocol: 'P',
    method: 'm',
    encodedArgs: new Uint8Array(0),
    replyTo: { sink, callId: 7 },
  };
}

describe('answering a serialized ask', () => {
  test('encodes the result and completes the caller’s call with it', () => {
    const { scope, encodes } = scopeCountingEncodes();
    const complete = jest.fn();
    answerInvocation(scope, askTo({ complete, ended: () => false }), { ok: true, value: 'x'.repeat(10) });
    expect(encodes()).toBe(1);
    expect(complete).toHaveBeenCalledTimes(1);
    const [callId, outcome] = complete.mock.calls[0] as [number, EncodedOutcome];
    expect(callId).toBe(7);
    expect(outcome.ok && new TypedCodec().decode(outcome.value)).toBe('x'.repeat(10));
  });

  test('does not encode an answer the caller can no longer receive (its connection ended)', () => {
    const { scope, encodes } = scopeCountingEncodes();
    const complete = jest.fn();
    answerInvocation(scope, askTo({ complete, ended: () => true }), { ok: true, value: 'x'.repeat(1 << 16) });
    expect(encodes()).toBe(0);
    expect(complete).not.toHaveBeenCalled();
  });
});
