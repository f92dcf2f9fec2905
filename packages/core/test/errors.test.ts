import {
  EndpointNotStartedError,
  FencingTokenError,
  HandshakeError,
  isRpcError,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcBindError,
  RpcDecodeLimitError,
  RpcError,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  RpcSerializationError,
  RpcTimeoutError,
  type RpcErrorCode,
  type RpcErrorOptions,
} from '@nact-rpc/core';
import { fromErrorEnvelope, toErrorEnvelope } from '@nact-rpc/core/internal';
import type * as Core from '@nact-rpc/core';

type AnyRpcErrorClass = new (message: string, options?: RpcErrorOptions) => RpcError;

/** Builds any class of the hierarchy; RpcTimeoutError needs its timeout, the option and bind errors what they are about. */
function create(errorClass: AnyRpcErrorClass, message: string, options: RpcErrorOptions = {}): RpcError {
  if (errorClass === (RpcTimeoutError as unknown)) return new RpcTimeoutError(message, { ...options, timeoutMs: 100 });
  if (errorClass === (RpcInvalidOptionError as unknown))
    return new RpcInvalidOptionError(message, { ...options, option: 'askTimeoutMs' });
  if (errorClass === (RpcBindError as unknown))
    return new RpcBindError(message, { ...options, host: '127.0.0.1', port: 50100 });
  if (errorClass === (RpcDecodeLimitError as unknown))
    return new RpcDecodeLimitError(message, { ...options, limit: 'maxDepth', max: 1_000, actual: 1_001 });
  return new errorClass(message, options);
}

const HIERARCHY: ReadonlyArray<[string, AnyRpcErrorClass, RpcErrorCode, AnyRpcErrorClass[]]> = [
  ['RpcError', RpcError, 'RPC_ERROR', []],
  ['RpcConnectionError', RpcConnectionError, 'RPC_CONNECTION', [RpcError]],
  ['HandshakeError', HandshakeError, 'HANDSHAKE', [RpcConnectionError, RpcError]],
  ['RecipientUnreachableError', RecipientUnreachableError, 'RECIPIENT_UNREACHABLE', [RpcError]],
  ['EndpointNotStartedError', EndpointNotStartedError, 'ENDPOINT_NOT_STARTED', [RpcError]],
  ['RpcTimeoutError', RpcTimeoutError as unknown as AnyRpcErrorClass, 'RPC_TIMEOUT', [RpcError]],
  ['FencingTokenError', FencingTokenError, 'FENCING_TOKEN', [RpcError]],
  ['RpcSerializationError', RpcSerializationError, 'RPC_SERIALIZATION', [RpcError]],
  ['RpcInvalidStateError', RpcInvalidStateError, 'RPC_INVALID_STATE', [RpcError]],
  ['RpcInvalidOptionError', RpcInvalidOptionError as unknown as AnyRpcErrorClass, 'RPC_INVALID_OPTION', [RpcError]],
  ['RpcBindError', RpcBindError as unknown as AnyRpcErrorClass, 'RPC_BIND', [RpcError]],
  [
    'RpcDecodeLimitError',
    RpcDecodeLimitError as unknown as AnyRpcErrorClass,
    'RPC_DECODE_LIMIT',
    [RpcSerializationError, RpcError],
  ],
];

