/**
 * fast-check arbitraries of hostile arguments for a service that uses `TypedCodec`: bytes in
 * its tagged format ('T'), built by hand or mutated from the codec's own encodings, and
 * arguments that cost its decoder far more than their bytes. The tags are written out here from
 * the format's description (packages/core/src/codec/typed/tags.ts), so that the test does not
 * take them from the code it tests.
 */
import fc from 'fast-check';
import { fixtureTypedCodec, Money, QuotaExceededError, UnregisteredError } from '../../fixtures/src/values';
import { argsBytes, decodeBudgetArgs, pollutionText } from './arbitraries';
import { codecBytes, FORMAT_JSON } from './frames';

/** The typed codec's format byte ('T') and tags. */
export const T = {
  FORMAT: 0x54,
  FIXSTR: 0xa0,
  NULL: 0x80,
  UNDEFINED: 0x81,
  FALSE: 0x82,
  TRUE: 0x83,
  INT32: 0x84,
  FLOAT64: 0x85,
  STR8: 0x86,
  STR16: 0x87,
  STR32: 0x88,
  ARRAY: 0x89,
  OBJECT: 0x8a,
  MAP: 0x8b,
  SET: 0x8c,
  DATE: 0x8d,
  BIGINT: 0x8e,
  REGEXP: 0x8f,
  URL: 0x90,
  ERROR: 0x91,
  TYPED_ARRAY: 0x92,
  CLASS: 0x93,
  REF: 0x94,
  STR_UTF16: 0x95,
} as const;

/** Kinds of typed array: 0 is Buffer, 1–11 the typed arrays; 12 and up are unknown. */
const TYPED_ARRAY_KINDS = 12;

/** The decode budget of the fuzzed service (the defaults of `DecodeLimits`). */
export const LIMITS = {
  maxBigIntDigits: 4_300,
  maxDepth: 1_000,
  maxStringLength: 10 * 1024 * 1024,
  maxCollectionSize: 1_000_000,
} as const;

/** The codec the tests encode valid values with: the fuzzed service's. */
const typedCodec = fixtureTypedCodec();

/** `n` in LEB128, as the format writes counts, lengths and reference indexes. */
export function leb128(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const bytesOf = (...parts: (number | Uint8Array)[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'number' ? Buffer.of(part) : part)));

/** A string value: its tag and length as the encoder writes it, then its UTF-8. */
export function str(text: string): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  if (utf8.length <= 31) return bytesOf(T.FIXSTR | utf8.length, utf8);
  if (utf8.length < 0x100) return bytesOf(T.STR8, utf8.length, utf8);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(utf8.length);
  return bytesOf(T.STR32, length, utf8);
}

/** Arguments: the format byte, then an array of `values` (already encoded). */
export function typedArgs(...values: Uint8Array[]): Buffer {
  return bytesOf(T.FORMAT, T.ARRAY, leb128(values.length), ...values);
}

/** A count or length: honest (what follows), a lie (more or fewer), at or over a limit, or huge. */
const countFor = (actual: number): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(leb128(actual)) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: actual + 3 }).map(leb128) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(LIMITS.maxCollectionSize, LIMITS.maxCollectionSize + 1, 2 ** 31, 2 ** 32, 2 ** 35 - 1)
        .map(leb128),
    },
    // Six bytes of LEB128, or one that never ends: the reader takes at most five.
    { weight: 1, arbitrary: fc.constantFrom(Buffer.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), Buffer.of(0xff, 0xff)) },
  );

/** Keys that reach a property assignment: prototype keys, the keys of errors, and random text. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'stack', 'message', 'name', 'cause'),
  fc.string({ maxLength: 8 }),
);

/** A string value in any of the format's encodings, some lying about their length. */
const hostileString: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: hostileKey.map(str) },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 300, unit: 'binary' }).map(str),
  },
  {
    weight: 1,
    // UTF-16 with a lone surrogate, an odd count, or a count over maxStringLength.
    arbitrary: fc
      .tuple(fc.constantFrom(0, 1, 2, 3, LIMITS.maxStringLength + 1, 2 ** 31), fc.uint8Array({ maxLength: 8 }))
      .map(([units, bytes]) => bytesOf(T.STR_UTF16, leb128(units), bytes)),
  },
  {
    weight: 1,
    // A declared byte length with fewer (or invalid UTF-8) bytes after it.
    arbitrary: fc
      .tuple(
        fc.constantFrom(T.STR8, T.STR16, T.STR32, T.FIXSTR | 31),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ maxLength: 8 }),
      )
      .map(([tag, length, rest]) => bytesOf(tag, length, rest)),
  },
);

