import { utf8Text } from '@nact-rpc/core/internal';

/** The longest name, in bytes, the cache keeps; longer ones are decoded every time. */
const MAX_NAME_BYTES = 64;
/** The number of entries: 2^{@link ENTRY_BITS}. */
const ENTRY_BITS = 4;
const ENTRIES = 1 << ENTRY_BITS;

/**
 * The names a request carries (endpoint id, protocol, method) decoded once and reused. Most
 * requests repeat the names of the ones before them, and decoding them into new strings was
 * about 3.5% of a server's CPU on remote asks at 100 in flight (190 ms of 5.4 s in a profile):
 * a name found here costs a comparison of its bytes and no allocation.
 *
 * An entry is picked by a hash of the name's length and its first, middle and last bytes; a
 * name that is not there is decoded and replaces that entry. Keep one cache per field, so that
 * the names of one field do not push out those of another. The bytes are compared in full, so
 * a name read from the cache is the one its bytes spell. The cache holds at most
 * {@link ENTRIES} names of at most {@link MAX_NAME_BYTES} bytes each, whatever a peer sends.
 */
export class NameCache {
  private readonly bytes: (Buffer | undefined)[] = new Array<Buffer | undefined>(ENTRIES).fill(undefined);
  private readonly names: string[] = new Array<string>(ENTRIES).fill('');

  /** The UTF-8 text of `buffer` from `start` to `end`. */
  text(buffer: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_NAME_BYTES) return utf8Text(buffer, start, end);
    const key =
      length ^
      ((buffer[start] as number) << 8) ^
      ((buffer[start + (length >> 1)] as number) << 16) ^
      ((buffer[end - 1] as number) << 24);
    const entry = Math.imul(key, 0x9e3779b1) >>> (32 - ENTRY_BITS);
    const known = this.bytes[entry];
    if (known !== undefined && known.length === length && sameBytes(known, buffer, start)) {
      return this.names[entry] as string;
    }
    const name = utf8Text(buffer, start, end);
    this.bytes[entry] = Buffer.from(buffer.subarray(start, end));
    this.names[entry] = name;
    return name;
  }
}

/** Whether `known` equals the bytes of `buffer` from `start` on, over `known`'s length. */
function sameBytes(known: Buffer, buffer: Buffer, start: number): boolean {
  for (let i = 0; i < known.length; i++) if (known[i] !== buffer[start + i]) return false;
  return true;
}
