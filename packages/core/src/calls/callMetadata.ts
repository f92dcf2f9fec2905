import { describe as describeReceivedValue } from '../protocol/checkProtocolIdentity';

/** The most metadata entries one call may carry. */
export const MAX_METADATA_ENTRIES = 32;
/** The longest metadata key, in bytes (keys are ASCII). */
export const MAX_METADATA_KEY_BYTES = 64;
/** The longest metadata value, in UTF-8 bytes. */
export const MAX_METADATA_VALUE_BYTES = 1024;
/** The most bytes of one call's metadata, its keys' and values' UTF-8 bytes added up. */
export const MAX_METADATA_TOTAL_BYTES = 8192;
/** What a metadata key must look like: lower-case, as HTTP/2 header names. */
export const METADATA_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The bounds of a call's metadata, the same on every side: a caller's options are checked
 * against them, and a request from the wire that breaks them is refused.
 */
export const CALL_METADATA_LIMITS = {
  /** The most entries one call carries. */
  maxEntries: MAX_METADATA_ENTRIES,
  /** The longest key, in bytes. */
  maxKeyBytes: MAX_METADATA_KEY_BYTES,
  /** The longest value, in UTF-8 bytes. */
  maxValueBytes: MAX_METADATA_VALUE_BYTES,
  /** The most bytes of keys and values together. */
  maxTotalBytes: MAX_METADATA_TOTAL_BYTES,
} as const;

/**
 * Checks call metadata against the bounds: `undefined`, or a plain object of at most
 * {@link MAX_METADATA_ENTRIES} entries whose keys are 1 to {@link MAX_METADATA_KEY_BYTES} bytes
 * matching {@link METADATA_KEY_PATTERN} and whose values are strings of at most
 * {@link MAX_METADATA_VALUE_BYTES} UTF-8 bytes, all of it at most
 * {@link MAX_METADATA_TOTAL_BYTES} bytes.
 * @returns A sentence saying what is wrong (naming the key), or `undefined` if nothing is.
 */
export function checkCallMetadata(metadata: unknown): string | undefined {
  if (metadata === undefined) return undefined;
  if (!isRecord(metadata)) return `metadata is ${describeReceivedValue(metadata)}, not a plain object`;
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_ENTRIES) {
    return `metadata has ${keys.length} entries, over the limit of ${MAX_METADATA_ENTRIES}`;
  }
  let total = 0;
  for (const key of keys) {
    const problem = checkMetadataEntry(key, metadata[key]);
    if (problem !== undefined) return problem;
    total += key.length + Buffer.byteLength(metadata[key] as string, 'utf8');
  }
  if (total > MAX_METADATA_TOTAL_BYTES) {
    return `metadata is ${total} bytes in all, over the limit of ${MAX_METADATA_TOTAL_BYTES}`;
  }
  return undefined;
}

function checkMetadataEntry(key: string, value: unknown): string | undefined {
  if (key.length === 0 || key.length > MAX_METADATA_KEY_BYTES || !METADATA_KEY_PATTERN.test(key)) {
    return `metadata key ${quote(key)} is not 1 to ${MAX_METADATA_KEY_BYTES} characters of a-z, 0-9, '.', '_' and '-' starting with a letter or digit`;
  }
  if (typeof value !== 'string') {
    return `metadata ${quote(key)} is ${describeReceivedValue(value)}, not a string`;
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_METADATA_VALUE_BYTES) {
    return `metadata ${quote(key)} is ${bytes} bytes, over the limit of ${MAX_METADATA_VALUE_BYTES}`;
  }
  return undefined;
}

/** A key as quoted in a problem: a long one is cut, so that a hostile key cannot flood a log line. */
function quote(key: string): string {
  return key.length > MAX_METADATA_KEY_BYTES * 2
    ? `${JSON.stringify(key.slice(0, MAX_METADATA_KEY_BYTES))}…`
    : JSON.stringify(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