/** A BigInt value: digits, a sign, text that is not digits, or more digits than the budget. */
const hostileBigInt: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.bigInt().map((n) => n.toString()),
    fc.constantFrom('', '-', '--1', '1e3', ' 1', '0x1f', '١', '1_000', '-0'),
    fc.constantFrom(LIMITS.maxBigIntDigits, LIMITS.maxBigIntDigits + 1).map((digits) => '9'.repeat(digits)),
    fc.string({ maxLength: 6 }),
  )
  .chain((text) => {
    const latin1 = Buffer.from(text, 'latin1');
    return countFor(latin1.length).map((length) => bytesOf(T.BIGINT, length, latin1));
  });

/** A RegExp or URL value, valid or not. */
const hostileConstructed: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('a+', '(', '[', '\\', '(?<n>x)\\k<n>', '', '\\u{1F600}', '(a*)*b'),
      fc.constantFrom('', 'g', 'gimsuy', 'gg', 'x', 'uv', 'd'),
    )
    .map(([source, flags]) => bytesOf(T.REGEXP, str(source), str(flags))),
  fc
    .constantFrom('https://example.com/', 'not a url', '', 'http://[::1', 'file:///etc/passwd', 'javascript:alert(1)')
    .map((href) => bytesOf(T.URL, str(href))),
  // A RegExp or URL whose parts are not strings.
  fc.constantFrom(T.REGEXP, T.URL).map((tag) => bytesOf(tag, T.NULL, T.NULL)),
);

/** A typed array: a known or unknown kind, a byte length that fits the kind or not, over the budget or past the end. */
const hostileTypedArray: fc.Arbitrary<Buffer> = fc
  .tuple(fc.integer({ min: 0, max: TYPED_ARRAY_KINDS + 2 }), fc.uint8Array({ maxLength: 24 }))
  .chain(([kind, bytes]) =>
    fc
      .oneof(
        countFor(bytes.length),
        fc.constant(leb128(LIMITS.maxCollectionSize + 1)),
        fc.constant(leb128(8 * (LIMITS.maxCollectionSize + 1))),
      )
      .map((length) => bytesOf(T.TYPED_ARRAY, kind, length, bytes)),
  );

/** A tag byte: every tag of the format, the ends of its ranges, and bytes that are no tag. */
export const anyTag = fc.oneof(
  fc.constantFrom(...Object.values(T)),
  fc.constantFrom(0x00, 0x7f, 0xa0, 0xbf, 0x96, 0x9f, 0xc0, 0xff),
  fc.integer({ min: 0, max: 255 }),
);

/** Class identifiers: the registered one, prototype keys, built-in names, random text. */
const classIdentifier = fc.oneof(
  fc.constantFrom(
    'Money',
    'Object',
    'Function',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '',
    'RangeError',
    '"x"',
  ),
  fc.string({ maxLength: 8 }),
);

/** Error names: registered, built in, the framework's own, prototype keys, random text. */
const errorName = fc.oneof(
  fc.constantFrom(
    'QuotaExceededError',
    'Error',
    'TypeError',
    'AggregateError',
    'RpcDecodeLimitError',
    'RpcError',
    '__proto__',
    'constructor',
    'toString',
    '',
  ),
  fc.string({ maxLength: 8 }),
);

/**
 * A value in the typed format built by hand from every tag, with hostile contents: counts and
 * lengths that lie or are huge, `__proto__` and other prototype keys in objects, class bodies
 * and error properties, references before and beyond the objects read, unknown classes, kinds
 * and tags, and nesting.
 */
