import { RpcSerializationError, TypedCodec, type DecodeLimits } from '@nact-rpc/core';
import { thrownBy } from '@nact-rpc/testing';
import { describeDecodeLimitContract, refusal } from './support/decodeLimitContract';

/** The typed codec's format byte followed by `bytes`. */
const typed = (...bytes: number[]): Uint8Array => Uint8Array.from([0x54, ...bytes]);
/** `depth` arrays of one element nested around the whole number 0, as the typed codec writes them. */
const nested = (depth: number): Uint8Array => {
  const bytes = new Uint8Array(2 + depth * 2);
  bytes[0] = 0x54;
  for (let i = 0; i < depth; i++) bytes.set([0x89, 1], 1 + i * 2);
  return bytes;
};

const codecWith = (limits: DecodeLimits): TypedCodec => new TypedCodec({ limits });

describeDecodeLimitContract(TypedCodec);

describe('the decode budget of TypedCodec', () => {
  describe('maxBigIntDigits', () => {
    const codec = new TypedCodec();

    test('refuses a BigInt of a million digits in a few milliseconds, not seconds', () => {
      const digits = Buffer.from('9'.repeat(1_000_000));
      const bytes = Buffer.concat([typed(0x8e, 0xc0, 0x84, 0x3d), digits]);
      const start = performance.now();
      expect(refusal(() => codec.decode(bytes), 'maxBigIntDigits').actual).toBe(1_000_000);
      expect(performance.now() - start).toBeLessThan(500);
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

  test('a typed array or Buffer is bounded by its bytes in the frame, not by maxCollectionSize', () => {
    const codec = codecWith({ maxCollectionSize: 3 });
    const floats = new Float64Array([1, 2, 3, 4, 5]);
    expect(codec.decode(codec.encode(floats))).toEqual(floats);
    const bytes = Buffer.alloc(1024 * 1024, 7);
    expect(new TypedCodec().decode(new TypedCodec().encode([bytes]))).toEqual([bytes]);
  });
});
