import { runtimeImmediate } from '@nact-rpc/core/internal';
import { FRAME_HEADER_BYTES, stampCallId, writeLengthPrefix } from '../wire/wireFormat';
import type { ByteSink } from './ByteSink';
import type { OutputBound } from './OutputBound';
import { TellBatches } from './TellBatches';

export type { ByteSink } from './ByteSink';

/**
 * The largest first buffer of a batch: just under Node's pool threshold, so that it is carved
 * from a shared slab instead of allocated alone.
 */
const FIRST_CHUNK_BYTES = 4 * 1024 - 1;
/**
 * The smallest first buffer of a batch. The first buffer is sized from the batch before (twice
 * its bytes, between this and {@link FIRST_CHUNK_BYTES}): an idle connection's ping costs a few
 * dozen bytes of the pool, a busy one's batch still fits one buffer.
 */
const MIN_FIRST_CHUNK_BYTES = 64;
/** The size of the further buffers of a busy batch; a larger frame gets a buffer of its own. */
const CHUNK_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/**
 * A body this large is not copied into the batch: the batch refers to it, and it goes out with
 * the frames around it in one corked write. Below it, a copy costs less than a buffer more.
 */
const LARGE_BODY_BYTES = 64 * 1024;
/**
 * A batch is sent once it holds this many frames, without waiting for the end of the turn: the
 * peer, another process, starts on the first calls while this side writes the rest, so that the
 * two work at the same time rather than in turns. With 100 asks in flight between two
 * processes, that took throughput from about 70,000 to about 120,000 calls/s at the same CPU per
 * call; the extra system calls cost little next to it.
 */
export const MAX_BATCH_FRAMES = 32;

/**
 * Writes length-prefixed frames. Frames are copied into a buffer as they are written, and
 * frames written in the same turn of the event loop go out in one write of the sink (or one
 * write every {@link MAX_BATCH_FRAMES} frames): under load, many small frames cost one system
 * call and no allocation each. A call's body of {@link LARGE_BODY_BYTES} or more is not copied
 * but queued as it is, the batch then goes out in one corked write of its parts, and the body
 * is handed to `recycle` once the sink has sent it. A connection that carries one call at a
 * time (its last turn wrote at most one frame) sends a turn's first frame at once, as it is
 * written, and batches the rest: a lone call does not wait for the end of the turn. Between
 * batches the writer holds no buffer, so an idle connection costs no memory for it.
 */
export class FrameWriter {
  private chunk: Buffer = EMPTY;
  /** Where the bytes not yet flushed begin in `chunk`. */
  private start = 0;
  /** Where the next frame goes in `chunk`. */
  private offset = 0;
  /** Regions of earlier chunks that filled up before the flush, and large bodies. */
  private filled: Uint8Array[] = [];
  /** The large bodies among {@link filled}, given back once sent. */
  private bodies: Uint8Array[] = [];
  private filledBytes = 0;
  /** The size of the next batch's first buffer: twice the last batch, within bounds. */
  private firstChunkBytes = MIN_FIRST_CHUNK_BYTES;
  private flushScheduled = false;
  /** Frames written since the last scheduled flush: the size of this turn's batch so far. */
  private framesThisTurn = 0;
  /** Frames written and not yet sent. */
  private framesUnsent = 0;
  /**
   * Whether the next turn's first frame goes out at once: the turn before wrote at most one
   * frame, so the connection is carrying one call at a time and a batch would only add a hop.
   */
  private sendFirstAtOnce = false;
  /** Set by {@link reserve} when the frame being written is to be sent as soon as it is written. */
  private sendWhenWritten = false;
  private closed = false;
  /** The sink's `writableLength` when last read: at each flush, and when the limit seems reached. */
  private sinkWaiting = 0;
  /** Tells (request frames with call id 0) among the bytes not yet flushed. */
  private unflushedTells = 0;
  /** The flushed batches with tells not known to have left; `undefined` once closed. */
  private tellBatches: TellBatches | undefined = new TellBatches();

  /**
   * @param sink - Where frames go.
   * @param onFlush - Called after each write, e.g. to note when the connection last sent.
   * @param bound - The output limit; without it, the writer holds whatever it is given.
   * @param recycle - Given each large body once the sink has sent it (a codec's `recycle`).
   */
  constructor(
    private readonly sink: ByteSink,
    private readonly onFlush: () => void = () => {},
    private readonly bound?: OutputBound,
    private readonly recycle?: (body: Uint8Array) => void,
  ) {}

