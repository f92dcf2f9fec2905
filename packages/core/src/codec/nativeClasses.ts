/**
 * The classes both built-in codecs write without registration: the typed arrays (`Buffer`
 * first, in the order of `TypedCodec`'s typed-array kinds on the wire), and the other classes
 * superjson and `TypedCodec` rebuild natively.
 */

/** `Buffer` and the typed arrays, in the order `TypedCodec` numbers them on the wire (0 to 11). */
export const TYPED_ARRAY_CLASSES: readonly unknown[] = [
  Buffer,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** Every class a built-in codec writes without registration. */
export const NATIVE_CLASSES: ReadonlySet<unknown> = new Set<unknown>([
  Date,
  RegExp,
  URL,
  Error,
  Map,
  Set,
  ...TYPED_ARRAY_CLASSES,
]);
