import { RpcSerializationError, SuperJsonCodec } from '@nact-rpc/core';
import { Money } from '@nact-rpc/testing';
import { thrownBy } from '@nact-rpc/testing';

/** `text` as the codec writes it in format `format` ('J' plain JSON, 'S' superjson). */
const framed = (format: 'J' | 'S', text: string): Uint8Array => Buffer.from(format + text, 'utf8');

describe('hostile input to SuperJsonCodec.decode', () => {
  const codec = new SuperJsonCodec().registerClass(Money);
  afterEach(() => {
    // Whatever a test decoded, the shared prototype stays clean.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test.each([
    ['J', '{"__proto__":{"polluted":1}}'],
    ['S', '{"json":{"__proto__":{"polluted":1}}}'],
    ['J', '{"a":{"\\u005f_proto__":{"polluted":1}}}'],
  ] as const)('a __proto__ key in format %s stays an own property: %s', (format, text) => {
    const decoded = codec.decode(framed(format, text)) as Record<string, unknown>;
    const holder = (decoded['a'] ?? decoded) as Record<string, unknown>;
    expect(Object.hasOwn(holder, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(holder)).toBe(Object.prototype);
  });

  test.each([
    [
      'a value path through __proto__',
      '{"json":{"__proto__":{"p":"1"}},"meta":{"values":{"__proto__.p":["bigint"]},"v":1}}',
    ],
    [
      'a value path through constructor',
      '{"json":{"a":"1"},"meta":{"values":{"constructor.prototype.polluted":["bigint"]},"v":1}}',
    ],
    ['a value path through prototype', '{"json":{"a":"1"},"meta":{"values":{"a.prototype":["Date"]},"v":1}}'],
    [
      'an equality path naming __proto__',
      '{"json":{"a":{"x":1}},"meta":{"referentialEqualities":{"a":["__proto__"]},"v":1}}',
    ],
    [
      'an equality path naming constructor',
      '{"json":{"a":{"x":1},"b":{}},"meta":{"referentialEqualities":{"a":["b.constructor.prototype"]},"v":1}}',
    ],
    [
      'a legacy path through __proto__',
      '{"json":{"__proto__":{"p":"1"}},"meta":{"values":{"__proto__.p":["bigint"]}}}',
    ],
    [
      'an instance with a __proto__ key',
      '{"json":{"a":{"__proto__":{"polluted":1},"amount":"3","currency":"EUR"}},"meta":{"values":{"a":[["class","Money"]]},"v":1}}',
    ],
    [
      'an instance with an escaped __proto__ key',
      '{"json":[{"\\u005f_proto__":{"polluted":1}}],"meta":{"values":{"0":[["class","Money"]]},"v":1}}',
    ],
  ])('%s is refused with an RpcSerializationError', (_, text) => {
    const error = thrownBy(() => codec.decode(framed('S', text)));
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect((error as Error).message).toMatch(/__proto__|prototype|constructor/);
  });

  test.each([
    ['a type tree that is a string', '{"json":1,"meta":{"values":"x","v":1}}'],
    ['a class type that is not an array', '{"json":{"a":1},"meta":{"values":{"a":["class","Money"]},"v":1}}'],
    ['an unknown class', '{"json":{"a":{}},"meta":{"values":{"a":[["class","Nope"]]},"v":1}}'],
    ['an invalid path', '{"json":{"a":"1"},"meta":{"values":{"a\\\\x":["bigint"]},"v":1}}'],
  ])('malformed annotations (%s) are an RpcSerializationError', (_, text) => {
    expect(thrownBy(() => codec.decode(framed('S', text)))).toBeInstanceOf(RpcSerializationError);
  });

  test('a registered class still round-trips', () => {
    const decoded = codec.decode(codec.encode({ price: new Money(250n, 'EUR'), note: '__proto__' }));
    expect(decoded).toEqual({ price: new Money(250n, 'EUR'), note: '__proto__' });
    expect((decoded as { price: unknown }).price).toBeInstanceOf(Money);
  });
});

describe('superjson annotations that do not fit', () => {
  // Found by the fuzz suite: superjson trusts its meta, and these made it recurse without end
  // or fail with an internal TypeError.
  test.each([
    ['{"json":null,"meta":{"values":{"a":["symbol","x"]}}}', 'the annotation at meta.values.a is "symbol"'],
    ['{"json":{},"meta":{"values":{"a.b.c":["custom","Buffer"]}}}', 'the annotation at meta.values.a.b.c'],
    ['{"json":{},"meta":{"values":["bigint","x"]}}', 'meta.values[1] is "x"'],
    ['{"json":{},"meta":{"values":{"a":[]}}}', 'meta.values.a is an array, not [annotation]'],
    ['{"json":{},"meta":{"referentialEqualities":{"a":"b"}}}', 'meta.referentialEqualities.a is "b"'],
    ['{"json":{},"meta":"x"}', 'meta is "x", not an object'],
    ['[1]', 'the payload is an array'],
    ['{"json":null,"meta":{"referentialEqualities":{"json":[]}}}', 'its superjson annotations do not fit its value'],
    ['{"json":"x","meta":{"referentialEqualities":{"a.b":["c"]}}}', 'its superjson annotations do not fit its value'],
    ['{"json":{},"meta":{"values":{"a":["Error"]}}}', 'its superjson annotations do not fit its value'],
    ['{"json":{},"meta":{"values":{"a":["bigint"]}}}', 'its superjson annotations do not fit its value'],
    ['{"json":[1],"meta":{"values":{"0":["regexp"]}}}', 'its superjson annotations do not fit its value'],
    ['{"json":[1],"meta":{"values":{"0":["map"]}}}', 'its superjson annotations do not fit its value'],
  ])('%s is refused with an RpcSerializationError that names the problem, not superjson internals', (text, message) => {
    let thrown: unknown;
    try {
      new SuperJsonCodec().decode(framed('S', text));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RpcSerializationError);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).cause).toBeUndefined();
  });

  test('a well-formed payload with nested annotations still decodes', () => {
    const codec = new SuperJsonCodec();
    const value = [new Map([[1, new Set([new Date(0)])]]), { big: 12n, missing: undefined }];
    expect(codec.decode(codec.encode(value))).toEqual(value);
  });

  test('an unknown format byte is an RpcSerializationError', () => {
    expect(() => new SuperJsonCodec().decode(Buffer.from('X1'))).toThrow(RpcSerializationError);
  });
});