  /** The number of bytes written but not yet flushed. */
  get bufferedBytes(): number {
    return this.filledBytes + this.offset - this.start;
  }

  /** Queues one frame whose payload is the concatenation of `parts`. */
  write(...parts: Uint8Array[]): void {
    if (this.closed) return;
    let length = 0;
    for (const part of parts) length += part.length;
    if (this.overBound(FRAME_HEADER_BYTES + length, false)) return;
    let at = this.reserve(length);
    for (const part of parts) {
      this.chunk.set(part, at);
      at += part.length;
    }
    if (this.sendWhenWritten) this.sendNow();
  }

  /**
   * Queues one frame whose payload is `header` with `callId` written into it, followed by
   * `body`: a request or response, whose header differs from call to call only by its call
   * id, so one header serves every call and is copied straight into the batch. Call id 0 is a
   * tell, counted among the tells a dead connection could not deliver (see {@link close}). A
   * body of {@link LARGE_BODY_BYTES} or more is kept until it is flushed, not copied: the caller
   * must not write to it again (a codec's output, made for this frame).
   */
  writeCall(header: Uint8Array, callId: number, body: Uint8Array): void {
    if (this.closed) return;
    if (this.overBound(FRAME_HEADER_BYTES + header.length + body.length, callId === 0)) return;
    if (callId === 0) this.unflushedTells++;
    if (body.length >= LARGE_BODY_BYTES) {
      this.writeLargeCall(header, callId, body);
    } else {
      const at = this.reserve(header.length + body.length);
      this.chunk.set(header, at);
      stampCallId(this.chunk, at, callId);
      this.chunk.set(body, at + header.length);
    }
    if (this.sendWhenWritten) this.sendNow();
  }

  /**
   * A call whose body is not copied: the length prefix and header go into the batch, the body
   * is queued as it is (the codec made it for this frame alone, and nothing writes to it again).
   */
  private writeLargeCall(header: Uint8Array, callId: number, body: Uint8Array): void {
    const at = this.reserve(header.length + body.length, header.length);
    this.chunk.set(header, at);
    stampCallId(this.chunk, at, callId);
    this.filled.push(this.chunk.subarray(this.start, this.offset), body);
    if (this.recycle !== undefined) this.bodies.push(body);
    this.filledBytes += this.offset - this.start + body.length;
    this.start = this.offset;
  }

  /**
   * Writes everything queued now. The scheduled flush at the end of a turn calls it too, and
   * notes how many frames the turn wrote: a turn of at most one frame makes the next turn send
   * its first frame at once.
   */
  flush(): void {
    this.flushScheduled = false;
    this.sendFirstAtOnce = this.framesThisTurn <= 1;
    this.framesThisTurn = 0;
    this.sendNow();
  }

  /** Sends what is queued (the turn's flush stays scheduled, for frames written after it). */
  private sendNow(): void {
    this.sendWhenWritten = false;
    this.framesUnsent = 0;
    if (this.closed || this.bufferedBytes === 0) return;
    const current = this.chunk.subarray(this.start, this.offset);
    const length = this.filledBytes + current.length;
    const { filled, bodies } = this;
    // The sink may hold on to the bytes until they are sent: the next batch gets a new buffer.
    this.chunk = EMPTY;
    this.start = 0;
    this.offset = 0;
    this.filled = [];
    this.filledBytes = 0;
    if (bodies.length > 0) this.bodies = [];
    this.firstChunkBytes = Math.min(FIRST_CHUNK_BYTES, Math.max(MIN_FIRST_CHUNK_BYTES, 2 * length));
    if (filled.length === 0) {
      this.sink.write(current);
    } else if (this.sink.cork !== undefined && this.sink.uncork !== undefined) {
      // One system call for every part, without copying them into one buffer.
      // The batch's last write says when all of it is sent (writes complete in order).
      const sent = bodies.length > 0 ? this.recycleOnceSent(bodies) : undefined;
      const last = current.length > 0 ? filled.length : filled.length - 1;
      this.sink.cork();
      for (let i = 0; i < filled.length; i++) this.sink.write(filled[i] as Uint8Array, i === last ? sent : undefined);
      if (current.length > 0) this.sink.write(current, sent);
      this.sink.uncork();
    } else {
      this.sink.write(Buffer.concat([...filled, current], length));
      for (const body of bodies) this.recycle?.(body);
    }
    this.sinkWaiting = this.sink.writableLength ?? 0;
    this.tellBatches?.flushed(length, this.unflushedTells, this.sinkWaiting);
    this.unflushedTells = 0;
    this.onFlush();
  }

