/**
 * fast-check values for the typed codec's tests: what superjson keeps (Dates, Maps, Sets,
 * BigInts, undefined, special numbers, RegExps, URLs, errors, typed arrays, Buffers,
 * registered class instances, nested), and a description of a decoded value that shows its
 * types as well as its contents, so that two decoders can be compared.
 */
import fc from 'fast-check';
import { Money } from '@nact-rpc/testing';

/** Object keys, without `__proto__` (superjson refuses it). */
const keys = fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__');

/** Strings, lone surrogates included. */
const strings = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 }));

const leaves: fc.Arbitrary<unknown> = fc.oneof(
  strings,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(/a+b?/gi, /^\/x\.y$/mu, new RegExp('')).map((r) => new RegExp(r.source, r.flags)),
  fc.webUrl().map((href) => new URL(href)),
  fc.string({ maxLength: 10 }).map((message) => new TypeError(message)),
  fc.uint8Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 4 }),
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 4 }).map((n) => new Float64Array(n)),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(fc.oneof(fc.integer(), fc.bigInt()), fc.string({ maxLength: 4 }))
    .map(([amount, currency]) => new Money(amount, currency)),
);

/** Values superjson represents, nested (Map keys other than NaN). */
export const richValues: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaves,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(keys, tie('value'), { maxKeys: 5 }),
    // superjson loses the entries of a Map keyed by NaN (the typed codec keeps them).
    fc
      .array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 })
      .map((entries) => new Map(entries.filter(([key]) => !Number.isNaN(key)))),
    fc.array(tie('value'), { maxLength: 4 }).map((entries) => new Set(entries)),
  ),
})).value;

/**
 * `value` as plain data that tells its types apart: each object as its kind and contents
 * (a Date as its time, a class instance as its class and properties, a Set's entries in a
 * canonical order), -0 and NaN by name,
 * and an object met before as a reference to its number, so that shared references and
 * cycles show.
 */
export function describeValue(value: unknown, seen = new Map<object, number>()): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? '<-0>' : Number.isNaN(value) ? '<NaN>' : value;
  if (typeof value === 'bigint') return `<${value}n>`;
  if (value === undefined) return '<undefined>';
  if (typeof value !== 'object' || value === null) return value;
  const ref = seen.get(value);
  if (ref !== undefined) return { ref };
  seen.set(value, seen.size);
  const inner = (item: unknown): unknown => describeValue(item, seen);
  if (Array.isArray(value)) return { array: value.map(inner) };
  if (value instanceof Date) return { date: value.getTime() };
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [inner(k), inner(v)]) };
  // superjson re-adds the entries it converts, so the order of a Set's entries may change.
  if (value instanceof Set) return { set: sorted([...value].map(inner)) };
  if (value instanceof RegExp) return { regexp: [value.source, value.flags] };
  if (value instanceof URL) return { url: value.href };
  if (value instanceof Error) return { error: [value.name, value.message] };
  if (ArrayBuffer.isView(value)) {
    const elements = Array.from(value as unknown as ArrayLike<unknown>, inner);
    return { [Buffer.isBuffer(value) ? 'Buffer' : value.constructor.name]: elements };
  }
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const kind = prototype === Object.prototype ? 'object' : `class ${prototype?.constructor?.name ?? 'null'}`;
  return { [kind]: Object.entries(value).map(([k, v]) => [k, inner(v)]) };
}

function sorted(described: unknown[]): unknown[] {
  const text = (item: unknown): string => JSON.stringify(item) ?? '';
  return described.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
