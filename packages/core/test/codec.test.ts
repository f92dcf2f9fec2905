import {
  EndpointNotStartedError,
  FencingTokenError,
  HandshakeError,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcError,
  RpcInvalidStateError,
  RpcSerializationError,
  RpcTimeoutError,
  SuperJsonCodec,
} from '@nact-rpc/core';
import {
  BUILTIN_ERROR_CLASSES,
  encodeOutcome,
  exceedsMaxFrameSize,
  fromErrorEnvelope,
  toErrorEnvelope,
  tryEncodeArguments,
  type ErrorEnvelope,
} from '@nact-rpc/core/internal';
import { Money, QuotaExceededError, UnregisteredError } from '@nact-rpc/testing';

describe('SuperJsonCodec', () => {
  let codec: SuperJsonCodec;
  const roundTrip = <T>(value: T): T => codec.decode(codec.encode(value)) as T;
  beforeEach(() => {
    codec = new SuperJsonCodec();
  });

  test('is named superjson and encodes to bytes', () => {
    expect(codec.name).toBe('superjson');
    expect(codec.encode({ a: 1 })).toBeInstanceOf(Uint8Array);
  });

  test('round-trips a Date', () => {
    const date = new Date('2024-02-29T12:34:56.789Z');
    const decoded = roundTrip(date);
    expect(decoded).toBeInstanceOf(Date);
    expect(decoded.getTime()).toBe(date.getTime());
  });

  test('round-trips a Map with non-string keys', () => {
    const map = new Map<unknown, unknown>([
      [1, 'one'],
      ['two', new Date(2)],
    ]);
    const decoded = roundTrip(map);
    expect(decoded).toBeInstanceOf(Map);
    expect([...decoded.entries()]).toEqual([
      [1, 'one'],
      ['two', new Date(2)],
    ]);
  });

  test('round-trips a Set', () => {
    const decoded = roundTrip(new Set(['a', 'b', 3]));
    expect(decoded).toBeInstanceOf(Set);
    expect([...decoded]).toEqual(['a', 'b', 3]);
  });

  test('round-trips a BigInt beyond the safe integer range', () => {
    const big = 2n ** 70n + 1n;
    expect(roundTrip(big)).toBe(big);
  });

  test('round-trips undefined at the top level', () => {
    expect(roundTrip(undefined)).toBeUndefined();
  });

  test('round-trips undefined nested in objects and arrays, keeping the property', () => {
    const decoded = roundTrip({ present: 1, missing: undefined, list: [undefined, 2] });
    expect(Object.keys(decoded).sort()).toEqual(['list', 'missing', 'present']);
    expect(decoded.missing).toBeUndefined();
    expect(decoded.list).toEqual([undefined, 2]);
    expect(decoded.list).toHaveLength(2);
  });

  test('round-trips nested objects with special values inside', () => {
    const value = {
      job: { id: 'j-1', attempts: [1, 2, 3], started: new Date(10), tags: new Set(['x']) },
      limits: new Map([['cpu', { cores: 2n }]]),
      nothing: null,
      text: 'ünïcödé ✓',
    };
    const decoded = roundTrip(value);
    expect(decoded).toEqual(value);
    expect(decoded.job.started).toBeInstanceOf(Date);
    expect(decoded.limits.get('cpu')?.cores).toBe(2n);
  });

  test('round-trips a RegExp with its flags', () => {
    const decoded = roundTrip(/^a+b?$/gi);
    expect(decoded).toBeInstanceOf(RegExp);
    expect(decoded.source).toBe('^a+b?$');
    expect(decoded.flags).toBe('gi');
  });

  test('decodes bytes that are a slice of a larger buffer', () => {
    const encoded = codec.encode({ a: new Date(5) });
    const larger = new Uint8Array(encoded.length + 8);
    larger.set(encoded, 4);
    const decoded = codec.decode(larger.subarray(4, 4 + encoded.length)) as { a: Date };
    expect(decoded.a).toEqual(new Date(5));
  });

  test('rebuilds a registered class as an instance of it, with its fields', () => {
    codec.registerClass(Money);
    const decoded = roundTrip({ price: new Money(12, 'EUR') });
    expect(decoded.price).toBeInstanceOf(Money);
    expect(decoded.price.amount).toBe(12);
    expect(decoded.price.currency).toBe('EUR');
    expect(decoded.price.format()).toBe('12 EUR');
  });

  test('registerClass and registerErrorClass return the codec, for chaining', () => {
    expect(codec.registerClass(Money)).toBe(codec);
    expect(codec.registerErrorClass(QuotaExceededError)).toBe(codec);
  });

  test('two codecs do not share class registrations', () => {
    const other = new SuperJsonCodec();
    codec.registerClass(Money);
    const money = new Money(1, 'USD');
    expect(() => other.encode(money)).toThrow('an instance of class Money at the top level');
    expect(() => other.decode(codec.encode(money))).toThrow(Error);
  });

  test('a lenient codec sends an unregistered class instance as a plain object', () => {
    const lenient = new SuperJsonCodec({ strict: false });
    const decoded = lenient.decode(lenient.encode(new Money(1, 'USD')));
    expect(decoded).not.toBeInstanceOf(Money);
    expect(decoded).toEqual({ amount: 1, currency: 'USD' });
  });

  test('refuses, naming the place, what it would silently drop or change', () => {
    expect(() => codec.encode({ job: { onDone: () => 1 } })).toThrow('Cannot serialize a function at .job.onDone');
    expect(() => codec.encode([1, Symbol('s')])).toThrow('a symbol at [1]');
    expect(() => codec.encode(new Map([['k', Promise.resolve(1)]]))).toThrow(
      'an instance of class Promise at <map value 0>',
    );
    expect(() => codec.encode(new Set([new WeakMap()]))).toThrow('class WeakMap at <set entry 0>');
  });

  test('accepts cycles, typed arrays, Buffers and errors, and restores them', () => {
    const cyclic: { self?: unknown; bytes: Uint8Array; buffer: Buffer; error: Error } = {
      bytes: new Uint8Array([1, 2, 3]),
      buffer: Buffer.from('hi'),
      error: new TypeError('inner'),
    };
    cyclic.self = cyclic;
    const decoded = codec.decode(codec.encode(cyclic)) as typeof cyclic;
    expect(decoded.self).toBe(decoded);
    expect(decoded.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(Buffer.isBuffer(decoded.buffer)).toBe(true);
    expect(decoded.buffer.toString()).toBe('hi');
    expect(decoded.error).toBeInstanceOf(Error);
    expect(decoded.error.message).toBe('inner');
  });

  test('two codecs do not share error class registrations', () => {
    const other = new SuperJsonCodec();
    codec.registerErrorClass(QuotaExceededError);
    expect(codec.errorClass('QuotaExceededError')).toBe(QuotaExceededError);
    expect(other.errorClass('QuotaExceededError')).toBeUndefined();
  });

  test('registers an error class under another name when asked', () => {
    codec.registerErrorClass(QuotaExceededError, 'Quota');
    expect(codec.errorClass('Quota')).toBe(QuotaExceededError);
    expect(codec.errorClass('QuotaExceededError')).toBeUndefined();
  });

  test.each([
    ['bytes that are not JSON', Buffer.from('garbage{', 'utf8')],
    ['invalid UTF-8 bytes', new Uint8Array([0xff, 0xfe, 0x00, 0x7b])],
    ['an empty buffer', new Uint8Array(0)],
  ])('throws when decoding %s', (_, bytes) => {
    expect(() => codec.decode(bytes)).toThrow(Error);
  });
});

describe('error envelopes through the codec', () => {
  let codec: SuperJsonCodec;
  /** What a caller receives when `thrown` crosses the wire. */
  const transmit = (thrown: unknown): Error => {
    const envelope = codec.decode(codec.encode(toErrorEnvelope(thrown))) as ErrorEnvelope;
    return fromErrorEnvelope(envelope, (name) => codec.errorClass(name));
  };
  beforeEach(() => {
    codec = new SuperJsonCodec();
  });

  test.each([Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError])(
    'a built-in %p stays an instance of its class with its message and stack',
    (errorClass) => {
      const original = new errorClass('bad input');
      const received = transmit(original);
      expect(received).toBeInstanceOf(errorClass);
      expect(received.constructor).toBe(errorClass);
      expect(received.name).toBe(original.name);
      expect(received.message).toBe('bad input');
      expect(received.stack).toBe(original.stack);
      expect(String(received)).toBe(`${original.name}: bad input`);
    },
  );

  test('an AggregateError, also a built-in, stays an AggregateError', () => {
    const received = transmit(new AggregateError([new Error('one')], 'several failed'));
    expect(received).toBeInstanceOf(AggregateError);
    expect(received.message).toBe('several failed');
  });

  test.each([
    [RpcError, 'RPC_ERROR'],
    [RpcConnectionError, 'RPC_CONNECTION'],
    [HandshakeError, 'HANDSHAKE'],
    [RecipientUnreachableError, 'RECIPIENT_UNREACHABLE'],
    [EndpointNotStartedError, 'ENDPOINT_NOT_STARTED'],
    [FencingTokenError, 'FENCING_TOKEN'],
    [RpcSerializationError, 'RPC_SERIALIZATION'],
    [RpcInvalidStateError, 'RPC_INVALID_STATE'],
  ] as const)('an %p stays its class with its code', (errorClass, code) => {
    const original = new errorClass('refused');
    const received = transmit(original) as RpcError;
    expect(received).toBeInstanceOf(errorClass);
    expect(received).toBeInstanceOf(RpcError);
    expect(received.name).toBe(errorClass.name);
    expect(received.code).toBe(code);
    expect(received.message).toBe('refused');
    expect(received.stack).toBe(original.stack);
  });

  test('an RpcTimeoutError stays an RpcTimeoutError with its code and timeout', () => {
    const received = transmit(new RpcTimeoutError('Jobs.status timed out after 5 ms', { timeoutMs: 5 }));
    expect(received).toBeInstanceOf(RpcTimeoutError);
    expect((received as RpcTimeoutError).code).toBe('RPC_TIMEOUT');
    expect((received as RpcTimeoutError).timeoutMs).toBe(5);
  });

  test('every built-in and nact-rpc class is known without registration', () => {
    expect([...BUILTIN_ERROR_CLASSES.keys()]).toEqual(
      expect.arrayContaining(['Error', 'TypeError', 'RangeError', 'RpcError', 'HandshakeError', 'RpcTimeoutError']),
    );
  });

  test('a registered error class is rebuilt as an instance of it, with every property and without its constructor', () => {
    codec.registerErrorClass(QuotaExceededError);
    const original = new QuotaExceededError('over quota', 10);
    const runsBefore = QuotaExceededError.constructorRuns;
    const received = transmit(original) as QuotaExceededError;
    expect(QuotaExceededError.constructorRuns).toBe(runsBefore);
    expect(received).toBeInstanceOf(QuotaExceededError);
    expect(received).toBeInstanceOf(Error);
    expect(received.name).toBe('QuotaExceededError');
    expect(received.message).toBe('over quota');
    expect(received.stack).toBe(original.stack);
    expect(received.code).toBe('E_QUOTA');
    expect(received.limit).toBe(10);
  });

  test('extra properties keep their special values through the codec', () => {
    codec.registerErrorClass(QuotaExceededError);
    const original = Object.assign(new QuotaExceededError('over quota', 10), { resetAt: new Date(99), used: 11n });
    const received = transmit(original) as QuotaExceededError & { resetAt: Date; used: bigint };
    expect(received.resetAt).toEqual(new Date(99));
    expect(received.used).toBe(11n);
  });

  test('an unregistered custom error becomes an Error carrying the remote name', () => {
    const original = Object.assign(new UnregisteredError('unknown here'), { code: 'E_CUSTOM', detail: 'x' });
    const received = transmit(original) as Error & { code?: unknown; detail?: unknown };
    expect(received).toBeInstanceOf(Error);
    expect(received).not.toBeInstanceOf(UnregisteredError);
    expect(received.name).toBe('UnregisteredError');
    expect(received.message).toBe('unknown here');
    expect(received.stack).toBe(original.stack);
    expect(received.code).toBe('E_CUSTOM');
    expect(received.detail).toBe('x');
    expect(String(received)).toBe('UnregisteredError: unknown here');
  });

  test('a numeric code is kept', () => {
    const received = transmit(Object.assign(new Error('exit'), { code: 2 })) as Error & { code?: unknown };
    expect(received.code).toBe(2);
  });

  test('the cause chain is kept, each cause rebuilt as its class', () => {
    codec.registerErrorClass(QuotaExceededError);
    const root = new QuotaExceededError('root', 1);
    const middle = new TypeError('middle', { cause: root });
    const top = new RpcError('top', { cause: middle });
    const received = transmit(top);
    expect(received).toBeInstanceOf(RpcError);
    const receivedMiddle = received.cause as Error;
    expect(receivedMiddle).toBeInstanceOf(TypeError);
    expect(receivedMiddle.message).toBe('middle');
    const receivedRoot = receivedMiddle.cause as QuotaExceededError;
    expect(receivedRoot).toBeInstanceOf(QuotaExceededError);
    expect(receivedRoot.limit).toBe(1);
    expect(receivedRoot.cause).toBeUndefined();
  });

  test('a cause that is not an error is described like a thrown value', () => {
    const received = transmit(new Error('top', { cause: 'disk full' }));
    expect(received.cause).toBeInstanceOf(Error);
    expect((received.cause as Error).message).toContain('disk full');
  });

  test('a cyclic cause chain is cut instead of recursing forever', () => {
    const cyclic = new Error('loop') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    const received = transmit(cyclic);
    expect(received.message).toBe('loop');
    expect((received.cause as Error).message).toBe('loop');
  });

  test.each([
    ['a string', 'plain failure', 'plain failure'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
  ])('a thrown %s becomes an Error mentioning it', (_, thrown, mentioned) => {
    const received = transmit(thrown);
    expect(received).toBeInstanceOf(Error);
    expect(received.name).toBe('Error');
    expect(received.message).toContain(mentioned);
  });

  test('a thrown object without a usable string form still becomes an Error', () => {
    const received = transmit(Object.create(null));
    expect(received).toBeInstanceOf(Error);
    expect(received.message).toContain('[object Object]');
  });
});

describe('SuperJsonCodec under a test clock', () => {
  afterEach(() => jest.useRealTimers());

  test('encodes Dates made while jest fake timers replace the global Date', () => {
    jest.useFakeTimers({ now: new Date('2030-01-02T03:04:05.000Z') });
    const codec = new SuperJsonCodec();
    const decoded = codec.decode(codec.encode({ at: new Date() })) as { at: Date };
    expect(decoded.at.toISOString()).toBe('2030-01-02T03:04:05.000Z');
  });
});

describe('SuperJsonCodec fast path', () => {
  const codec = new SuperJsonCodec();
  const format = (value: unknown): string => String.fromCharCode(codec.encode(value)[0] as number);

  test('writes values that JSON represents exactly as JSON, and reads them back equal', () => {
    const plain = { id: 7, name: 'bench', values: [1, 2.5, -3], nested: { ok: true, none: null }, text: 'ü ✓' };
    expect(format(plain)).toBe('J');
    expect(codec.decode(codec.encode(plain))).toEqual(plain);
    expect(format([1, 'two', [3]])).toBe('J');
  });

  test.each([
    ['a Date', { at: new Date(0) }],
    ['undefined in an object', { missing: undefined }],
    ['undefined in an array', [1, undefined]],
    ['NaN', { n: NaN }],
    ['Infinity', [Infinity]],
    ['negative zero', { z: -0 }],
    ['a bigint', { big: 1n }],
    ['a Map', new Map([[1, 2]])],
  ])('keeps %s exact by writing superjson', (_name, value) => {
    expect(format(value)).toBe('S');
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  test('leaves an array with holes to superjson, never to JSON', () => {
    expect(format([1, , 3])).toBe('S'); // eslint-disable-line no-sparse-arrays
  });

  test('keeps shared references and negative zero, which JSON would lose', () => {
    const shared = { n: 1 };
    const decoded = codec.decode(codec.encode({ a: shared, b: shared, z: -0 })) as { a: object; b: object; z: number };
    expect(decoded.a).toBe(decoded.b);
    expect(Object.is(decoded.z, -0)).toBe(true);
  });

  test('refuses bytes whose format byte it does not know', () => {
    expect(() => codec.decode(Buffer.from('X{}'))).toThrow('unknown format byte');
  });
});

describe('SuperJsonCodec fast path on large values', () => {
  const codec = new SuperJsonCodec();

  test('a large value of distinct objects is plain; one shared reference deep inside makes it rich', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ i, tags: [String(i)] }));
    expect(codec.encode(rows)[0]).toBe('J'.charCodeAt(0));
    const shared = { shared: true };
    const withShared = [...rows, shared, ...rows.map((row) => ({ ...row })), shared];
    expect(codec.encode(withShared)[0]).toBe('S'.charCodeAt(0));
    const decoded = codec.decode(codec.encode(withShared)) as object[];
    expect(decoded[200]).toBe(decoded[401]);
  });

  test('a value encoded from a getter while another is walked gets a walk of its own', () => {
    const inner = { n: 1 };
    let innerBytes: Uint8Array | undefined;
    const outer = {
      get first(): object {
        // Encoded while `outer` is being walked: `inner` is met by both walks, once each.
        innerBytes = codec.encode([inner, { again: 2 }]);
        return inner;
      },
      second: { m: 2 },
    };
    expect(codec.encode(outer)[0]).toBe('J'.charCodeAt(0));
    expect(innerBytes?.[0]).toBe('J'.charCodeAt(0));
    // The walks forgot what they met: the same objects are plain in the next value too.
    expect(codec.encode([inner, outer.second])[0]).toBe('J'.charCodeAt(0));
  });

  test('a problem deep inside a large value is found and located', () => {
    const rows: unknown[] = Array.from({ length: 100 }, (_, i) => ({ i }));
    rows.push({ callback: () => 1 });
    expect(() => codec.encode(rows)).toThrow('a function at [100].callback');
  });
});

