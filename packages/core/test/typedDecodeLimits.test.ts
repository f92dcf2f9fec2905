import {
  DEFAULT_DECODE_LIMITS,
  RpcDecodeLimitError,
  RpcInvalidOptionError,
  RpcSerializationError,
  TypedCodec,
  type DecodeLimitName,
  type DecodeLimits,
} from '@nact-rpc/core';
import { thrownBy } from '../../../test/support/failures';

/** The typed codec's format byte followed by `bytes`. */
const typed = (...bytes: number[]): Uint8Array => Uint8Array.from([0x54, ...bytes]);
/** `depth` arrays of one element nested around the whole number 0, as the typed codec writes them. */
const nested = (depth: number): Uint8Array => {
  const bytes = new Uint8Array(2 + depth * 2);
  bytes[0] = 0x54;
  for (let i = 0; i < depth; i++) bytes.set([0x89, 1], 1 + i * 2);
  return bytes;
};

/** The decode limit error `run` throws, checked to name `limit`. */
function refusal(run: () => unknown, limit: DecodeLimitName): RpcDecodeLimitError {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(RpcDecodeLimitError);
  expect(error).toMatchObject({ code: 'RPC_DECODE_LIMIT', limit });
  return error as RpcDecodeLimitError;
}

const codecWith = (limits: DecodeLimits): TypedCodec => new TypedCodec({ limits });

