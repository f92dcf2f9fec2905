/**
 * The typed codec's wire format. An encoded value is the format byte {@link FORMAT_TYPED}
 * followed by one value. A value is a tag byte and what the tag says follows:
 *
 * - `0x00`–`0x7f`: the whole number 0–127 itself.
 * - `0xa0`–`0xbf`: a string of 0–31 bytes of UTF-8, the bytes following.
 * - {@link STR8}, {@link STR16}, {@link STR32}: a string, its byte length in 1, 2 or 4 bytes
 *   (little-endian), then its UTF-8.
 * - {@link INT32}: a whole number in 4 bytes; {@link FLOAT64}: any other number (NaN,
 *   ±Infinity and -0 included) in 8 bytes, little-endian.
 * - {@link ARRAY}, {@link SET}: a count (LEB128) and that many values; {@link OBJECT}: a
 *   count and that many key (a string) and value pairs; {@link MAP}: a count and that many
 *   key and value pairs of any values.
 * - {@link DATE}: its time as a float64 (NaN for an invalid Date); {@link BIGINT}: its
 *   decimal digits as a string; {@link REGEXP}: source and flags as strings; {@link URL_TAG}:
 *   its href as a string.
 * - {@link ERROR}: name and message as strings, a cause (a value, {@link UNDEFINED} for
 *   none) and its other own enumerable properties as an object body (count, pairs).
 * - {@link TYPED_ARRAY}: a kind (an index into {@link TYPED_ARRAY_KINDS}), a byte length
 *   (LEB128) and the raw bytes in the machine's byte order (little-endian on every platform
 *   Node supports).
 * - {@link CLASS}: the registered identifier as a string, then an object body.
 * - {@link REF}: an index (LEB128) into the objects decoded so far, in the order their tags
 *   were read: a shared reference or a cycle.
 */

import { TYPED_ARRAY_CLASSES } from '../nativeClasses';
export const FORMAT_TYPED = 0x54; // 'T'

export const MAX_FIXINT = 0x7f;
export const FIXSTR = 0xa0;
export const MAX_FIXSTR_BYTES = 31;

export const NULL = 0x80;
export const UNDEFINED = 0x81;
export const FALSE = 0x82;
export const TRUE = 0x83;
export const INT32 = 0x84;
export const FLOAT64 = 0x85;
export const STR8 = 0x86;
export const STR16 = 0x87;
export const STR32 = 0x88;
export const ARRAY = 0x89;
export const OBJECT = 0x8a;
export const MAP = 0x8b;
export const SET = 0x8c;
export const DATE = 0x8d;
export const BIGINT = 0x8e;
export const REGEXP = 0x8f;
export const URL_TAG = 0x90;
export const ERROR = 0x91;
export const TYPED_ARRAY = 0x92;
export const CLASS = 0x93;
export const REF = 0x94;

/** A typed array's constructor, as far as the codec uses it. */
export type TypedArrayClass = (new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView) & {
  readonly BYTES_PER_ELEMENT: number;
};

/** The typed arrays the codec writes, by their kind byte; `Buffer` is written as kind 0. */
export const TYPED_ARRAY_KINDS = TYPED_ARRAY_CLASSES as readonly TypedArrayClass[];

/** The kind byte of each typed array class. */
export const TYPED_ARRAY_KIND: ReadonlyMap<unknown, number> = new Map(
  TYPED_ARRAY_KINDS.map((kind, index) => [kind, index]),
);
/** A string holding a lone surrogate: its length in UTF-16 code units (LEB128), then them. */
export const STR_UTF16 = 0x95;
