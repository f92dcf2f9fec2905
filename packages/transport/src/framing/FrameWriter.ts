import { FRAME_HEADER_BYTES } from './FrameDecoder';

/** Where a {@link FrameWriter} writes: a socket, or anything with a `write`. */
export interface ByteSink {
  write(data: Uint8Array): unknown;
}

/**
 * Writes length-prefixed frames. Frames written in the same turn of the event loop are
 * coalesced into one write of the sink: under load, many small frames cost one system call.
 */
export class FrameWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private closed = false;

  /**
   * @param sink - Where frames go.
   * @param onFlush - Called after each write, e.g. to note when the connection last sent.
   */
  constructor(
    private readonly sink: ByteSink,
    private readonly onFlush: () => void = () => {},
  ) {}

  /** The number of bytes written but not yet flushed. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Queues one frame whose payload is the concatenation of `parts`. */
  write(...parts: Uint8Array[]): void {
    if (this.closed) return;
    let length = 0;
    for (const part of parts) length += part.length;
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeUInt32BE(length, 0);
    this.pending.push(header, ...parts);
    this.pendingBytes += FRAME_HEADER_BYTES + length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate, not nextTick: frames produced by promise callbacks of this turn join too.
      setImmediate(() => this.flush());
    }
  }

  /** Writes everything queued now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] as Uint8Array) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.sink.write(data);
    this.onFlush();
  }

  /** Drops what is queued; later writes are ignored. */
  close(): void {
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