  /**
   * The callback of a batch's last write, which the sink calls once the batch is sent: the
   * batch's large bodies go back to the codec. After a failed write they do not: the sink may
   * still refer to them.
   */
  private recycleOnceSent(bodies: Uint8Array[]): (error?: Error | null) => void {
    return (error) => {
      if (error !== undefined && error !== null) return;
      for (const body of bodies) this.recycle?.(body);
    };
  }

  /**
   * Drops what is queued; later writes are ignored.
   * @returns The tells it could not deliver: those not flushed, and those in batches the sink
   *   has not handed to the network in full (by its `writableLength`; once the sink is
   *   destroyed, as of the last flush). Tells already handed to the network may be lost too.
   *   A second close returns 0.
   */
  close(): number {
    if (this.tellBatches === undefined) return 0;
    if (this.sink.destroyed !== true) this.sinkWaiting = this.sink.writableLength ?? 0;
    this.closed = true;
    this.filled = [];
    this.bodies = [];
    this.filledBytes = 0;
    this.start = this.offset;
    const undelivered = this.unflushedTells + this.tellBatches.undelivered(this.sinkWaiting);
    this.unflushedTells = 0;
    this.tellBatches = undefined;
    return undelivered;
  }

  /**
   * Whether a frame of `size` bytes would take the bytes waiting past the output limit. The
   * common case is one addition and one comparison, against the sink's backlog as of the last
   * flush; only when that says "over" is the sink asked again (it may have drained since). Over
   * the limit, the frame is dropped (counted if it is a `tell`) and the owner is told.
   */
  private overBound(size: number, tell: boolean): boolean {
    const { bound } = this;
    if (bound === undefined || this.bufferedBytes + size + this.sinkWaiting <= bound.maxOutputBytes) return false;
    this.sinkWaiting = this.sink.writableLength ?? 0;
    const waiting = this.bufferedBytes + size + this.sinkWaiting;
    if (waiting <= bound.maxOutputBytes) return false;
    if (tell) this.unflushedTells++;
    bound.onOverflow(waiting);
    // The owner closes the writer; stop here in any case, the limit holds.
    this.closed = true;
    return true;
  }

  /**
   * Makes room for a frame of `length` payload bytes, of which the first `inBatch` go into the
   * batch (all of them, unless the rest is queued apart), writes its length prefix, schedules a
   * flush, and returns where the payload goes.
   */
  private reserve(length: number, inBatch = length): number {
    const size = FRAME_HEADER_BYTES + inBatch;
    if (this.offset + size > this.chunk.length) this.makeRoom(size);
    writeLengthPrefix(this.chunk, this.offset, length);
    const payloadAt = this.offset + FRAME_HEADER_BYTES;
    this.offset = payloadAt + inBatch;
    this.framesThisTurn++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // A macrotask, not nextTick: frames produced by promise callbacks of this turn join too.
      runtimeImmediate(() => this.flush());
      // One call at a time: the turn's first frame leaves now, later ones join the batch.
      this.sendWhenWritten = this.sendFirstAtOnce;
    }
    // A full batch leaves as soon as this frame is written.
    if (++this.framesUnsent >= MAX_BATCH_FRAMES) this.sendWhenWritten = true;
    return payloadAt;
  }

  /**
   * Gives `chunk` room for `size` more bytes. A batch whose bytes still fit a pooled buffer
   * ({@link FIRST_CHUNK_BYTES}) moves into a new one, so that it stays one buffer and goes out
   * in one plain write: a first buffer sized from a small batch before is often outgrown by a
   * busier one, and chaining a {@link CHUNK_BYTES} buffer to it would cost an allocation of
   * its own and a corked write of two parts, for a few hundred bytes more. A larger batch keeps
   * what it has and continues in a new buffer.
   */
  private makeRoom(size: number): void {
    const held = this.offset - this.start;
    if (held > 0 && held + size <= FIRST_CHUNK_BYTES) {
      const grown = Buffer.allocUnsafe(FIRST_CHUNK_BYTES);
      this.chunk.copy(grown, 0, this.start, this.offset);
      this.chunk = grown;
      this.start = 0;
      this.offset = held;
      return;
    }
    if (held > 0) {
      this.filled.push(this.chunk.subarray(this.start, this.offset));
      this.filledBytes += held;
    }
    const first = this.chunk.length === 0 && this.filled.length === 0;
    this.chunk = Buffer.allocUnsafe(Math.max(first ? this.firstChunkBytes : CHUNK_BYTES, size));
    this.start = 0;
    this.offset = 0;
  }
}
