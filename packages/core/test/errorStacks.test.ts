import { SuperJsonCodec } from '@nact-rpc/core';
import {
  encodeError,
  fromErrorEnvelope,
  lacksRemoteStack,
  sendsErrorStacks,
  toErrorEnvelope,
  withCallerStack,
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

  test("withCallerStack gives an error rebuilt without a stack the caller's frames", async () => {
    const error = fromErrorEnvelope({ name: 'RangeError', message: 'too far' }, () => undefined);
    const caught = (await withCallerStack(Promise.reject(error)).catch((e: unknown) => e)) as Error;
    expect(caught).toBe(error);
    expect(caught.stack).toMatch(/^RangeError: too far\n {4}at /);
    expect(caught.stack).toContain(__filename);
    expect(lacksRemoteStack(caught)).toBe(false);
  });

  test('withCallerStack leaves a remote error that came with its stack alone', async () => {
    const error = fromErrorEnvelope({ name: 'Error', message: 'm', stack: 'Error: m\n    at remote' }, () => undefined);
    await expect(withCallerStack(Promise.reject(error))).rejects.toHaveProperty('stack', 'Error: m\n    at remote');
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
