import {
  EndpointNotStartedError,
  FencingTokenError,
  fromErrorEnvelope,
  HandshakeError,
  isRpcError,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcError,
  RpcInvalidStateError,
  RpcSerializationError,
  RpcTimeoutError,
  type RpcErrorCode,
  type RpcErrorOptions,
} from '@nact-rpc/core';

type AnyRpcErrorClass = new (message: string, options?: RpcErrorOptions) => RpcError;

/** Builds any class of the hierarchy; RpcTimeoutError needs its timeout. */
function create(errorClass: AnyRpcErrorClass, message: string, options: RpcErrorOptions = {}): RpcError {
  return errorClass === (RpcTimeoutError as unknown)
    ? new RpcTimeoutError(message, { ...options, timeoutMs: 100 })
    : new errorClass(message, options);
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
    const rebuilt = fromErrorEnvelope({ name: 'FencingTokenError', message: 'stale token', code: 'FENCING_TOKEN' }, () => undefined);
    expect(rebuilt).toBeInstanceOf(FencingTokenError);
    expect(isRpcError(rebuilt)).toBe(true);
    expect(isRpcError(rebuilt, 'FENCING_TOKEN')).toBe(true);
    expect(isRpcError(rebuilt, 'RPC_TIMEOUT')).toBe(false);
  });

  test('is true for an error created by another copy of the package', () => {
    let other: typeof import('@nact-rpc/core') | undefined;
    jest.isolateModules(() => {
      other = require('@nact-rpc/core') as typeof import('@nact-rpc/core');
    });
    const foreign = new (other as typeof import('@nact-rpc/core')).RpcTimeoutError('late', { timeoutMs: 5 });
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
