/** The most bytes a pool keeps for reuse: what a busy connection has in flight of large values. */
export const POOL_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The large buffers a codec handed over with values it encoded, given back once sent, so that
 * the next large value is written into one of them instead of a new buffer. Allocating a large
 * buffer for every value costs little in itself, but the memory outside the heap that they add
 * up to makes the garbage collector run full collections: a stream of 64 KiB values ran at half
 * the speed it runs at with the buffers reused.
 *
 * Only buffers the pool itself marked as handed over are taken back, and each at most once per
 * hand-over, so bytes the codec did not make, or gives back twice, never end up written to. It
 * keeps at most {@link POOL_MAX_BYTES}; a buffer given back beyond that is left to the collector.
 */
export class BufferPool {
  /** Buffers handed over and not yet given back. */
  private readonly out = new WeakSet<ArrayBufferLike>();
  /** Buffers ready for reuse, the latest last. */
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  constructor(private readonly maxBytes = POOL_MAX_BYTES) {}

  /** Notes that `buffer` (a whole buffer of the pool's kind) is handed over with a value. */
  handOver(buffer: Buffer): void {
    this.out.add(buffer.buffer);
  }

  /**
   * A free buffer of at least `min` bytes and at most a quarter more, the latest given back
   * first, or `undefined` if none fits.
   */
  take(min: number): Buffer | undefined {
    const { free } = this;
    const most = min + (min >>> 2);
    for (let i = free.length - 1; i >= 0; i--) {
      const buffer = free[i] as Buffer;
      if (buffer.length < min || buffer.length > most) continue;
      free[i] = free[free.length - 1] as Buffer;
      free.pop();
      this.freeBytes -= buffer.length;
      return buffer;
    }
    return undefined;
  }

  /**
   * Takes back `bytes` if they are a buffer this pool handed over and has not taken back since;
   * anything else is ignored.
   * @returns Whether the buffer was taken back for reuse.
   */
  giveBack(bytes: Uint8Array): boolean {
    const whole = bytes.buffer;
    if (!this.out.delete(whole)) return false;
    if (bytes.byteOffset !== 0 || this.freeBytes + whole.byteLength > this.maxBytes) return false;
    this.free.push(Buffer.from(whole, 0, whole.byteLength));
    this.freeBytes += whole.byteLength;
    return true;
  }

  /** The bytes of the buffers ready for reuse. */
  get bytesFree(): number {
    return this.freeBytes;
  }
}