describe('the decode budget of TypedCodec', () => {
  test('has the documented defaults', () => {
    expect(new TypedCodec().limits).toEqual(DEFAULT_DECODE_LIMITS);
    expect(codecWith({ maxDepth: 7 }).limits).toEqual({ ...DEFAULT_DECODE_LIMITS, maxDepth: 7 });
  });

  describe('maxBigIntDigits', () => {
    const codec = new TypedCodec();

    test.each([
      ['positive', ''],
      ['negative', '-'],
    ])('accepts a %s BigInt of 4,300 digits and refuses one of 4,301', (_, sign) => {
      const atLimit = BigInt(sign + '9'.repeat(4_300));
      expect(codec.decode(codec.encode({ n: atLimit }))).toEqual({ n: atLimit });
      const error = refusal(
        () => codec.decode(codec.encode({ n: BigInt(sign + '9'.repeat(4_301)) })),
        'maxBigIntDigits',
      );
      expect(error).toMatchObject({ max: 4_300, actual: 4_301 });
      expect(error.message).toBe(
        'Refused to decode: a BigInt of 4301 digits is over the decode limit maxBigIntDigits (4300)',
      );
    });

    test('finds BigInts in Maps, Sets, arrays and as Map keys', () => {
      const big = BigInt('1'.repeat(11));
      const small = codecWith({ maxBigIntDigits: 10 });
      for (const value of [new Map([['k', { b: big }]]), new Set([1n, big]), [[1, big]], new Map([[big, 1]])]) {
        refusal(() => small.decode(codec.encode(value)), 'maxBigIntDigits');
        expect(codecWith({ maxBigIntDigits: 11 }).decode(codec.encode(value))).toEqual(value);
      }
    });

    test('refuses a BigInt of a million digits in a few milliseconds, not seconds', () => {
      const digits = Buffer.from('9'.repeat(1_000_000));
      const bytes = Buffer.concat([typed(0x8e, 0xc0, 0x84, 0x3d), digits]);
      const start = performance.now();
      expect(refusal(() => codec.decode(bytes), 'maxBigIntDigits').actual).toBe(1_000_000);
      expect(performance.now() - start).toBeLessThan(500);
    });

    test('strings that are not BigInts may be longer', () => {
      const text = '9'.repeat(5_000);
      expect(codec.decode(codec.encode([text, new Date(0)]))).toEqual([text, new Date(0)]);
    });
  });

  describe('maxDepth', () => {
    test('accepts nesting 1,000 deep and refuses 1,001 deep', () => {
      const codec = new TypedCodec();
      let value = codec.decode(nested(1_000));
      for (let level = 0; level < 1_000; level++) value = (value as unknown[])[0];
      expect(value).toBe(0);
      const error = refusal(() => codec.decode(nested(1_001)), 'maxDepth');
      expect(error).toMatchObject({ max: 1_000, actual: 1_001 });
      expect(error.message).toBe(
        'Refused to decode: a value nested 1001 deep is over the decode limit maxDepth (1000)',
      );
    });

    test('counts objects, Maps, Sets, class instances and errors as levels too', () => {
      const codec = codecWith({ maxDepth: 3 });
      for (const leaf of [1, 1n]) {
        expect(codec.decode(codec.encode({ a: { b: [leaf] } }))).toEqual({ a: { b: [leaf] } });
        refusal(() => codec.decode(codec.encode({ a: { b: [[leaf]] } })), 'maxDepth');
      }
      expect(codec.decode(codec.encode([new Set([[1]])]))).toEqual([new Set([[1]])]);
      refusal(() => codec.decode(codec.encode([new Set([[[1]]])])), 'maxDepth');
      // In this format a Map level counts as one.
      expect(codec.decode(codec.encode([new Map([[1, [1]]])]))).toEqual([new Map([[1, [1]]])]);
      refusal(() => codec.decode(codec.encode([new Map([[1, [[1]]]])])), 'maxDepth');
      refusal(
        () => codec.decode(codec.encode(new Error('a', { cause: new Error('b', { cause: [[1]] }) }))),
        'maxDepth',
      );
    });

    test('refuses nesting that would overflow the stack, with the typed error, quickly', () => {
      const start = performance.now();
      expect(refusal(() => new TypedCodec().decode(nested(1_000_000)), 'maxDepth').actual).toBe(1_001);
      expect(performance.now() - start).toBeLessThan(500);
    });

    test('without the limit, overflowing the stack is still an RpcSerializationError', () => {
      const error = thrownBy(() => codecWith({ maxDepth: 10_000_000 }).decode(nested(1_000_000)));
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect((error as Error).message).toMatch(/^Cannot deserialize: /);
    });
  });

  describe('maxStringLength', () => {
    const codec = codecWith({ maxStringLength: 10 });

    // Plain values are written as JSON; one undefined makes them binary.
    test.each([
      ['JSON', []],
      ['binary', [undefined]],
    ])('accepts 10 characters and refuses 11, short and long strings alike (%s)', (_, extra) => {
      for (const [fits, over] of [
        ['é'.repeat(10), 'x'.repeat(11)],
        ['😀'.repeat(5), `${'😀'.repeat(5)}x`],
        ['\ud800'.repeat(10), '\ud800'.repeat(11)],
      ] as const) {
        expect(codec.decode(codec.encode([fits, ...extra]))).toEqual([fits, ...extra]);
        const error = refusal(() => codec.decode(codec.encode([over, ...extra])), 'maxStringLength');
        expect(error).toMatchObject({ max: 10, actual: 11 });
      }
      const long = codecWith({ maxStringLength: 100 });
      expect(long.decode(long.encode(['é'.repeat(100), ...extra]))).toEqual(['é'.repeat(100), ...extra]);
      refusal(() => long.decode(long.encode(['é'.repeat(101), ...extra])), 'maxStringLength');
    });

    test('applies to object keys and error messages', () => {
      refusal(() => codec.decode(codec.encode({ ['k'.repeat(11)]: 1 })), 'maxStringLength');
      refusal(() => codec.decode(codec.encode({ ['k'.repeat(11)]: undefined })), 'maxStringLength');
      refusal(() => codec.decode(codec.encode(new Error('m'.repeat(11)))), 'maxStringLength');
    });
  });

  describe('maxCollectionSize', () => {
    const codec = codecWith({ maxCollectionSize: 3 });
    test.each([
      ['an array', [1, 2, 3], [1, 2, 3, 4]],
      ['an object', { a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3, d: 4 }],
      ['an object with undefined', { a: 1, b: undefined, c: 3 }, { a: 1, b: undefined, c: 3, d: 4 }],
      ['a Set', new Set([1, 2, 3]), new Set([1, 2, 3, 4])],
      ['a Map', new Map([1, 2, 3].map((n) => [n, n])), new Map([1, 2, 3, 4].map((n) => [n, n]))],
      ['an array with undefined', [1, undefined, 3], [1, undefined, 3, 4]],
    ])('accepts %s of 3 elements and refuses one of 4', (_, atLimit, overLimit) => {
      expect(codec.decode(codec.encode(atLimit))).toEqual(atLimit);
      expect(refusal(() => codec.decode(codec.encode(overLimit)), 'maxCollectionSize')).toMatchObject({
        max: 3,
        actual: 4,
      });
    });
  });

  test('a typed array or Buffer is bounded by its bytes in the frame, not by maxCollectionSize', () => {
    const codec = codecWith({ maxCollectionSize: 3 });
    const floats = new Float64Array([1, 2, 3, 4, 5]);
    expect(codec.decode(codec.encode(floats))).toEqual(floats);
    const bytes = Buffer.alloc(1024 * 1024, 7);
    expect(new TypedCodec().decode(new TypedCodec().encode([bytes]))).toEqual([bytes]);
  });

  test.each([
    [{ maxDepth: 0 }, 'limits.maxDepth'],
    [{ maxBigIntDigits: -1 }, 'limits.maxBigIntDigits'],
    [{ maxdepth: 10 }, 'limits.maxdepth'],
    [null, 'limits'],
  ])('refuses limits %p naming %s', (limits, option) => {
    const error = thrownBy(() => new TypedCodec({ limits: limits as DecodeLimits }));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
    expect((error as Error).message).toMatch(new RegExp(`^TypedCodec: invalid ${option}: expected `));
  });
});
