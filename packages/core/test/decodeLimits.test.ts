import {
  RpcDecodeLimitError,
  RpcSerializationError,
  SuperJsonCodec,
  isRpcError,
  type DecodeLimits,
} from '@nact-rpc/core';
import { BUILTIN_ERROR_CLASSES, encodeError, fromErrorEnvelope, type ErrorEnvelope } from '@nact-rpc/core/internal';
import { thrownBy } from '@nact-rpc/testing';
import { describeDecodeLimitContract, refusal } from './support/decodeLimitContract';

/** `text` as the codec writes it in format `format` ('J' plain JSON, 'S' superjson). */
const framed = (format: 'J' | 'S', text: string): Uint8Array => Buffer.from(format + text, 'utf8');
/** `json` as superjson text, with `values` as its annotations. */
const superJson = (json: string, values?: unknown): Uint8Array =>
  framed('S', `{"json":${json}${values === undefined ? '' : `,"meta":{"values":${JSON.stringify(values)},"v":1}`}}`);

const nested = (depth: number, inner = '0'): string => '['.repeat(depth) + inner + ']'.repeat(depth);
const codecWith = (limits: DecodeLimits): SuperJsonCodec => new SuperJsonCodec({ limits });

describeDecodeLimitContract(SuperJsonCodec);