export const hostileTypedValue: fc.Arbitrary<Buffer> = fc.letrec<{ value: Buffer }>((tie) => {
  const values = (max: number): fc.Arbitrary<Buffer[]> => fc.array(tie('value'), { maxLength: max });
  const body = fc
    .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: hostileKey.map(str) }, hostileString), tie('value')), {
      maxLength: 3,
    })
    .chain((pairs) => countFor(pairs.length).map((count) => bytesOf(count, ...pairs.flat())));
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      // Leaves.
      fc.oneof(
        fc.integer({ min: 0, max: 0x7f }).map((n) => Buffer.of(n)),
        fc.constantFrom(T.NULL, T.UNDEFINED, T.FALSE, T.TRUE).map((tag) => Buffer.of(tag)),
        fc
          .tuple(fc.constantFrom(T.INT32, T.FLOAT64, T.DATE), fc.uint8Array({ minLength: 8, maxLength: 8 }))
          .map(([tag, bytes]) => bytesOf(tag, bytes.subarray(0, tag === T.INT32 ? 4 : 8))),
        hostileString,
        hostileBigInt,
        hostileConstructed,
        hostileTypedArray,
        fc
          .oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(2 ** 31, 2 ** 35 - 1))
          .map((index) => bytesOf(T.REF, leb128(index))),
        anyTag.map((tag) => Buffer.of(tag)),
      ),
      // Collections.
      values(4).chain((items) => countFor(items.length).map((count) => bytesOf(T.ARRAY, count, ...items))),
      values(3).chain((items) => countFor(items.length).map((count) => bytesOf(T.SET, count, ...items))),
      body.map((rest) => bytesOf(T.OBJECT, rest)),
      fc
        .array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 })
        .chain((pairs) => countFor(pairs.length).map((count) => bytesOf(T.MAP, count, ...pairs.flat()))),
      fc.tuple(classIdentifier, body).map(([identifier, rest]) => bytesOf(T.CLASS, str(identifier), rest)),
      fc
        .tuple(
          errorName,
          fc.string({ maxLength: 10 }),
          fc.oneof(
            fc.constant(Buffer.of(T.FALSE)),
            tie('value').map((cause) => bytesOf(T.TRUE, cause)),
            anyTag.map((tag) => Buffer.of(tag)),
          ),
          body,
        )
        .map(([name, message, cause, rest]) => bytesOf(T.ERROR, str(name), str(message), cause, rest)),
    ),
  };
}).value;

/** The argument bytes of one to three hand-built values, or a value where the argument array belongs. */
export const hostileTypedArgs: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: fc.array(hostileTypedValue, { minLength: 1, maxLength: 3 }).map((v) => typedArgs(...v)) },
  { weight: 1, arbitrary: hostileTypedValue.map((value) => bytesOf(T.FORMAT, value)) },
  // A value, then bytes after it.
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileTypedValue, fc.uint8Array({ minLength: 1, maxLength: 4 }))
      .map(([value, extra]) => bytesOf(typedArgs(value), extra)),
  },
);

/** A JavaScript value of every kind the typed codec keeps, with prototype keys among object keys. */
const richValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(NaN, -0, Infinity, -Infinity, 127, 128, -1, 2 ** 31, -(2 ** 31), null, undefined, true),
      fc.string({ maxLength: 40, unit: 'binary' }),
      fc.constantFrom('\ud800', 'a\udc00b', '\udbff\udfff\ud800', 'x'.repeat(40), 'é'.repeat(100)),
      fc.bigInt(),
      fc.date({ noInvalidDate: false }),
      fc.constantFrom(/a+(b)?/giu, /^$/m, /[\u{1F600}]/u, /(?<year>\d{4})/d),
      fc.webUrl().map((href) => new URL(href)),
      fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
      fc.oneof(fc.int16Array({ maxLength: 4 }), fc.float64Array({ maxLength: 4 }), fc.bigInt64Array({ maxLength: 3 })),
      fc.tuple(fc.oneof(fc.integer(), fc.bigInt()), fc.string({ maxLength: 4 })).map(([n, c]) => new Money(n, c)),
      fc
        .tuple(fc.constantFrom('quota', 'type', 'range', 'unregistered', 'aggregate'), fc.string({ maxLength: 8 }))
        .map(([kind, message]) => makeError(kind, message)),
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 })
      .map((entries) => Object.fromEntries(entries) as unknown),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
    tie('value').map((cause) => new Error('with a cause', { cause })),
  ),
})).value;

function makeError(kind: string, message: string): Error {
  switch (kind) {
    case 'quota':
      return new QuotaExceededError(message, 3);
    case 'type':
      return new TypeError(message);
    case 'range':
      return Object.assign(new RangeError(message), { code: 'E_RANGE', extra: [1n] });
    case 'unregistered':
      return new UnregisteredError(message);
    default:
      return new AggregateError([new Error(message)], message);
  }
}

