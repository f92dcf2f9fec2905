import { writeUtf16, writeUtf8 } from '../../util/bufferText';
import type { BufferPool } from './BufferPool';
import { FIXSTR, MAX_FIXSTR_BYTES, STR8, STR16, STR32, STR_UTF16 } from './tags';

/** The size of a writer's buffer at first, and the most it keeps between values. */
const INITIAL_BYTES = 8 * 1024;
const KEPT_BYTES = 1024 * 1024;
/** A value larger than this is handed over in the buffer it was written in, not copied out. */
const HANDED_OVER_BYTES = 64 * 1024;

/**
 * A growable buffer that the typed codec writes a value into: bytes, LEB128 lengths, numbers
 * and strings. {@link ByteWriter.finish} copies what was written out and starts over, so that
 * one buffer serves every value a codec encodes. A large value's buffer is handed over instead,
 * and comes from the pool of buffers given back once sent, when one fits.
 */
export class ByteWriter {
  protected buffer: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  protected pos = 0;
  /** The first buffer, kept while a large value is written elsewhere, to start over with. */
  private small: Buffer | undefined;

  constructor(private readonly pool?: BufferPool) {}

  /** Makes room for `bytes` more bytes. */
  protected reserve(bytes: number): void {
    if (this.pos + bytes > this.buffer.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    const size = Math.max(this.buffer.length * 2, this.pos + bytes);
    const next = (size > HANDED_OVER_BYTES ? this.pool?.take(size) : undefined) ?? Buffer.allocUnsafeSlow(size);
    this.buffer.copy(next, 0, 0, this.pos);
    if (this.buffer.length === INITIAL_BYTES) this.small = this.buffer;
    this.use(next);
  }

  private use(buffer: Buffer): void {
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  /** Goes back to the first buffer (or a new one like it). */
  private startOver(): void {
    this.use(this.small ?? Buffer.allocUnsafeSlow(INITIAL_BYTES));
    this.small = undefined;
  }

  /** Starts a value: the format byte. */
  protected start(format: number): void {
    this.pos = 0;
    this.buffer[this.pos++] = format;
  }

  /**
   * What was written since {@link ByteWriter.start}, and the buffer is then reused: a copy, or
   * for a large value that fills its buffer to within a quarter the buffer itself (the writer
   * starts over with its first one), since copying a large value costs more than a buffer. A buffer much
   * larger than its value (a string's room for three bytes a character) is not handed over:
   * whoever keeps the value, a connection's queued output say, would keep all of it.
   */
  protected finish(): Buffer {
    if (this.pos > HANDED_OVER_BYTES && this.buffer.length - this.pos <= this.pos >>> 2) {
      const whole = this.buffer.subarray(0, this.pos);
      this.pool?.handOver(this.buffer);
      this.pos = 0;
      this.startOver();
      return whole;
    }
    const out = Buffer.allocUnsafe(this.pos);
    this.buffer.copy(out, 0, 0, this.pos);
    this.pos = 0;
    if (this.buffer.length > KEPT_BYTES) this.startOver();
    return out;
  }

  protected writeByte(byte: number): void {
    if (this.pos >= this.buffer.length) this.grow(1);
    this.buffer[this.pos++] = byte;
  }

  /** A tag and a byte after it. */
  protected writeTagged(tag: number, byte: number): void {
    this.reserve(2);
    this.buffer[this.pos++] = tag;
    this.buffer[this.pos++] = byte;
  }

  /** A whole number from 0 to 2^31 - 1 in LEB128: 7 bits a byte, low bits first. */
  protected writeLength(length: number): void {
    this.reserve(5);
    while (length > 0x7f) {
      this.buffer[this.pos++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    this.buffer[this.pos++] = length;
  }

  protected writeInt32(tag: number, value: number): void {
    this.reserve(5);
    this.buffer[this.pos++] = tag;
    this.view.setInt32(this.pos, value, true);
    this.pos += 4;
  }

  protected writeFloat64(tag: number, value: number): void {
    this.reserve(9);
    this.buffer[this.pos++] = tag;
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Raw bytes. */
  protected writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * A string: in UTF-8 after a header of its byte length, or (if it holds a lone surrogate,
   * which UTF-8 cannot represent) as UTF-16 code units after {@link STR_UTF16}.
   */
  protected writeString(text: string): void {
    const length = text.length;
    if (length <= MAX_FIXSTR_BYTES) {
      if (!this.writeShortString(text, length)) this.writeUtf16(text);
      return;
    }
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return this.writeUtf16(text);
    const most = length * 3;
    const header = most < 0x100 ? 2 : most < 0x10000 ? 3 : 5;
    this.reserve(header + most);
    const at = this.pos;
    const bytes = writeUtf8(this.buffer, text, at + header);
    if (header === 2) {
      this.buffer[at] = STR8;
      this.buffer[at + 1] = bytes;
    } else if (header === 3) {
      this.buffer[at] = STR16;
      this.view.setUint16(at + 1, bytes, true);
    } else {
      this.buffer[at] = STR32;
      this.view.setUint32(at + 1, bytes, true);
    }
    this.pos = at + header + bytes;
  }

  /** A string of at most 31 characters, encoded here; `false` (nothing written) at a lone surrogate. */
  private writeShortString(text: string, length: number): boolean {
    this.reserve(2 + length * 3);
    const buffer = this.buffer;
    const first = this.pos + 1;
    let at = first;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        buffer[at++] = c;
      } else if (c < 0x800) {
        buffer[at++] = 0xc0 | (c >> 6);
        buffer[at++] = 0x80 | (c & 0x3f);
      } else if ((c & 0xf800) !== 0xd800) {
        buffer[at++] = 0xe0 | (c >> 12);
        buffer[at++] = 0x80 | ((c >> 6) & 0x3f);
        buffer[at++] = 0x80 | (c & 0x3f);
      } else {
        const low = i + 1 < length ? text.charCodeAt(i + 1) : 0;
        if (c >= 0xdc00 || (low & 0xfc00) !== 0xdc00) return false;
        const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        buffer[at++] = 0xf0 | (point >> 18);
        buffer[at++] = 0x80 | ((point >> 12) & 0x3f);
        buffer[at++] = 0x80 | ((point >> 6) & 0x3f);
        buffer[at++] = 0x80 | (point & 0x3f);
      }
    }
    const bytes = at - first;
    if (bytes <= MAX_FIXSTR_BYTES) {
      buffer[this.pos] = FIXSTR | bytes;
    } else {
      buffer.copyWithin(first + 1, first, at);
      buffer[this.pos] = STR8;
      buffer[first] = bytes;
      at++;
    }
    this.pos = at;
    return true;
  }

  private writeUtf16(text: string): void {
    this.reserve(6 + text.length * 2);
    this.buffer[this.pos++] = STR_UTF16;
    this.writeLength(text.length);
    this.pos += writeUtf16(this.buffer, text, this.pos);
  }
}