describe('the RpcError hierarchy', () => {
  describe.each(HIERARCHY)('%s', (className, errorClass, code, ancestors) => {
    test(`has the code ${code}`, () => {
      expect(create(errorClass, 'boom').code).toBe(code);
    });

    test('is named after its class and keeps its message', () => {
      const error = create(errorClass, 'boom');
      expect(error.name).toBe(className);
      expect(error.message).toBe('boom');
      expect(String(error)).toBe(`${className}: boom`);
      expect(error.stack?.startsWith(`${className}: boom\n`)).toBe(true);
    });

    test('is an instance of its class, its ancestors and Error', () => {
      const error = create(errorClass, 'boom');
      expect(error).toBeInstanceOf(errorClass);
      for (const ancestor of ancestors) expect(error).toBeInstanceOf(ancestor);
      expect(error).toBeInstanceOf(Error);
    });

    test('keeps its cause', () => {
      const cause = new Error('root cause');
      expect(create(errorClass, 'boom', { cause }).cause).toBe(cause);
    });

    test('has no cause when none is given', () => {
      expect('cause' in create(errorClass, 'boom')).toBe(false);
    });

    test('is recognised by isRpcError, with and without its code', () => {
      const error = create(errorClass, 'boom');
      expect(isRpcError(error)).toBe(true);
      expect(isRpcError(error, code)).toBe(true);
      expect(isRpcError(error, code === 'RPC_ERROR' ? 'RPC_TIMEOUT' : 'RPC_ERROR')).toBe(false);
    });
  });

  test('every class of the hierarchy has its own code', () => {
    const codes = HIERARCHY.map(([, errorClass]) => create(errorClass, 'x').code);
    expect(new Set(codes).size).toBe(HIERARCHY.length);
  });

  test('a HandshakeError is an RpcConnectionError and an RpcError, but not the other way round', () => {
    expect(new HandshakeError('refused')).toBeInstanceOf(RpcConnectionError);
    expect(new HandshakeError('refused')).toBeInstanceOf(RpcError);
    expect(new RpcConnectionError('refused')).not.toBeInstanceOf(HandshakeError);
    expect(isRpcError(new HandshakeError('refused'), 'RPC_CONNECTION')).toBe(false);
    expect(isRpcError(new HandshakeError('refused'), 'HANDSHAKE')).toBe(true);
  });

  test('a cause that is not an error is kept as well', () => {
    expect(new RpcError('boom', { cause: 'a string' }).cause).toBe('a string');
    expect(new RpcError('boom', { cause: 0 }).cause).toBe(0);
  });

  test('a subclass defined by an application is named after it and is an RpcError', () => {
    class QuotaError extends RpcError {}
    const error = new QuotaError('over quota');
    expect(error.name).toBe('QuotaError');
    expect(error.code).toBe('RPC_ERROR');
    expect(isRpcError(error)).toBe(true);
  });
});

describe('isRpcError', () => {
  test.each([
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    ['an error named like an RpcError', Object.assign(new Error('x'), { name: 'RpcError', code: 'RPC_ERROR' })],
    ['a plain object with a code', { name: 'RpcError', code: 'RPC_TIMEOUT', message: 'x' }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'RpcError'],
    ['a number', 42],
  ])('is false for %s', (_, value) => {
    expect(isRpcError(value)).toBe(false);
    expect(isRpcError(value, 'RPC_ERROR')).toBe(false);
  });

  test('is true for an error rebuilt from an envelope, whose constructor never ran', () => {
    const rebuilt = fromErrorEnvelope(
      { name: 'FencingTokenError', message: 'stale token', code: 'FENCING_TOKEN' },
      () => undefined,
    );
    expect(rebuilt).toBeInstanceOf(FencingTokenError);
    expect(isRpcError(rebuilt)).toBe(true);
    expect(isRpcError(rebuilt, 'FENCING_TOKEN')).toBe(true);
    expect(isRpcError(rebuilt, 'RPC_TIMEOUT')).toBe(false);
  });

  test('is true for an error created by another copy of the package', () => {
    let other: typeof Core | undefined;
    jest.isolateModules(() => {
      // A second copy of the module needs a require inside isolateModules; import is hoisted and shared.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require('@nact-rpc/core') as typeof Core;
    });
    const foreign = new (other as typeof Core).RpcTimeoutError('late', { timeoutMs: 5 });
    expect(foreign).not.toBeInstanceOf(RpcError);
    expect(isRpcError(foreign)).toBe(true);
    expect(isRpcError(foreign, 'RPC_TIMEOUT')).toBe(true);
  });

  test('narrows to an RpcError of the code', () => {
    const error: unknown = new RecipientUnreachableError('gone');
    if (!isRpcError(error, 'RECIPIENT_UNREACHABLE')) throw new Error('expected an RpcError');
    const code: 'RECIPIENT_UNREACHABLE' = error.code;
    expect(code).toBe('RECIPIENT_UNREACHABLE');
  });
});

