import fc from 'fast-check';
import { RpcSerializationError, TypedCodec } from '@nact-rpc/core';
import { Money, QuotaExceededError } from '@nact-rpc/testing';
import { thrownBy } from '@nact-rpc/testing';
import { richValues } from './support/typedValues';

/** The typed codec's format byte followed by `bytes`. */
const typed = (...bytes: number[]): Uint8Array => Uint8Array.from([0x54, ...bytes]);
/** A string as the typed codec writes it when its UTF-8 is shorter than 32 bytes. */
const text = (value: string): number[] => [0xa0 | Buffer.byteLength(value), ...Buffer.from(value)];

const OBJECT = 0x8a;
const ARRAY = 0x89;
const CLASS = 0x93;
const ERROR = 0x91;

/** What decoding `bytes` gives: the value, or the error it throws, which must be an RpcSerializationError. */
function decodeSafely(codec: TypedCodec, bytes: Uint8Array): unknown {
  try {
    return codec.decode(bytes);
  } catch (error) {
    if (!(error instanceof RpcSerializationError)) throw error;
    return error;
  }
}

describe('hostile input to TypedCodec.decode', () => {
  const codec = new TypedCodec().registerClass(Money).registerErrorClass(QuotaExceededError);
  afterEach(() => {
    // Whatever a test decoded, the shared prototype stays clean.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  const pollution = [...text('__proto__'), OBJECT, 1, ...text('polluted'), 1];
  test.each([
    ['an object', typed(OBJECT, 1, ...pollution), Object.prototype],
    ['a registered class instance', typed(CLASS, ...text('Money'), 1, ...pollution), Money.prototype],
    ['an error', typed(ERROR, ...text('Error'), ...text('m'), 0x82, 1, ...pollution), Error.prototype],
  ])('a __proto__ key in %s stays an own property', (_, bytes, prototype) => {
    const decoded = codec.decode(bytes) as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded)).toBe(prototype);
    expect(decoded['polluted']).toBeUndefined();
  });

  test('a __proto__ key in JSON stays an own property', () => {
    const decoded = codec.decode(Buffer.from('J{"a":{"__proto__":{"polluted":1}}}')) as { a: object };
    expect(Object.hasOwn(decoded.a, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded.a)).toBe(Object.prototype);
  });

  test('an object with a __proto__ key round-trips as an own property', () => {
    const value = JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
    const decoded = codec.decode(codec.encode(value)) as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  test.each([
    ['no bytes at all', Uint8Array.of()],
    ['an unknown format byte', Uint8Array.from(Buffer.from('S{}'))],
    ['a format byte alone', typed()],
    ['bytes after the value', typed(1, 2)],
    ['an unknown tag', typed(0xff)],
    ['a string cut short', typed(0xa5, 0x61)],
    ['a 32-bit string length past the end', typed(0x88, 0xff, 0xff, 0xff, 0x7f)],
    ['a float cut short', typed(0x85, 1, 2)],
    ['an array count past the end', typed(ARRAY, 0xff, 0xff, 0x03)],
    ['a length of six bytes', typed(ARRAY, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)],
    ['a key that is not a string', typed(OBJECT, 1, 5, 5)],
    ['a reference to an object not read yet', typed(ARRAY, 1, 0x94, 1)],
    ['a reference with nothing read', typed(0x94, 0)],
    ['an unknown class', typed(CLASS, ...text('Nope'), 0)],
    ['an unknown kind of typed array', typed(0x92, 99, 0)],
    ['a typed array of a partial element', typed(0x92, 7, 3, 1, 2, 3)],
    ['a BigInt that is not decimal', typed(0x8e, 3, ...Buffer.from('0x1'))],
    ['a BigInt of no digits', typed(0x8e, 1, ...Buffer.from('-'))],
    ['a RegExp with unknown flags', typed(0x8f, ...text('a'), ...text('zz'))],
    ['a RegExp that does not parse', typed(0x8f, ...text('('), ...text(''))],
    ['a URL that does not parse', typed(0x90, ...text('not a url'))],
    ['an error cause flag that is neither', typed(ERROR, ...text('Error'), ...text('m'), 7)],
    ['malformed JSON', Uint8Array.from(Buffer.from('J{"a":'))],
    ['empty JSON', Uint8Array.from(Buffer.from('J'))],
  ])('%s is an RpcSerializationError', (_, bytes) => {
    const error = thrownBy(() => codec.decode(bytes));
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect((error as Error).message).toMatch(/^Cannot deserialize: /);
  });

  test('a reference may point to an object being read: a cycle', () => {
    const decoded = codec.decode(typed(ARRAY, 1, 0x94, 0)) as unknown[];
    expect(decoded[0]).toBe(decoded);
  });

  test('every cut of a valid encoding is an RpcSerializationError', () => {
    const value = { a: [1, 'two', new Date(3), new Map([[4n, new Set([new Money(5, 'EUR')])]])], b: /x/g };
    const bytes = codec.encode(value);
    for (let end = 0; end < bytes.length; end++) {
      expect(thrownBy(() => codec.decode(bytes.subarray(0, end)))).toBeInstanceOf(RpcSerializationError);
    }
  });

  test('random bytes and mutated encodings decode or are refused with an RpcSerializationError', () => {
    const mutated = fc
      .tuple(richValues, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([value, edits]) => {
        const bytes = Uint8Array.from(codec.encode(value));
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
        return bytes;
      });
    const random = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((bytes) => typed(...bytes)),
      fc.string({ maxLength: 32 }).map((json) => Uint8Array.from(Buffer.from(`J${json}`))),
    );
    fc.assert(
      fc.property(fc.oneof(mutated, random), (bytes) => {
        decodeSafely(codec, bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  test('a huge count in a short input is refused before anything is allocated', () => {
    const start = performance.now();
    for (const tag of [ARRAY, OBJECT, 0x8b, 0x8c]) {
      expect(thrownBy(() => codec.decode(typed(tag, 0xff, 0xff, 0x3f)))).toBeInstanceOf(RpcSerializationError);
    }
    expect(performance.now() - start).toBeLessThan(500);
  });
});
