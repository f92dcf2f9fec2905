import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import type { ResolvedDecodeLimits } from './DecodeLimits';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const SPACE = 0x20;

/**
 * Checks `bytes` from `start` on, valid JSON in UTF-8 (it has been parsed already), against the
 * depth, string and collection limits in one pass, without recursion and without building
 * anything: strings are measured in UTF-16 code units as decoded (an escape counts once),
 * arrays and objects by their elements. `wrapperDepth` levels around the value (1 for
 * superjson's `{"json": …, "meta": …}`) are not counted. Bytes are read rather than the
 * decoded text: it is about twice as fast.
 * @returns The bytes of the longest string (object keys included): at least its characters.
 * @throws RpcDecodeLimitError for the first limit found exceeded.
 */
export function scanJsonText(
  bytes: Uint8Array,
  start: number,
  limits: ResolvedDecodeLimits,
  wrapperDepth: number,
): number {
  const maxDepth = limits.maxDepth + wrapperDepth;
  const { maxStringLength, maxCollectionSize } = limits;
  const commas: number[] = [0];
  const end = bytes.length;
  let depth = 0;
  let longest = 0;
  let previous = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      const first = i + 1;
      for (let d = bytes[++i]; d !== QUOTE && i < end; d = bytes[++i]) if (d === BACKSLASH) i++;
      if (i - first > longest) {
        longest = i - first;
        if (longest > maxStringLength) checkString(bytes, first, i, maxStringLength);
      }
      previous = QUOTE;
    } else if (c === COMMA) {
      commas[depth] = (commas[depth] ?? 0) + 1;
      previous = c;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) throw tooDeep(bytes, start, limits.maxDepth, wrapperDepth);
      commas[depth] = 0;
      previous = c;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      const elements = previous === OPEN_ARRAY || previous === OPEN_OBJECT ? 0 : (commas[depth] ?? 0) + 1;
      if (elements > maxCollectionSize) {
        const what = c === CLOSE_ARRAY ? `an array of ${elements} elements` : `an object of ${elements} properties`;
        throw RpcDecodeLimitError.refusing(what, 'maxCollectionSize', maxCollectionSize, elements);
      }
      depth--;
      previous = c;
    } else if (c !== undefined && c > SPACE) {
      previous = c;
    }
  }
  return longest;
}

/**
 * Refuses the string written in `bytes` from `first` to `end` (its closing quote) if it
 * decodes to more than `max` UTF-16 code units: one per character below U+10000 and two above
 * (a 4-byte UTF-8 sequence, or two `\u` escapes), one per escape.
 */
function checkString(bytes: Uint8Array, first: number, end: number, max: number): void {
  let length = 0;
  for (let i = first; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b === BACKSLASH) i += bytes[i + 1] === LETTER_U ? 5 : 1;
    if (b < 0x80 || b >= 0xc0) length += b >= 0xf0 ? 2 : 1;
  }
  if (length > max) {
    throw RpcDecodeLimitError.refusing(`a string of ${length} characters`, 'maxStringLength', max, length);
  }
}

/** The error for nesting over `maxDepth`, with the depth of the deepest value in `bytes`. */
function tooDeep(bytes: Uint8Array, start: number, maxDepth: number, wrapperDepth: number): RpcDecodeLimitError {
  let depth = 0;
  let deepest = 0;
  const end = bytes.length;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      for (let d = bytes[++i]; d !== QUOTE && i < end; d = bytes[++i]) if (d === BACKSLASH) i++;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > deepest) deepest = depth;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  const actual = deepest - wrapperDepth;
  return RpcDecodeLimitError.refusing(`a value nested ${actual} deep`, 'maxDepth', maxDepth, actual);
}
