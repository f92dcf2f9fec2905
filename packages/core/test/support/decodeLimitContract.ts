import {
  DEFAULT_DECODE_LIMITS,
  RpcDecodeLimitError,
  RpcInvalidOptionError,
  type Codec,
  type DecodeLimitName,
  type DecodeLimits,
} from '@nact-rpc/core';
import { thrownBy } from '@nact-rpc/testing';

/** The decode limit error `run` throws, checked to name `limit`. */
export function refusal(run: () => unknown, limit: DecodeLimitName): RpcDecodeLimitError {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(RpcDecodeLimitError);
  expect(error).toMatchObject({ code: 'RPC_DECODE_LIMIT', limit });
  return error as RpcDecodeLimitError;
}

/** A codec class with decode limits, as both built-in codecs are. */
export type LimitedCodecClass = new (options?: { limits?: DecodeLimits }) => Codec & {
  readonly limits: Readonly<Required<DecodeLimits>>;
};

/**
 * What every codec's decode budget does, whatever its format: the defaults, BigInts at and over
 * the limit anywhere in a value, collections at and over the limit, and options refused by name.
 * Each codec's own test file adds what depends on its format.
 */
export function describeDecodeLimitContract(CodecClass: LimitedCodecClass): void {
  const codecWith = (limits: DecodeLimits): Codec => new CodecClass({ limits });
  const codec = new CodecClass();

  describe(`the decode budget every codec keeps (${CodecClass.name})`, () => {
    test('has the documented defaults', () => {
      expect(DEFAULT_DECODE_LIMITS).toEqual({
        maxBigIntDigits: 4_300,
        maxDepth: 1_000,
        maxStringLength: 10 * 1024 * 1024,
        maxCollectionSize: 1_000_000,
      });
      expect(codec.limits).toEqual(DEFAULT_DECODE_LIMITS);
      expect(new CodecClass({ limits: { maxDepth: 7 } }).limits).toEqual({ ...DEFAULT_DECODE_LIMITS, maxDepth: 7 });
    });

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

    test('strings that are not BigInts may be longer than maxBigIntDigits', () => {
      const text = '9'.repeat(5_000);
      expect(codec.decode(codec.encode([text, new Date(0)]))).toEqual([text, new Date(0)]);
    });

    test.each([
      ['an array', [1, 2, 3], [1, 2, 3, 4]],
      ['an object', { a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3, d: 4 }],
      ['an object with undefined', { a: 1, b: undefined, c: 3 }, { a: 1, b: undefined, c: 3, d: 4 }],
      ['a Set', new Set([1, 2, 3]), new Set([1, 2, 3, 4])],
      ['a Map', new Map([1, 2, 3].map((n) => [n, n])), new Map([1, 2, 3, 4].map((n) => [n, n]))],
      ['an array with undefined', [1, undefined, 3], [1, undefined, 3, 4]],
    ])('accepts %s of maxCollectionSize (3) elements and refuses one of 4', (_, atLimit, overLimit) => {
      const three = codecWith({ maxCollectionSize: 3 });
      expect(three.decode(three.encode(atLimit))).toEqual(atLimit);
      expect(refusal(() => three.decode(three.encode(overLimit)), 'maxCollectionSize')).toMatchObject({
        max: 3,
        actual: 4,
      });
    });

    test.each([
      [{ maxDepth: 0 }, 'limits.maxDepth'],
      [{ maxBigIntDigits: -1 }, 'limits.maxBigIntDigits'],
      [{ maxStringLength: 1.5 }, 'limits.maxStringLength'],
      [{ maxCollectionSize: '10' }, 'limits.maxCollectionSize'],
      [{ maxDepth: Number.POSITIVE_INFINITY }, 'limits.maxDepth'],
      [{ maxdepth: 10 }, 'limits.maxdepth'],
      ['strict', 'limits'],
      [null, 'limits'],
    ])('refuses limits %p naming %s', (limits, option) => {
      const error = thrownBy(() => new CodecClass({ limits: limits as DecodeLimits }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
      expect((error as Error).message).toMatch(new RegExp(`^${CodecClass.name}: invalid ${option}: expected `));
    });
  });
}
