import { exceedsMaxFrameSize, RingQueue } from '@nact-rpc/core/internal';
import { FRAME_HEADER_BYTES, readLengthPrefix } from '../wire/wireFormat';

/** Raised by {@link FrameDecoder.push} when a frame declares a length over the maximum. */
export class FrameTooLargeError extends Error {
  constructor(
    readonly declaredLength: number,
    readonly maxFrameSize: number,
  ) {
    super(`a frame declares ${declaredLength} bytes, over the maximum frame size of ${maxFrameSize} bytes`);
    this.name = 'FrameTooLargeError';
  }
}

/**
 * Splits a byte stream into frames: a length prefix, then that many bytes of payload. Chunks
 * may split frames anywhere (even inside the length) or hold many frames. A declared length
 * over the maximum is refused before any buffer for it is allocated.
 *
 * The chunks of a frame not yet complete wait in a `RingQueue`, not an array used as a queue:
 * a connection's decoder lives long, and an array it outgrew would keep the chunks it held
 * then (a large frame's, 64 KiB each) from the young generation's collector after the frame
 * was read (see `RingQueue`).
 */
export class FrameDecoder {
  private readonly chunks = new RingQueue<Buffer>();
  /** How many bytes of the first chunk were taken already. */
  private firstTaken = 0;
  private buffered = 0;
  /** The payload length of the frame being read, or -1 while its header is incomplete. */
  private expected = -1;
  /** Frames returned so far. */
  private frames = 0;

  constructor(private maxFrameSize: number) {}

  /** Changes the largest frame accepted from now on (a frame already declared keeps its check). */
  setMaxFrameSize(maxFrameSize: number): void {
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Adds a chunk and calls `onFrame` for every frame it completes, in order.
   * @returns The number of frames the chunk completed.
   * @throws FrameTooLargeError when a frame declares a length over the maximum; the decoder
   *   must not be used afterwards (the connection is to be closed).
   */
  push(chunk: Buffer, onFrame: (payload: Buffer) => void): number {
    const before = this.frames;
    if (this.buffered === 0 && this.expected < 0) {
      chunk = this.decodeWhole(chunk, onFrame);
      if (chunk.length === 0) return this.frames - before;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < FRAME_HEADER_BYTES) return this.frames - before;
        this.expected = this.checkLength(readLengthPrefix(this.take(FRAME_HEADER_BYTES), 0));
      }
      if (this.buffered < this.expected) return this.frames - before;
      const payload = this.take(this.expected);
      this.expected = -1;
      this.frames++;
      onFrame(payload);
    }
  }

  /** Bytes received but not yet returned as frames, the header of a partial frame included. */
  get bufferedBytes(): number {
    return this.buffered + (this.expected < 0 ? 0 : FRAME_HEADER_BYTES);
  }

  /**
   * The common case: a chunk that starts at a frame boundary. Its complete frames are
   * returned as views of the chunk, without copying; the rest is returned.
   */
  private decodeWhole(chunk: Buffer, onFrame: (payload: Buffer) => void): Buffer {
    let offset = 0;
    while (chunk.length - offset >= FRAME_HEADER_BYTES) {
      const length = this.checkLength(readLengthPrefix(chunk, offset));
      if (chunk.length - offset - FRAME_HEADER_BYTES < length) break;
      const start = offset + FRAME_HEADER_BYTES;
      offset = start + length;
      this.frames++;
      onFrame(chunk.subarray(start, offset));
    }
    return offset === 0 ? chunk : chunk.subarray(offset);
  }

  /** Refuses a declared length over the maximum. It leaves out the length prefix: see `exceedsMaxFrameSize`. */
  private checkLength(length: number): number {
    if (exceedsMaxFrameSize(length, this.maxFrameSize)) throw new FrameTooLargeError(length, this.maxFrameSize);
    return length;
  }

  /** Removes and returns the next `count` buffered bytes (a view when they lie in one chunk). */
  private take(count: number): Buffer {
    if (count === 0) return Buffer.alloc(0);
    this.buffered -= count;
    const first = this.chunks.peek() as Buffer;
    const start = this.firstTaken;
    if (first.length - start > count) {
      this.firstTaken = start + count;
      return first.subarray(start, start + count);
    }
    if (first.length - start === count) {
      this.chunks.shift();
      this.firstTaken = 0;
      return start === 0 ? first : first.subarray(start);
    }
    const result = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks.peek() as Buffer;
      const from = this.firstTaken;
      const used = Math.min(chunk.length - from, count - filled);
      chunk.copy(result, filled, from, from + used);
      filled += used;
      if (from + used === chunk.length) {
        this.chunks.shift();
        this.firstTaken = 0;
      } else {
        this.firstTaken = from + used;
      }
    }
    return result;
  }
}
