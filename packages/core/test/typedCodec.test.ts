import fc from 'fast-check';
import { RpcInvalidOptionError, RpcSerializationError, SuperJsonCodec, TypedCodec } from '@nact-rpc/core';
import { encodeError, fromErrorEnvelope, tryEncodeArguments, type ErrorEnvelope } from '@nact-rpc/core/internal';
import { Money, QuotaExceededError, UnregisteredError } from '@nact-rpc/testing';
import { thrownBy } from '@nact-rpc/testing';
import { describeValue, richValues } from './support/typedValues';

describe('TypedCodec', () => {
  let codec: TypedCodec;
  const roundTrip = <T>(value: T): T => codec.decode(codec.encode(value)) as T;
  beforeEach(() => {
    codec = new TypedCodec().registerClass(Money).registerErrorClass(QuotaExceededError);
  });

  test('is named typed, and writes what JSON represents exactly as JSON, the rest in its binary format', () => {
    expect(codec.name).toBe('typed');
    const plain = { a: [1, 'x', null, true, { b: 1.5 }] };
    const bytes = codec.encode(plain);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString()).toBe(`J${JSON.stringify(plain)}`);
    expect(roundTrip(plain)).toEqual(plain);
    const shared = { s: 1 };
    for (const rich of [{ a: undefined }, [1, -0], [Number.NaN], { d: new Date(0) }, [shared, shared], [1n]]) {
      expect(codec.encode(rich)[0]).toBe(0x54);
    }
  });

  test.each([
    ['a Date', new Date('2024-02-29T12:34:56.789Z')],
    ['an invalid Date', new Date(Number.NaN)],
    [
      'a Map with keys of any type',
      new Map<unknown, unknown>([
        [1, 'one'],
        [{ k: 1 }, new Date(2)],
        [2n, [3]],
        [Number.NaN, 4],
      ]),
    ],
    ['a Set', new Set(['a', 3, undefined, null])],
    ['BigInts', [0n, -1n, 2n ** 70n + 1n, -(10n ** 40n)]],
    ['undefined in objects and arrays', { present: 1, missing: undefined, list: [undefined, 2] }],
    [
      'special numbers',
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 2 ** 31, -(2 ** 31), 0.1],
    ],
    ['RegExps', [/^a+b?$/gi, /\/x\.y/mu, /(?:)/]],
    ['a URL', new URL('https://user@example.com:8080/p/a?q=1#h')],
    [
      'typed arrays',
      [new Int8Array([-1, 2]), new Float32Array([1.5]), new BigInt64Array([-5n]), new BigUint64Array([2n ** 64n - 1n])],
    ],
    ['a Buffer', Buffer.from('héllo')],
    ['strings of every length and plane', ['', 'x'.repeat(31), 'é'.repeat(20), '😀'.repeat(40), 'x'.repeat(70_000)]],
    ['strings with lone surrogates', ['\ud800', 'a\udc00b', `${'x'.repeat(40)}\ud83d`]],
    ['whole numbers at the edges of the encoding', [127, 128, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 53]],
    ['null, true and false', [null, true, false]],
  ])('round-trips %s', (_, value) => {
    expect(describeValue(roundTrip(value))).toEqual(describeValue(value));
  });

  test('round-trips undefined at the top level and keeps the keys of undefined properties', () => {
    expect(roundTrip(undefined)).toBeUndefined();
    expect(Object.keys(roundTrip({ a: undefined, b: 1 }))).toEqual(['a', 'b']);
  });

  test('rebuilds a registered class with its prototype and fields, without running its constructor', () => {
    const decoded = roundTrip({ price: new Money(12n, 'EUR') });
    expect(decoded.price).toBeInstanceOf(Money);
    expect(decoded.price.format()).toBe('12 EUR');
  });

  test('keeps shared references and cycles, as superjson does', () => {
    const shared = { x: 1 };
    const date = new Date(0);
    const cycle: Record<string, unknown> = { name: 'root' };
    cycle['self'] = cycle;
    cycle['list'] = [cycle, shared, shared, date, date];
    cycle['map'] = new Map([[shared, cycle]]);
    const decoded = roundTrip(cycle) as typeof cycle & { list: unknown[]; map: Map<unknown, unknown> };
    expect(decoded['self']).toBe(decoded);
    expect(decoded.list[0]).toBe(decoded);
    expect(decoded.list[1]).toBe(decoded.list[2]);
    expect(decoded.list[3]).toBe(decoded.list[4]);
    expect(decoded.map.get(decoded.list[1])).toBe(decoded);
    expect(describeValue(decoded)).toEqual(describeValue(cycle));
  });

  test('rebuilds errors in values as their registered or built-in class, with message, cause and properties', () => {
    const quota = new QuotaExceededError('over', 5, { cause: new RangeError('inner') });
    const [first, second, third] = roundTrip([quota, new TypeError('t'), new UnregisteredError('u')]);
    expect(first).toBeInstanceOf(QuotaExceededError);
    expect(first).toMatchObject({ name: 'QuotaExceededError', message: 'over', limit: 5, code: 'E_QUOTA' });
    expect(first.cause).toBeInstanceOf(RangeError);
    expect(first.stack).toBe('QuotaExceededError: over');
    expect(second).toBeInstanceOf(TypeError);
    expect(third).toBeInstanceOf(Error);
    expect(third).toMatchObject({ name: 'UnregisteredError', message: 'u' });
    expect(QuotaExceededError.constructorRuns).toBe(1);
  });

  test('decodes bytes that are a slice of a larger buffer', () => {
    const encoded = codec.encode({ a: new Date(5), s: 'x'.repeat(100) });
    const larger = new Uint8Array(encoded.length + 8);
    larger.set(encoded, 4);
    expect(codec.decode(larger.subarray(4, 4 + encoded.length))).toEqual({ a: new Date(5), s: 'x'.repeat(100) });
  });

  test('encodes values of any size, and again after a large one', () => {
    const large = { items: Array.from({ length: 50_000 }, (_, i) => ({ i, s: `item-${i}` })) };
    expect(roundTrip(large)).toEqual(large);
    expect(roundTrip({ small: true })).toEqual({ small: true });
  });

  test('keeps every key apart, however many share a slot of the key cache', () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `k${i}`);
    const value = [
      Object.fromEntries(keys.map((key, i) => [key, i])),
      Object.fromEntries(keys.map((key) => [key, undefined])),
    ];
    const decoded = roundTrip(value);
    expect(decoded).toEqual(value);
    expect(Object.keys(decoded[1] as object)).toEqual(keys);
    expect(roundTrip({ é: 1, ['x'.repeat(24)]: 2, ['y'.repeat(25)]: 3, '': undefined })).toEqual({
      é: 1,
      ['x'.repeat(24)]: 2,
      ['y'.repeat(25)]: 3,
      '': undefined,
    });
  });

  test('a received Buffer of 64 KiB or more is a view of the received bytes; a smaller one a copy', () => {
    const codec = new TypedCodec();
    const large = codec.encode([Buffer.alloc(64 * 1024, 3)]);
    const [view] = codec.decode(large) as [Buffer];
    expect(view.equals(Buffer.alloc(64 * 1024, 3))).toBe(true);
    expect(view.buffer).toBe(large.buffer);
    const small = codec.encode([Buffer.alloc(1024, 4)]);
    const [copy] = codec.decode(small) as [Buffer];
    (small as Buffer).fill(0);
    expect(copy.equals(Buffer.alloc(1024, 4))).toBe(true);
  });

  test('a large value is handed over in its own buffer: the next encode does not overwrite it', () => {
    const codec = new TypedCodec();
    const first = codec.encode([Buffer.alloc(200 * 1024, 1)]);
    const second = codec.encode([Buffer.alloc(200 * 1024, 2)]);
    expect(first.buffer).not.toBe(second.buffer);
    expect(codec.decode(first)).toEqual([Buffer.alloc(200 * 1024, 1)]);
    expect(codec.decode(second)).toEqual([Buffer.alloc(200 * 1024, 2)]);
  });

  describe('recycling the buffers of large values', () => {
    test('a large value is written into the buffer of one given back, and decodes as itself', () => {
      const codec = new TypedCodec();
      const first = codec.encode([Buffer.alloc(200 * 1024, 1)]);
      codec.recycle(first);
      const second = codec.encode([Buffer.alloc(200 * 1024, 2)]);
      expect(second.buffer).toBe(first.buffer);
      expect(codec.decode(second)).toEqual([Buffer.alloc(200 * 1024, 2)]);
    });

    test('bytes given back twice are reused once: two values in flight never share a buffer', () => {
      const codec = new TypedCodec();
      const first = codec.encode([Buffer.alloc(100 * 1024, 1)]);
      codec.recycle(first);
      codec.recycle(first);
      const second = codec.encode([Buffer.alloc(100 * 1024, 2)]);
      const third = codec.encode([Buffer.alloc(100 * 1024, 3)]);
      expect(second.buffer).toBe(first.buffer);
      expect(third.buffer).not.toBe(second.buffer);
      expect(codec.decode(second)).toEqual([Buffer.alloc(100 * 1024, 2)]);
      expect(codec.decode(third)).toEqual([Buffer.alloc(100 * 1024, 3)]);
    });

    test('bytes it did not hand over are never written to: small values, copies, foreign buffers', () => {
      const codec = new TypedCodec();
      const small = codec.encode({ a: 1 });
      const foreign = Buffer.alloc(100 * 1024, 7);
      const copy = Buffer.from(codec.encode([Buffer.alloc(100 * 1024, 1)]));
      for (const bytes of [small, foreign, copy]) codec.recycle(bytes);
      const next = codec.encode([Buffer.alloc(100 * 1024, 2)]);
      expect([small.buffer, foreign.buffer, copy.buffer]).not.toContain(next.buffer);
      expect(foreign.equals(Buffer.alloc(100 * 1024, 7))).toBe(true);
      expect(codec.decode(small)).toEqual({ a: 1 });
    });

    test('a buffer much larger than the next value is not used for it', () => {
      const codec = new TypedCodec();
      const large = codec.encode([Buffer.alloc(1024 * 1024, 1)]);
      codec.recycle(large);
      const smaller = codec.encode([Buffer.alloc(100 * 1024, 2)]);
      expect(smaller.buffer).not.toBe(large.buffer);
      expect(codec.encode([Buffer.alloc(1024 * 1024, 3)]).buffer).toBe(large.buffer);
    });
  });

  test('an encode re-entered from a getter of the value uses another buffer', () => {
    const inner = { a: 1 };
    const value = {
      get nested(): Uint8Array {
        return codec.encode(inner);
      },
    };
    const decoded = roundTrip(value);
    expect(codec.decode(decoded.nested)).toEqual(inner);
  });

  test('refuses, naming the place, what it would silently drop or change', () => {
    expect(() => codec.encode({ job: { onDone: () => 1 } })).toThrow(
      new TypeError('Cannot serialize a function at .job.onDone'),
    );
    expect(() => codec.encode([1, Symbol('s')])).toThrow('Cannot serialize a symbol at [1]');
    expect(() => codec.encode(new Map([['k', Promise.resolve(1)]]))).toThrow(
      'an instance of class Promise at <map value 0>',
    );
    expect(() => codec.encode(new Set([new (class Widget {})()]))).toThrow(
      'an instance of class Widget at <set entry 0>',
    );
    expect(() => codec.encode(new DataView(new ArrayBuffer(1)))).toThrow(
      'Cannot serialize an instance of class DataView',
    );
  });

  test('a lenient codec sends functions and symbols as undefined and unregistered instances as plain objects', () => {
    const lenient = new TypedCodec({ strict: false });
    expect(lenient.decode(lenient.encode([() => 1, Symbol('s')]))).toEqual([undefined, undefined]);
    const decoded = lenient.decode(lenient.encode(new Money(1, 'USD')));
    expect(decoded).not.toBeInstanceOf(Money);
    expect(decoded).toEqual({ amount: 1, currency: 'USD' });
  });

  test('two codecs do not share class registrations; an unknown class is an RpcSerializationError', () => {
    const other = new TypedCodec();
    expect(() => other.encode(new Money(1, 'USD'))).toThrow('an instance of class Money at the top level');
    const error = thrownBy(() => other.decode(codec.encode(new Money(1, 'USD'))));
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect((error as Error).message).toContain('unknown class "Money"');
  });

  test('registers classes under an identifier, refusing one taken by another class', () => {
    class Other {}
    expect(codec.registerClass(Money, 'Money')).toBe(codec);
    expect(codec.registerErrorClass(QuotaExceededError)).toBe(codec);
    expect(codec.errorClass('QuotaExceededError')).toBe(QuotaExceededError);
    expect(() => codec.registerClass(Other, 'Money')).toThrow(RpcInvalidOptionError);
    const renamed = new TypedCodec().registerClass(Other, 'Money');
    expect(renamed.decode(codec.encode(new Money(1, 'x')))).toBeInstanceOf(Other);
  });

  test('refuses a strict option that is not a boolean', () => {
    expect(() => new TypedCodec({ strict: 'yes' as unknown as boolean })).toThrow(RpcInvalidOptionError);
  });

  test('carries error envelopes and names itself when it cannot serialize arguments', () => {
    const envelope = codec.decode(encodeError(codec, new QuotaExceededError('over', 3))) as ErrorEnvelope;
    const rebuilt = fromErrorEnvelope(envelope, (name) => codec.errorClass(name));
    expect(rebuilt).toBeInstanceOf(QuotaExceededError);
    expect(rebuilt).toMatchObject({ message: 'over', limit: 3 });
    const refused = tryEncodeArguments(codec, [() => 1], 'P.m', 'rpc://x', 1_000_000);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe(
      'the typed codec cannot serialize its arguments: Cannot serialize a function at [0]',
    );
  });
});

describe('TypedCodec against superjson', () => {
  const superjson = new SuperJsonCodec().registerClass(Money);
  const typed = new TypedCodec().registerClass(Money);
  const parameters = { numRuns: 300 };

  test('gives back what superjson gives back: the same types and values', () => {
    fc.assert(
      fc.property(richValues, (value) => {
        const expected = describeValue(superjson.decode(superjson.encode(value)));
        expect(describeValue(typed.decode(typed.encode(value)))).toEqual(expected);
      }),
      parameters,
    );
  });

  test('keeps shared references as superjson does', () => {
    fc.assert(
      fc.property(fc.array(richValues, { maxLength: 4 }), (values) => {
        const value = { first: values, again: values, each: [...values, ...values] };
        const expected = describeValue(superjson.decode(superjson.encode(value)));
        expect(describeValue(typed.decode(typed.encode(value)))).toEqual(expected);
      }),
      parameters,
    );
  });
});
