import { RpcTimeoutError, SuperJsonCodec } from '@nact-rpc/core';
import {
  encodeError,
  fromErrorEnvelope,
  lacksRemoteStack,
  sendsErrorStacks,
  toErrorEnvelope,
  rejectWithCallerFrames,
  type ErrorEnvelope,
} from '@nact-rpc/core/internal';
import { QuotaExceededError } from '@nact-rpc/testing';

/** An error with a cause, itself an AggregateError with two inner errors. */
function nestedError(): QuotaExceededError {
  const inner = new AggregateError([new TypeError('not a number'), new RangeError('too far')], 'two failed');
  return new QuotaExceededError('over quota', 3, { cause: inner });
}

/** Every `stack` in an envelope, its causes and inner errors. */
function stacksOf(envelope: ErrorEnvelope | undefined): (string | undefined)[] {
  if (envelope === undefined) return [];
  return [envelope.stack, ...stacksOf(envelope.cause), ...(envelope.errors ?? []).flatMap(stacksOf)];
}

describe('toErrorEnvelope stacks', () => {
  test('keeps the stacks of the error, its causes and inner errors by default', () => {
    const stacks = stacksOf(toErrorEnvelope(nestedError()));
    expect(stacks).toHaveLength(4);
    for (const stack of stacks) expect(stack).toContain(__filename);
  });

  test('with stacks false, drops every stack and keeps everything else', () => {
    const envelope = toErrorEnvelope(nestedError(), { stacks: false });
    expect(stacksOf(envelope)).toEqual([undefined, undefined, undefined, undefined]);
    expect(JSON.stringify(envelope)).not.toContain(__filename);
    expect(envelope).toMatchObject({
      name: 'QuotaExceededError',
      message: 'over quota',
      code: 'E_QUOTA',
      props: { limit: 3 },
      cause: {
        name: 'AggregateError',
        message: 'two failed',
        errors: [
          { name: 'TypeError', message: 'not a number' },
          { name: 'RangeError', message: 'too far' },
        ],
      },
    });
  });

  test('an error rebuilt without stacks keeps class, code, fields and causes; each stack is its name and message', () => {
    const codec = new SuperJsonCodec().registerErrorClass(QuotaExceededError);
    const bytes = encodeError(codec, nestedError(), false);
    const error = fromErrorEnvelope(codec.decode(bytes) as ErrorEnvelope, (name) => codec.errorClass(name));
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ name: 'QuotaExceededError', message: 'over quota', code: 'E_QUOTA', limit: 3 });
    expect(error.stack).toBe('QuotaExceededError: over quota');
    expect(lacksRemoteStack(error)).toBe(true);
    const cause = error.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.stack).toBe('AggregateError: two failed');
    expect(cause.errors.map((inner: Error) => [inner.constructor, inner.stack])).toEqual([
      [TypeError, 'TypeError: not a number'],
      [RangeError, 'RangeError: too far'],
    ]);
  });

  /**
   * A call's promise, awaited by `awaitingTheCall`, that fails with `error` from a timer (as a
   * timeout or an answer read from a socket does) through `rejectWithCallerFrames`.
   */
  async function failedFromATimer(error: unknown): Promise<unknown> {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const call = new Promise<unknown>((resolveCall, rejectCall) => {
      resolve = resolveCall;
      reject = rejectCall;
    });
    setTimeout(() => rejectWithCallerFrames(resolve, reject, error), 1);
    async function awaitingTheCall(): Promise<unknown> {
      return await call;
    }
    return awaitingTheCall().catch((caught: unknown) => caught);
  }

  test("rejectWithCallerFrames gives an error rebuilt without a stack the awaiting code's frames", async () => {
    const error = fromErrorEnvelope({ name: 'RangeError', message: 'too far' }, () => undefined);
    const caught = (await failedFromATimer(error)) as Error;
    expect(caught).toBe(error);
    expect(caught.stack).toMatch(/^RangeError: too far\n {4}at (async )?awaitingTheCall /);
    expect(caught.stack).toContain(__filename);
    expect(lacksRemoteStack(caught)).toBe(false);
  });

  test('rejectWithCallerFrames leaves a remote error that came with its stack alone', async () => {
    const error = fromErrorEnvelope({ name: 'Error', message: 'm', stack: 'Error: m\n    at remote' }, () => undefined);
    expect(await failedFromATimer(error)).toHaveProperty('stack', 'Error: m\n    at remote');
  });

  test('rejectWithCallerFrames gives a timeout the frames of the code awaiting it', async () => {
    const timeout = new RpcTimeoutError('Invocation of A.b timed out after 5 ms.', { timeoutMs: 5 });
    const caught = (await failedFromATimer(timeout)) as RpcTimeoutError;
    expect(caught).toBe(timeout);
    expect(caught.hasCallerStack).toBe(true);
    expect(caught.stack).toMatch(
      /^RpcTimeoutError: Invocation of A\.b timed out after 5 ms\.\n {4}at (async )?awaitingTheCall /,
    );
  });
});

describe('sendsErrorStacks', () => {
  test.each([
    ['never', true, false],
    ['never', false, false],
    ['loopback', true, true],
    ['loopback', false, false],
    ['always', true, true],
    ['always', false, true],
  ] as const)('%s, loopback %s: %s', (policy, loopback, sent) => {
    expect(sendsErrorStacks(policy, loopback)).toBe(sent);
  });
});
