import { RpcSerializationError } from '../errors/RpcSerializationError';
import type { ResolvedDecodeLimits } from './DecodeLimits';
import { checkJsonValue } from './checkJsonValue';
import { textAfterFormat, withFormat } from './formatBytes';

/** The format byte of a value written as plain JSON: the fast path of both built-in codecs. */
export const FORMAT_JSON = 0x4a; // 'J'

/** {@link FORMAT_JSON} followed by `value` as JSON in UTF-8; `value` must be plain (see `isPlainJson`). */
export function encodeJson(value: unknown): Buffer {
  return withFormat(FORMAT_JSON, JSON.stringify(value));
}

/**
 * The value of bytes written by {@link encodeJson}, checked against `limits` if it has more
 * than `uncheckedBytes` bytes of text (fewer cannot exceed the depth, string or collection
 * limits). V8's JSON.parse does not recurse: any depth parses, and is refused after.
 * @throws RpcDecodeLimitError for a value over a limit; RpcSerializationError for text that is not JSON.
 */
export function decodeJson(bytes: Uint8Array, limits: ResolvedDecodeLimits, uncheckedBytes: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(textAfterFormat(bytes));
  } catch (cause) {
    throw new RpcSerializationError(`Cannot deserialize: malformed JSON (${(cause as Error).message})`, { cause });
  }
  if (bytes.length - 1 > uncheckedBytes) checkJsonValue(value, limits, bytes.length - 1);
  return value;
}

/**
 * How many bytes of JSON text cannot hold a value over the depth, string or collection limits
 * of `limits`: nesting N + 1 deep takes more than N bytes, and so do a string of over N
 * characters and N + 1 elements. Text no longer than this is not checked.
 */
export function uncheckedJsonBytes(limits: ResolvedDecodeLimits): number {
  return Math.min(limits.maxDepth, limits.maxStringLength, limits.maxCollectionSize);
}