describe('RpcTimeoutError', () => {
  function makeTheCall(): string {
    return new Error('capture').stack as string;
  }

  test('keeps the timeout', () => {
    expect(new RpcTimeoutError('Jobs.status timed out after 250 ms', { timeoutMs: 250 }).timeoutMs).toBe(250);
  });

  test("with a caller stack, shows its own header line and the caller's frames", () => {
    const callerStack = makeTheCall();
    const message = 'Jobs.status to nact-rpc://svc/jobs timed out after 250 ms';
    const error = new RpcTimeoutError(message, { timeoutMs: 250, callerStack });
    const stack = error.stack as string;
    expect(stack.startsWith(`RpcTimeoutError: ${message}\n`)).toBe(true);
    expect(stack).toContain('makeTheCall');
    expect(stack).toBe(`RpcTimeoutError: ${message}\n${callerStack.slice(callerStack.indexOf('\n') + 1)}`);
    expect(stack).not.toContain('Error: capture');
  });

  test('without a caller stack, keeps the stack of where it was created', () => {
    const error = new RpcTimeoutError('late', { timeoutMs: 1 });
    expect(error.stack?.startsWith('RpcTimeoutError: late\n')).toBe(true);
    expect(error.stack).toContain('errors.test.ts');
  });

  test('keeps its cause next to a caller stack', () => {
    const cause = new Error('socket closed');
    const error = new RpcTimeoutError('late', { timeoutMs: 1, cause, callerStack: makeTheCall() });
    expect(error.cause).toBe(cause);
    expect(error.code).toBe('RPC_TIMEOUT');
  });
});

describe('RpcInvalidOptionError', () => {
  test('names the option it refuses', () => {
    const error = new RpcInvalidOptionError('Invalid askTimeoutMs: expected a positive number, got 0.', {
      option: 'askTimeoutMs',
    });
    expect(error.option).toBe('askTimeoutMs');
    expect(error.code).toBe('RPC_INVALID_OPTION');
    expect(isRpcError(error, 'RPC_INVALID_OPTION')).toBe(true);
  });

  test('is not a TypeError or RangeError: callers test its code instead', () => {
    const error = RpcInvalidOptionError.forValue('askTimeoutMs', 0, 'a positive number of milliseconds');
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(RpcError);
  });

  test.each<[string, unknown, string]>([
    ['a string', '10', 'the string "10"'],
    ['a negative number', -1, '-1'],
    ['NaN', Number.NaN, 'NaN'],
    ['a bigint', 10n, '10n'],
    ['a boolean', true, 'true'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an array', [1, 2], 'an array of 2 items'],
    ['an empty object', {}, 'an empty object'],
    ['a plain object', { encode: 1, name: 'x' }, 'an object with keys encode, name'],
    ['a class instance', new Date(0), 'an instance of Date'],
    ['a named function', function encode() {}, 'the function encode'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('forValue shows %s unambiguously, with the option and what is accepted', (_, value, shown) => {
    const error = RpcInvalidOptionError.forValue('transport.maxFrameSize', value, 'a whole number of bytes');
    expect(error.option).toBe('transport.maxFrameSize');
    expect(error.message).toBe(`Invalid transport.maxFrameSize: expected a whole number of bytes, got ${shown}.`);
  });

  test('forValue names where the value was given', () => {
    expect(RpcInvalidOptionError.forValue('delayMs', -1, 'a number from 0', 'scheduleRunnable').message).toBe(
      'scheduleRunnable: invalid delayMs: expected a number from 0, got -1.',
    );
  });

  test('keeps its option when it crosses the wire', () => {
    const envelope = toErrorEnvelope(RpcInvalidOptionError.forValue('delayMs', -1, 'a number from 0'));
    const rebuilt = fromErrorEnvelope(envelope, () => undefined);
    expect(rebuilt).toBeInstanceOf(RpcInvalidOptionError);
    expect(rebuilt).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'delayMs' });
  });
});

describe('RpcBindError', () => {
  test('keeps the host, the port or range, and the Node error as its cause', () => {
    const cause = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:50100'), {
      code: 'EADDRINUSE',
    });
    const error = new RpcBindError(
      'Could not listen on 127.0.0.1 ports 50100-50200: every port of the range is in use',
      {
        host: '127.0.0.1',
        port: '50100-50200',
        cause,
      },
    );
    expect(error).toMatchObject({ code: 'RPC_BIND', host: '127.0.0.1', port: '50100-50200' });
    expect(error.cause).toBe(cause);
    expect(isRpcError(error, 'RPC_BIND')).toBe(true);
  });
});
