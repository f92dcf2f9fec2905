import { RecipientUnreachableError, RpcSerializationError, RpcTimeoutError, SuperJsonCodec } from '@nact-rpc/core';
import { encodeError, MAX_DELAY_MS, PendingCalls, type CallDescription } from '@nact-rpc/core/internal';
import { rejectionOf } from '@nact-rpc/testing';

const CALL: CallDescription = { target: 'HelloGateway.hello', recipient: 'rpc://service/endpoint-1', timeoutMs: 1_000 };

/** How a promise has settled so far. */
type Settlement = { state: 'pending' } | { state: 'resolved'; value: unknown } | { state: 'rejected'; error: unknown };

/** Watches `promise` without leaving its rejection unhandled. */
function watch(promise: Promise<unknown>): { readonly current: Settlement } {
  const watcher: { current: Settlement } = { current: { state: 'pending' } };
  promise.then(
    (value) => (watcher.current = { state: 'resolved', value }),
    (error: unknown) => (watcher.current = { state: 'rejected', error }),
  );
  return watcher;
}

/** Lets promise callbacks run. */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

describe('PendingCalls', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('answers', () => {
    test('a completion with a value resolves the call and removes it', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      expect(calls.has(callId)).toBe(true);
      expect(calls.size).toBe(1);
      calls.complete(callId, { ok: true, value: { greeting: 'hello' } });
      await expect(promise).resolves.toEqual({ greeting: 'hello' });
      expect(calls.has(callId)).toBe(false);
      expect(calls.size).toBe(0);
      // The deadline timer of the finished call fires once, does nothing, and is gone.
      jest.runAllTimers();
      expect(jest.getTimerCount()).toBe(0);
    });

    test('a completion with an error rejects the call with that very error', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const error = new TypeError('boom');
      calls.complete(callId, { ok: false, error });
      await expect(promise).rejects.toBe(error);
      jest.runAllTimers();
      expect(jest.getTimerCount()).toBe(0);
    });

    test('fail() rejects a pending call with the given error', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const error = new RecipientUnreachableError('gone');
      calls.fail(callId, error);
      await expect(promise).rejects.toBe(error);
      expect(calls.has(callId)).toBe(false);
    });

    test('ignores a second completion and completions of unknown ids', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const watcher = watch(promise);
      calls.complete(callId, { ok: true, value: 'first' });
      calls.complete(callId, { ok: true, value: 'second' });
      calls.fail(callId, new Error('late'));
      calls.complete(12_345, { ok: true, value: 'nobody' });
      await settle();
      expect(watcher.current).toEqual({ state: 'resolved', value: 'first' });
    });

    test('ignores an answer that arrives after the timeout', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const watcher = watch(promise);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(calls.has(callId)).toBe(false);
      calls.complete(callId, { ok: true, value: 'too late' });
      await settle();
      expect(watcher.current.state).toBe('rejected');
      expect((watcher.current as { error: unknown }).error).toBeInstanceOf(RpcTimeoutError);
    });
  });

  describe('timeouts', () => {
    function callThatTimesOut(calls: PendingCalls): Promise<unknown> {
      return calls.register(CALL).promise;
    }

    test('rejects with RpcTimeoutError naming the target, the recipient and the timeout', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const watcher = watch(promise);
      await jest.advanceTimersByTimeAsync(999);
      expect(watcher.current.state).toBe('pending');
      await jest.advanceTimersByTimeAsync(1);
      const error = (watcher.current as { error: unknown }).error as RpcTimeoutError;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error.code).toBe('RPC_TIMEOUT');
      expect(error.timeoutMs).toBe(1_000);
      expect(error.message).toContain('HelloGateway.hello');
      expect(error.message).toContain('rpc://service/endpoint-1');
      expect(error.message).toContain('timed out after 1000 ms');
      expect(calls.has(callId)).toBe(false);
      expect(calls.size).toBe(0);
    });

    test('gives the timeout error the caller’s stack when captureCallerStack is on', async () => {
      const calls = new PendingCalls(10_000, true);
      const rejection = rejectionOf(callThatTimesOut(calls));
      await jest.advanceTimersByTimeAsync(1_000);
      const error = (await rejection) as RpcTimeoutError;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error.stack).toMatch(/^RpcTimeoutError: Invocation of HelloGateway\.hello/);
      expect(error.stack).toContain('callThatTimesOut');
      // The frames are the caller's, not PendingCalls' own.
      expect(error.stack).not.toContain('PendingCalls.register');
      expect(error.stack).not.toContain('timeOut');
    });

    test('does not capture the caller’s stack when captureCallerStack is off', async () => {
      const calls = new PendingCalls(10_000, false);
      const rejection = rejectionOf(callThatTimesOut(calls));
      await jest.advanceTimersByTimeAsync(1_000);
      const error = (await rejection) as RpcTimeoutError;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error.stack).not.toContain('callThatTimesOut');
    });

    test('uses the default timeout when the call gives none', async () => {
      const calls = new PendingCalls(500, false);
      const watcher = watch(calls.register({ ...CALL, timeoutMs: undefined }).promise);
      await jest.advanceTimersByTimeAsync(499);
      expect(watcher.current.state).toBe('pending');
      await jest.advanceTimersByTimeAsync(1);
      const error = (watcher.current as { error: unknown }).error as RpcTimeoutError;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error.timeoutMs).toBe(500);
      expect(error.message).toContain('timed out after 500 ms');
    });

    test('clamps a timeout above 2^31 - 1 ms instead of firing at once', async () => {
      expect(MAX_DELAY_MS).toBe(2 ** 31 - 1);
      const calls = new PendingCalls(10_000, false);
      const watcher = watch(calls.register({ ...CALL, timeoutMs: 2 ** 31 + 1_000 }).promise);
      const infinite = watch(calls.register({ ...CALL, timeoutMs: Number.POSITIVE_INFINITY }).promise);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(watcher.current.state).toBe('pending');
      expect(infinite.current.state).toBe('pending');
      await jest.advanceTimersByTimeAsync(MAX_DELAY_MS - 60_000);
      const error = (watcher.current as { error: unknown }).error as RpcTimeoutError;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect(error.timeoutMs).toBe(MAX_DELAY_MS);
      expect(infinite.current.state).toBe('rejected');
    });
  });

  test('failAll rejects every pending call with the error made for it and empties the table', async () => {
    const calls = new PendingCalls(10_000, false);
    const first = calls.register({ ...CALL, target: 'A.one', recipient: 'rpc://x/1' });
    const second = calls.register({ ...CALL, target: 'B.two', recipient: 'rpc://y/2' });
    const made: string[] = [];
    calls.failAll((target, recipient) => {
      made.push(`${target}@${recipient}`);
      return new RecipientUnreachableError(`${target} at ${recipient} is gone`);
    });
    expect(made.sort()).toEqual(['A.one@rpc://x/1', 'B.two@rpc://y/2']);
    expect(calls.size).toBe(0);
    expect(calls.has(first.callId)).toBe(false);
    expect(calls.has(second.callId)).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    await expect(first.promise).rejects.toThrow(new RecipientUnreachableError('A.one at rpc://x/1 is gone'));
    await expect(second.promise).rejects.toBeInstanceOf(RecipientUnreachableError);
    await expect(second.promise).rejects.toThrow('B.two at rpc://y/2 is gone');
  });

  describe('call ids', () => {
    /** Registers a call whose end the test does not observe; returns its id. */
    function idOf(calls: PendingCalls): number {
      const { callId, promise } = calls.register(CALL);
      promise.catch(() => {});
      return callId;
    }

    test('start at 1 and increase', () => {
      const calls = new PendingCalls(10_000, false);
      const ids = [1, 2, 3].map(() => idOf(calls));
      expect(ids).toEqual([1, 2, 3]);
      calls.failAll(() => new Error('done'));
    });

    test('are not reused before wrapping, even once freed', () => {
      const calls = new PendingCalls(10_000, false);
      const first = idOf(calls);
      calls.complete(first, { ok: true, value: undefined });
      expect(idOf(calls)).toBe(2);
      calls.failAll(() => new Error('done'));
    });

    test('wrap from 2^32 - 1 back to 1', () => {
      const calls = new PendingCalls(10_000, false);
      calls['nextId'] = 0xffff_fffe;
      const ids = [1, 2, 3].map(() => idOf(calls));
      expect(ids).toEqual([0xffff_fffe, 0xffff_ffff, 1]);
      calls.failAll(() => new Error('done'));
    });

    test('skip ids still pending after wrapping', async () => {
      const calls = new PendingCalls(10_000, false);
      const one = calls.register(CALL);
      const two = calls.register(CALL);
      expect([one.callId, two.callId]).toEqual([1, 2]);
      calls['nextId'] = 0xffff_ffff;
      const last = calls.register(CALL);
      const wrapped = calls.register(CALL);
      expect(last.callId).toBe(0xffff_ffff);
      expect(wrapped.callId).toBe(3);
      // Skipping kept each id with its own call.
      calls.complete(1, { ok: true, value: 'one' });
      calls.complete(3, { ok: true, value: 'three' });
      await expect(one.promise).resolves.toBe('one');
      await expect(wrapped.promise).resolves.toBe('three');
      expect(calls.has(2)).toBe(true);
      calls.failAll(() => new Error('done'));
      await expect(two.promise).rejects.toThrow('done');
      await expect(last.promise).rejects.toThrow('done');
    });

    test('skip a pending id that sits at 2^32 - 1', () => {
      const calls = new PendingCalls(10_000, false);
      calls['nextId'] = 0xffff_ffff;
      expect(idOf(calls)).toBe(0xffff_ffff);
      calls['nextId'] = 0xffff_ffff;
      expect(idOf(calls)).toBe(1);
      calls.failAll(() => new Error('done'));
    });
  });

  describe('carried calls and reserved ids', () => {
    /** A carrier that records what it is told, as an association's in-flight set would. */
    function carrier(): { abandon: jest.Mock<void, [number]> } {
      return { abandon: jest.fn<void, [number]>() };
    }

    /** Registers a call whose rejection is handled; returns its id. */
    function idOf(calls: PendingCalls): number {
      const { callId, promise } = calls.register(CALL);
      promise.catch(() => {});
      return callId;
    }

    test('an answer through the carrier ends the call without abandoning it or reserving its id', async () => {
      const calls = new PendingCalls(10_000, false);
      const via = carrier();
      const { callId, promise } = calls.register(CALL);
      expect(calls.carry(callId, via)).toBe(true);
      calls.complete(callId, { ok: true, value: 'answered' }, via);
      await expect(promise).resolves.toBe('answered');
      expect(via.abandon).not.toHaveBeenCalled();
      expect(calls.reservedCount).toBe(0);
    });

    test('a carried call that times out is abandoned to its carrier, and its id reserved until released', async () => {
      const calls = new PendingCalls(10_000, false);
      const via = carrier();
      const { callId, promise } = calls.register({ ...CALL, timeoutMs: 100 });
      calls.carry(callId, via);
      const error = rejectionOf(promise);
      await jest.advanceTimersByTimeAsync(100);
      expect(await error).toBeInstanceOf(RpcTimeoutError);
      expect(via.abandon).toHaveBeenCalledTimes(1);
      expect(via.abandon).toHaveBeenCalledWith(callId);
      expect(calls.size).toBe(0);
      expect(calls.reservedCount).toBe(1);
      calls.release(callId);
      expect(calls.reservedCount).toBe(0);
    });

    test('a carried call failed from elsewhere is abandoned too; failAll abandons what is carried', async () => {
      const calls = new PendingCalls(10_000, false);
      const via = carrier();
      const failed = calls.register(CALL);
      const shutDown = calls.register(CALL);
      calls.carry(failed.callId, via);
      calls.carry(shutDown.callId, via);
      calls.fail(failed.callId, new Error('gone'));
      await expect(failed.promise).rejects.toThrow('gone');
      calls.failAll(() => new Error('closing'));
      await expect(shutDown.promise).rejects.toThrow('closing');
      expect(via.abandon.mock.calls).toEqual([[failed.callId], [shutDown.callId]]);
      expect(calls.reservedCount).toBe(2);
    });

    test('refuses to carry a call that already ended: it must not be sent', () => {
      const calls = new PendingCalls(10_000, false);
      const { callId } = calls.register(CALL);
      calls.complete(callId, { ok: true, value: undefined });
      expect(calls.carry(callId, carrier())).toBe(false);
    });

    test('after wrapping, a reserved id is skipped until it is released', async () => {
      const calls = new PendingCalls(10_000, false);
      const via = carrier();
      const timedOut = calls.register({ ...CALL, timeoutMs: 100 });
      expect(timedOut.callId).toBe(1);
      calls.carry(1, via);
      const error = rejectionOf(timedOut.promise);
      await jest.advanceTimersByTimeAsync(100);
      await error;
      calls['nextId'] = 0xffff_ffff;
      expect(idOf(calls)).toBe(0xffff_ffff);
      // Id 1 may still be answered by the peer that carried it: the next id is 2.
      expect(idOf(calls)).toBe(2);
      calls.failAll(() => new Error('done'));
      calls.release(1);
      calls['nextId'] = 0xffff_ffff;
      expect(idOf(calls)).toBe(0xffff_ffff);
      expect(idOf(calls)).toBe(1);
      calls.failAll(() => new Error('done'));
    });
  });

  describe('encoded answers', () => {
    test('decodes a value with the codec the call registered', async () => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      // (No Date here: under fake timers, Date is the fake clock's class.)
      const value = { index: new Map([['a', 1]]), ids: new Set([1n, 2n]), nothing: undefined, nan: Number.NaN };
      calls.complete(callId, { ok: true, value: codec.encode(value) });
      await expect(promise).resolves.toEqual(value);
    });

    test('rebuilds an encoded error as an instance of its class', async () => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      calls.complete(callId, { ok: false, error: encodeError(codec, new RangeError('too far')) });
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe('too far');
    });

    test.each<[string, unknown, string]>([
      ['null', null, 'the error envelope is null'],
      ['an envelope without a name', { message: 'm' }, 'the error envelope.name is missing'],
      ['a numeric message', { name: 'Error', message: 5 }, 'the error envelope.message is 5'],
      ['a null cause', { name: 'Error', message: 'm', cause: null }, 'the error envelope.cause is null'],
      ['inner errors that are not an array', { name: 'Error', message: 'm', errors: 'x' }, '.errors is "x"'],
      [
        'props with a __proto__ key',
        JSON.parse('{"name":"Error","message":"m","props":{"__proto__":{"polluted":true}}}'),
        'props has a __proto__ key',
      ],
    ])('fails the call with RpcSerializationError for a malformed error envelope: %s', async (_, envelope, problem) => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      calls.complete(callId, { ok: false, error: codec.encode(envelope) });
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect((error as Error).message).toContain(problem);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    test('refuses causes nested deeper than 32', async () => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      let envelope: object = { name: 'Error', message: 'root' };
      for (let depth = 0; depth < 40; depth++) envelope = { name: 'Error', message: `level ${depth}`, cause: envelope };
      calls.complete(callId, { ok: false, error: codec.encode(envelope) });
      expect(((await rejectionOf(promise)) as Error).message).toContain('nests causes deeper than 32');
    });

    test('passes through an error raised at the caller’s side, which is never encoded', async () => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      const error = new RecipientUnreachableError('connection lost');
      calls.fail(callId, error);
      await expect(promise).rejects.toBe(error);
    });

    test('leaves answers unencoded for a call registered without a codec', async () => {
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register(CALL);
      const bytes = new Uint8Array([1, 2, 3]);
      calls.complete(callId, { ok: true, value: bytes });
      await expect(promise).resolves.toBe(bytes);
    });

    test.each([
      ['result', true],
      ['error', false],
    ])('rejects an undecodable %s with RpcSerializationError naming the call', async (what, ok) => {
      const codec = new SuperJsonCodec();
      const calls = new PendingCalls(10_000, false);
      const { callId, promise } = calls.register({ ...CALL, codec });
      const garbage = Buffer.from('{ this is not json', 'utf8');
      calls.complete(callId, ok ? { ok: true, value: garbage } : { ok: false, error: garbage });
      const error = (await rejectionOf(promise)) as RpcSerializationError;
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect(error.code).toBe('RPC_SERIALIZATION');
      expect(error.message).toContain(
        `Could not deserialize the ${what} of HelloGateway.hello from rpc://service/endpoint-1`,
      );
      expect(error.cause).toBeInstanceOf(Error);
      expect(calls.size).toBe(0);
    });
  });
});
