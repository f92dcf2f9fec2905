import { utf8Text, writeUtf8 } from '../util/bufferText';

/** The size of a slab that short encoded values are cut from, as Node's own buffer pool. */
const SLAB_BYTES = 8 * 1024;
/** Values that may take more than this many bytes get a buffer of their own. */
const MAX_SLAB_VALUE_BYTES = SLAB_BYTES >>> 1;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/**
 * A format byte followed by `text` in UTF-8. Short values are written straight into a shared
 * slab and returned as a view of it, as `Buffer.from(text)` does with Node's pool: no count of
 * the UTF-8 bytes first, no copy after. A view is never written again once returned.
 */
export function withFormat(format: number, text: string): Buffer {
  const most = 1 + text.length * 3;
  if (most > MAX_SLAB_VALUE_BYTES) {
    const buffer = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
    buffer[0] = format;
    writeUtf8(buffer, text, 1);
    return buffer;
  }
  if (most > SLAB_BYTES - slabUsed) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const start = slabUsed;
  slab[start] = format;
  const end = start + 1 + writeUtf8(slab, text, start + 1);
  // The next value starts 8-aligned, as in Node's pool.
  slabUsed = (end + 7) & ~7;
  return slab.subarray(start, end);
}

/** The UTF-8 text after the format byte of `bytes` (not wrapped again if it is a Buffer already). */
export function textAfterFormat(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return utf8Text(buffer, 1, buffer.length);
}
