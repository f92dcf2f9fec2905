import { RpcDecodeLimitError } from '../../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../../errors/RpcSerializationError';
import type { ResolvedDecodeLimits } from '../DecodeLimits';
import { utf16Text, utf8Text } from '../../util/bufferText';
import { FIXSTR, MAX_FIXSTR_BYTES, STR8, STR16, STR32, STR_UTF16 } from './tags';

/** Short ASCII strings are decoded here; longer ones, and any with other characters, by Buffer. */
const MAX_ASCII_LOOP = 16;
/** Object keys of up to this many bytes are cached (see {@link ByteReader.readKey}), in this many slots. */
const MAX_CACHED_KEY = 24;
const KEY_CACHE_SIZE = 1024;
/** The cache of keys, shared by every reader: a slot holds the last key whose hash led there. */
const keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE).fill(undefined);

/**
 * Reads what the typed codec wrote: bytes, LEB128 lengths, numbers and strings, checking every
 * read against the end of the input and every string against `maxStringLength`. Malformed
 * input is refused with an `RpcSerializationError`, never read past its end.
 */
export class ByteReader {
  protected bytes: Buffer = Buffer.alloc(0);
  private view = new DataView(this.bytes.buffer);
  protected pos = 0;
  protected end = 0;

  constructor(protected readonly limits: ResolvedDecodeLimits) {}

  /** Starts reading `input`. */
  protected begin(input: Uint8Array): void {
    this.bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.pos = 0;
    this.end = input.byteLength;
  }

  /** Lets go of the input. */
  protected release(): void {
    this.bytes = Buffer.alloc(0);
    this.view = new DataView(this.bytes.buffer);
  }

  protected readByte(): number {
    if (this.pos >= this.end) throw truncated();
    return this.bytes[this.pos++] as number;
  }

  /** Skips `count` bytes, returning where they start. */
  protected skip(count: number): number {
    const at = this.pos;
    if (count > this.end - at) throw truncated();
    this.pos = at + count;
    return at;
  }

  /** A LEB128 whole number below 2^35: at most five bytes. */
  protected readLength(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.readByte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
    throw malformed('a length of more than five bytes');
  }

  /**
   * The count of a collection, refused over `maxCollectionSize`, or if the input left cannot
   * hold that many elements of at least `bytesEach` bytes.
   */
  protected readCount(what: string, bytesEach = 1): number {
    const count = this.readLength();
    if (count > this.limits.maxCollectionSize) {
      throw RpcDecodeLimitError.refusing(
        `${what} of ${count} elements`,
        'maxCollectionSize',
        this.limits.maxCollectionSize,
        count,
      );
    }
    if (count * bytesEach > this.end - this.pos) throw truncated();
    return count;
  }

  protected readInt32(): number {
    const at = this.skip(4);
    return this.view.getInt32(at, true);
  }

  protected readFloat64(): number {
    const at = this.skip(8);
    return this.view.getFloat64(at, true);
  }

  /** A string written by `ByteWriter.writeString`, whose tag is `tag`. */
  protected readStringOf(tag: number): string {
    if (tag >= FIXSTR && tag <= FIXSTR + MAX_FIXSTR_BYTES) return this.readUtf8(tag - FIXSTR);
    switch (tag) {
      case STR8:
        return this.readUtf8(this.readByte());
      case STR16: {
        const at = this.skip(2);
        return this.readUtf8(this.view.getUint16(at, true));
      }
      case STR32: {
        const at = this.skip(4);
        return this.readUtf8(this.view.getUint32(at, true));
      }
      case STR_UTF16:
        return this.readUtf16(this.readLength());
      default:
        throw malformed(`tag ${tag} where a string belongs`);
    }
  }

  /** A string value: its tag, then the string. */
  protected readString(): string {
    return this.readStringOf(this.readByte());
  }

  private readUtf8(length: number): string {
    const start = this.skip(length);
    if (length <= MAX_ASCII_LOOP && length <= this.limits.maxStringLength) {
      const bytes = this.bytes;
      let text = '';
      for (let i = start; i < start + length; i++) {
        const byte = bytes[i] as number;
        if (byte >= 0x80) return this.sliceUtf8(start, length);
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return this.sliceUtf8(start, length);
  }

  /**
   * An object key: as {@link ByteReader.readString}, but a short ASCII key is taken from a
   * cache of the keys read before, so that the same key is one string (already internalized
   * by V8 as a property name) rather than a new one each time.
   */
  protected readKey(): string {
    const tag = this.readByte();
    const length = tag - FIXSTR;
    if (length < 1 || length > MAX_CACHED_KEY || length > this.limits.maxStringLength) return this.readStringOf(tag);
    const start = this.skip(length);
    const bytes = this.bytes;
    let hash = length;
    for (let i = start; i < start + length; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) return this.sliceUtf8(start, length);
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    const slot = hash & (KEY_CACHE_SIZE - 1);
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    let key = '';
    for (let i = start; i < start + length; i++) key += String.fromCharCode(bytes[i] as number);
    keyCache[slot] = key;
    return key;
  }

  private sliceUtf8(start: number, length: number): string {
    const text = utf8Text(this.bytes, start, start + length);
    // UTF-8 of N bytes decodes to at most N UTF-16 code units.
    if (length > this.limits.maxStringLength) this.checkLength(text.length);
    return text;
  }

  private readUtf16(units: number): string {
    if (units > this.limits.maxStringLength) this.checkLength(units);
    const start = this.skip(units * 2);
    return utf16Text(this.bytes, start, start + units * 2);
  }

  private checkLength(length: number): void {
    const max = this.limits.maxStringLength;
    if (length > max) {
      throw RpcDecodeLimitError.refusing(`a string of ${length} characters`, 'maxStringLength', max, length);
    }
  }

  /** Refuses input left over after the value. */
  protected expectEnd(): void {
    if (this.pos !== this.end) throw malformed(`${this.end - this.pos} bytes after the value`);
  }
}

/** The error for input that the typed codec did not write. */
export function malformed(what: string, cause?: unknown): RpcSerializationError {
  return new RpcSerializationError(
    `Cannot deserialize: malformed typed input (${what})`,
    cause === undefined ? undefined : { cause },
  );
}

function truncated(): RpcSerializationError {
  return malformed('it ends early');
}