/** Rich values, some shared twice or holding a cycle. */
const richArgsValue: fc.Arbitrary<unknown[]> = fc.oneof(
  { weight: 3, arbitrary: richValue.map((value) => [value]) },
  { weight: 1, arbitrary: richValue.map((value) => [value, value]) },
  {
    weight: 1,
    arbitrary: richValue.map((value) => {
      const cyclic: Record<string, unknown> = { value };
      cyclic['self'] = cyclic;
      const list: unknown[] = [cyclic];
      list.push(list, new Map([[list, cyclic]]));
      return [list];
    }),
  },
);

/** How to damage a valid encoding. */
type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly xor: number }
  | { readonly kind: 'tag'; readonly at: number; readonly tag: number }
  | { readonly kind: 'huge'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at) => ({ kind: 'truncate' as const, at })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => ({ kind: 'flip' as const, at, xor })),
  fc.tuple(fc.nat(), anyTag).map(([at, tag]) => ({ kind: 'tag' as const, at, tag })),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom([0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0x0f], [0xc1, 0x84, 0x3d], [0x80, 0x80]),
    )
    .map(([at, bytes]) => ({ kind: 'huge' as const, at, bytes })),
  fc
    .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }))
    .map(([at, bytes]) => ({ kind: 'insert' as const, at, bytes })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([at, count]) => ({ kind: 'delete' as const, at, count })),
);

/** `bytes` with `mutations` applied; the format byte is kept (the first position a mutation can reach is 1). */
function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    if (out.length <= 1) break;
    const at = 1 + (m.at % (out.length - 1));
    switch (m.kind) {
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'flip':
        out[at] = (out[at] ?? 0) ^ m.xor;
        break;
      case 'tag':
        out[at] = m.tag;
        break;
      case 'huge':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at + m.bytes.length)]);
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.count)]);
        break;
    }
  }
  return out;
}

/** The codec's own encoding of rich arguments (a 'T' payload), damaged by one to three mutations, or none. */
export const mutatedTypedArgs: fc.Arbitrary<Buffer> = fc
  .tuple(richArgsValue, fc.array(mutation, { maxLength: 3 }))
  .map(([args, mutations]) => mutate(Buffer.from(typedCodec.encode(args)), mutations));

/**
 * Arguments for a TypedCodec service: hand-built and mutated 'T' payloads, random bytes after
 * the format byte, and (for its JSON fast path and format check) plain-JSON pollution and the
 * other codec's formats.
 */
export const typedCodecArgs: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: hostileTypedArgs },
  { weight: 4, arbitrary: mutatedTypedArgs },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map((bytes) => bytesOf(T.FORMAT, bytes)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map((bytes) => bytesOf(T.FORMAT, T.ARRAY, bytes)) },
  { weight: 1, arbitrary: pollutionText.map((text) => codecBytes(FORMAT_JSON, `[${text}]`)) },
  { weight: 1, arbitrary: argsBytes.map((bytes) => Buffer.from(bytes)) },
);

/** A size: mostly small, sometimes the largest, so that the full run stays within minutes. */
const size = (small: number, medium: number, large: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: small }) },
    { weight: 3, arbitrary: fc.integer({ min: small, max: medium }) },
    { weight: 1, arbitrary: fc.constant(large) },
  );

/** `count` copies of `item`. */
const repeated = (count: number, item: Buffer): Buffer =>
  item.length === 0 ? Buffer.alloc(0) : Buffer.alloc(count * item.length, item);

/** One level of nesting, around an inner value, in each collection the format has. */
const NESTINGS: readonly (readonly [string, Buffer, Buffer])[] = [
  ['arrays', bytesOf(T.ARRAY, 1), Buffer.alloc(0)],
  ['objects', bytesOf(T.OBJECT, 1, str('a')), Buffer.alloc(0)],
  ['Maps', bytesOf(T.MAP, 1, 0), Buffer.alloc(0)],
  ['Sets', bytesOf(T.SET, 1), Buffer.alloc(0)],
  ['Money bodies', bytesOf(T.CLASS, str('Money'), 1, str('a')), Buffer.alloc(0)],
  ['error causes', bytesOf(T.ERROR, str('Error'), str(''), T.TRUE), Buffer.of(0)],
];