describe('the decode budget of SuperJsonCodec', () => {
  describe('maxBigIntDigits', () => {
    const codec = new SuperJsonCodec();

    test('refuses a hostile BigInt64Array of long decimal strings', () => {
      const bytes = superJson(`["${'7'.repeat(5_000)}"]`, [['typed-array', 'BigInt64Array']]);
      refusal(() => codec.decode(bytes), 'maxBigIntDigits');
    });

    test('refuses a BigInt of a million digits in a few milliseconds, not seconds', () => {
      const bytes = superJson(`"${'9'.repeat(1_000_000)}"`, ['bigint']);
      const start = performance.now();
      expect(refusal(() => codec.decode(bytes), 'maxBigIntDigits').actual).toBe(1_000_000);
      expect(performance.now() - start).toBeLessThan(500);
    });
  });

  describe('maxDepth', () => {
    test.each([['J'], ['S']] as const)('accepts nesting 1,000 deep and refuses 1,001 deep (format %s)', (format) => {
      const codec = new SuperJsonCodec();
      const inner = format === 'J' ? '0' : '"1970-01-01T00:00:00.000Z"';
      const bytes = (depth: number): Uint8Array =>
        format === 'J'
          ? framed('J', nested(depth, inner))
          : superJson(nested(depth, inner), { [Array(depth).fill('0').join('.')]: ['Date'] });
      let value = codec.decode(bytes(1_000));
      for (let level = 0; level < 1_000; level++) value = (value as unknown[])[0];
      expect(value).toEqual(format === 'J' ? 0 : new Date(0));
      const error = refusal(() => codec.decode(bytes(1_001)), 'maxDepth');
      expect(error).toMatchObject({ max: 1_000, actual: 1_001 });
      expect(error.message).toBe(
        'Refused to decode: a value nested 1001 deep is over the decode limit maxDepth (1000)',
      );
    });

    test('counts objects, Maps and Sets as levels too', () => {
      const codec = codecWith({ maxDepth: 3 });
      expect(codec.decode(framed('J', '{"a":{"b":[1]}}'))).toEqual({ a: { b: [1] } });
      refusal(() => codec.decode(framed('J', '{"a":{"b":[[1]]}}')), 'maxDepth');
      expect(codec.decode(codec.encode([new Set([[1]])]))).toEqual([new Set([[1]])]);
      refusal(() => codec.decode(codec.encode([new Set([[[1]]])])), 'maxDepth');
      // As written, a Map's entries are [key, value] arrays: a Map level counts as two.
      refusal(() => codec.decode(codec.encode([new Map([[1, [1]]])])), 'maxDepth');
    });

    test('refuses nesting that would overflow the stack, in both formats, with the typed error', () => {
      const codec = new SuperJsonCodec();
      expect(refusal(() => codec.decode(framed('J', nested(1_000_000))), 'maxDepth').actual).toBe(1_000_000);
      expect(refusal(() => codec.decode(framed('S', `{"json":${nested(200_000)}}`)), 'maxDepth').actual).toBe(200_000);
      // superjson walks its annotations recursively: a deep annotation tree is refused first.
      const deepMeta = `{"json":1,"meta":{"values":${'{"a":'.repeat(100_000)}["bigint"]${'}'.repeat(100_000)}}}`;
      refusal(() => codec.decode(framed('S', deepMeta)), 'maxDepth');
    });

    test('without the limit, superjson overflowing the stack is still an RpcSerializationError, without its internals', () => {
      const codec = codecWith({ maxDepth: 10_000_000 });
      const deepMeta = `{"json":1,"meta":{"values":${'{"a":'.repeat(100_000)}["bigint"]${'}'.repeat(100_000)}}}`;
      const error = thrownBy(() => codec.decode(framed('S', deepMeta)));
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect((error as Error).message).toBe('Cannot deserialize: its superjson annotations do not fit its value');
    });
  });

  describe('maxStringLength', () => {
    const codec = codecWith({ maxStringLength: 10 });

    test.each([['J'], ['S']] as const)('accepts 10 characters and refuses 11 (format %s)', (format) => {
      const value = (text: string): unknown[] => (format === 'J' ? [text] : [text, undefined]);
      expect(codec.decode(codec.encode(value('é'.repeat(10))))).toEqual(value('é'.repeat(10)));
      const error = refusal(() => codec.decode(codec.encode(value('x'.repeat(11)))), 'maxStringLength');
      expect(error).toMatchObject({ max: 10, actual: 11 });
    });

    test('counts decoded characters: an escape is one, a surrogate pair two', () => {
      expect(codec.decode(framed('J', `["${'\\u0041'.repeat(10)}"]`))).toEqual(['A'.repeat(10)]);
      expect(codec.decode(framed('J', `["\\"\\\\\\n${'😀'.repeat(3)}x"]`))).toEqual([`"\\\n${'😀'.repeat(3)}x`]);
      expect(refusal(() => codec.decode(framed('J', `["${'\\n'.repeat(11)}"]`)), 'maxStringLength').actual).toBe(11);
    });

    test('applies to object keys', () => {
      refusal(() => codec.decode(framed('J', `{"${'k'.repeat(11)}":1}`)), 'maxStringLength');
    });
  });

  describe('maxCollectionSize', () => {
    const codec = codecWith({ maxCollectionSize: 3 });
    test('counts each collection apart, empty ones and whitespace included', () => {
      expect(codec.decode(framed('J', ' [ [ ] , { } , [1,2,3] ] '))).toEqual([[], {}, [1, 2, 3]]);
      expect(
        refusal(() => codec.decode(framed('J', '{"a":[],"b":{},"c":1,"d":"x,y"}')), 'maxCollectionSize').message,
      ).toBe('Refused to decode: an object of 4 properties is over the decode limit maxCollectionSize (3)');
    });
  });

  describe('RpcDecodeLimitError', () => {
    const error = RpcDecodeLimitError.refusing('a BigInt of 9000000 digits', 'maxBigIntDigits', 4_300, 9_000_000);

    test('is an RpcSerializationError with its own code', () => {
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect(error.name).toBe('RpcDecodeLimitError');
      expect(isRpcError(error, 'RPC_DECODE_LIMIT')).toBe(true);
      expect(error.message).toBe(
        'Refused to decode: a BigInt of 9000000 digits is over the decode limit maxBigIntDigits (4300)',
      );
    });

    test('wrapping another keeps its limit, maximum and actual value', () => {
      const wrapper = new RpcDecodeLimitError('Refused ask P.m: …', { cause: error });
      expect(wrapper).toMatchObject({ limit: 'maxBigIntDigits', max: 4_300, actual: 9_000_000, cause: error });
    });

    test('crosses the wire as itself', () => {
      const codec = new SuperJsonCodec();
      expect(BUILTIN_ERROR_CLASSES.get('RpcDecodeLimitError')).toBe(RpcDecodeLimitError);
      const rebuilt = fromErrorEnvelope(codec.decode(encodeError(codec, error)) as ErrorEnvelope, () => undefined);
      expect(rebuilt).toBeInstanceOf(RpcDecodeLimitError);
      expect(rebuilt).toMatchObject({
        code: 'RPC_DECODE_LIMIT',
        limit: 'maxBigIntDigits',
        max: 4_300,
        actual: 9_000_000,
      });
    });
  });
});