describe('the maximum frame size', () => {
  const codec = new SuperJsonCodec();

  test('exceedsMaxFrameSize allows exactly the maximum and refuses one byte more', () => {
    expect(exceedsMaxFrameSize(1024, 1024)).toBe(false);
    expect(exceedsMaxFrameSize(1025, 1024)).toBe(true);
  });

  test('a result of exactly the maximum is sent; one byte more becomes an RpcSerializationError', () => {
    const value = 'x'.repeat(100);
    const size = codec.encode(value).length;
    const limit = (maxFrameBytes: number) => ({ maxFrameBytes, overheadBytes: 9, whose: "the caller's" });
    expect(encodeOutcome(codec, { ok: true, value }, 'P.m', limit(size + 9)).ok).toBe(true);
    const over = encodeOutcome(codec, { ok: true, value }, 'P.m', limit(size + 8));
    if (over.ok) throw new Error('expected the result to be refused');
    const error = fromErrorEnvelope(codec.decode(over.error) as ErrorEnvelope, () => undefined);
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect(error.message).toBe(
      `The result of P.m is ${size + 9} bytes, over the caller's maximum frame size of ${size + 8} bytes.`,
    );
  });

  test('an error answer over the limit becomes an RpcSerializationError naming the method', () => {
    const limit = { maxFrameBytes: 200, overheadBytes: 0, whose: "this service's" };
    const outcome = encodeOutcome(codec, { ok: false, error: new Error('y'.repeat(500)) }, 'P.m', limit);
    if (outcome.ok) throw new Error('expected an error answer');
    const error = fromErrorEnvelope(codec.decode(outcome.error) as ErrorEnvelope, () => undefined);
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect(error.message).toMatch(
      /^The error answer of P\.m is \d+ bytes, over this service's maximum frame size of 200 bytes\.$/,
    );
  });

  test('arguments count with the overhead the caller names', () => {
    const size = codec.encode(['x']).length;
    expect(tryEncodeArguments(codec, ['x'], 'P.m', 'there', size + 10, 10).ok).toBe(true);
    const refused = tryEncodeArguments(codec, ['x'], 'P.m', 'there', size + 9, 10);
    expect(refused).toMatchObject({
      ok: false,
      reason: `the request is ${size + 10} bytes, over the maximum frame size of ${size + 9} bytes.`,
    });
  });
});