/**
 * Typed arguments that cost the decoder far more than their bytes, at and over every limit:
 * a BigInt of up to a million digits, nesting up to 100,000 deep in each kind of collection,
 * an array, Set, Map and object of up to a million elements, a million references, strings of
 * up to a million characters and typed arrays of up to a million elements, and counts that
 * claim more than the frame holds.
 */
export const typedDecodeBudgetArgs: fc.Arbitrary<{ what: string; args: Buffer }> = fc.oneof(
  size(1_000, 100_000, 1_000_000).map((digits) => ({
    what: `a typed bigint of ${digits} digits`,
    args: typedArgs(bytesOf(T.BIGINT, leb128(digits), Buffer.alloc(digits, '9'))),
  })),
  fc.tuple(size(1_000, 10_000, 100_000), fc.constantFrom(...NESTINGS)).map(([depth, [kind, open, close]]) => ({
    what: `typed ${kind} nested ${depth} deep`,
    args: typedArgs(bytesOf(repeated(depth, open), T.NULL, repeated(depth, close))),
  })),
  fc.constantFrom(...NESTINGS).map(([kind, open, close]) => ({
    what: `typed ${kind} nested ${LIMITS.maxDepth} deep (the limit, with the argument array)`,
    args: typedArgs(bytesOf(repeated(LIMITS.maxDepth - 1, open), T.NULL, repeated(LIMITS.maxDepth - 1, close))),
  })),
  fc.tuple(size(10_000, 100_000, 1_000_000), fc.constantFrom('array', 'Set')).map(([count, kind]) => ({
    what: `a typed ${kind} of ${count} items`,
    args: typedArgs(bytesOf(kind === 'Set' ? T.SET : T.ARRAY, leb128(count), Buffer.alloc(count, 7))),
  })),
  fc.constantFrom(LIMITS.maxCollectionSize, LIMITS.maxCollectionSize + 1).map((count) => ({
    what: `a typed array of ${count} items`,
    args: typedArgs(bytesOf(T.ARRAY, leb128(count), Buffer.alloc(count, 0))),
  })),
  size(1_000, 100_000, 500_000).map((count) => ({
    what: `a typed Map of ${count} entries`,
    args: typedArgs(bytesOf(T.MAP, leb128(count), repeated(count, Buffer.of(1, 2)))),
  })),
  size(1_000, 10_000, 100_000).map((count) => ({
    what: `a typed object of ${count} keys`,
    args: typedArgs(
      bytesOf(T.OBJECT, leb128(count), ...Array.from({ length: count }, (_, i) => bytesOf(str(`k${i}`), 0))),
    ),
  })),
  size(1_000, 100_000, 1_000_000).map((count) => ({
    what: `${count} typed references to one object`,
    args: typedArgs(bytesOf(T.ARRAY, leb128(count + 1), T.OBJECT, 0, repeated(count, Buffer.of(T.REF, 1)))),
  })),
  size(1_000, 100_000, 1_000_000).map((length) => ({
    what: `a typed string of ${length} characters`,
    args: typedArgs(str('x'.repeat(length))),
  })),
  fc.constantFrom(LIMITS.maxStringLength + 1, 2 ** 31).map((units) => ({
    what: `a typed UTF-16 string claiming ${units} characters`,
    args: typedArgs(bytesOf(T.STR_UTF16, leb128(units), Buffer.alloc(64))),
  })),
  fc.tuple(size(1_000, 100_000, 1_000_001), fc.integer({ min: 0, max: TYPED_ARRAY_KINDS - 1 })).map(([count, kind]) => {
    const each = [1, 1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8][kind] ?? 1;
    return {
      what: `a typed array of kind ${kind} of ${count} elements`,
      args: typedArgs(bytesOf(T.TYPED_ARRAY, kind, leb128(count * each), Buffer.alloc(count * each))),
    };
  }),
  fc.constantFrom(T.ARRAY, T.OBJECT, T.MAP, T.SET).map((tag) => ({
    what: `a typed collection (tag ${tag}) claiming ${LIMITS.maxCollectionSize} elements in 8 bytes`,
    args: typedArgs(bytesOf(tag, leb128(LIMITS.maxCollectionSize), Buffer.alloc(8))),
  })),
  // The JSON fast path's budget (deep nesting, huge arrays, wide objects), and superjson's attacks, refused by their format byte.
  decodeBudgetArgs.map(({ what, args }) => ({ what: `(J/S) ${what}`, args })),
);
