/**
 * The raw TCP baseline's framing: each frame is a 4-byte big-endian length and that many
 * bytes of UTF-8 JSON. Four ways of writing the same frames ({@link WriteMode}), each a
 * raw TCP baseline of its own: `naive` (one `socket.write` per frame), `corked` (one
 * `socket.write` per frame between `socket.cork()` and an `uncork()` on `process.nextTick`),
 * `batched` (frames queued in one event-loop turn go out as one `Buffer.concat` in a
 * `setImmediate`) and `pipelined` (batched, but a batch also goes out as soon as it holds
 * {@link PIPELINED_BATCH_FRAMES} frames, as nact-rpc's own writer does).
 */
import type { Socket } from 'node:net';
import { MAX_BATCH_FRAMES } from '@nact-rpc/transport/internal';

/** How a frame writer issues its writes: the raw TCP baseline's variants. */
export type WriteMode = 'naive' | 'corked' | 'batched' | 'pipelined';

/** Every write mode, in the order the bench measures them. */
export const WRITE_MODES: readonly WriteMode[] = ['naive', 'corked', 'batched', 'pipelined'];

/**
 * The frames after which a `pipelined` writer sends its batch without waiting for the turn's
 * end: the same number as nact-rpc's own writer, so that the two stay comparable.
 */
export const PIPELINED_BATCH_FRAMES = MAX_BATCH_FRAMES;

/** Writes frames to a socket. */
export interface FrameSender {
  /** Sends (or queues) `value` as one frame. */
  send(value: unknown): void;
}

/** `value` as one frame: the 4-byte length and the JSON, in one buffer. */
function encodeFrame(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const length = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}

/** A frame writer for `socket` that writes as `mode` says. */
export function frameWriter(socket: Socket, mode: WriteMode): FrameSender {
  switch (mode) {
    case 'naive':
      return new NaiveFrameWriter(socket);
    case 'corked':
      return new CorkedFrameWriter(socket);
    case 'batched':
      return new FrameWriter(socket);
    case 'pipelined':
      return new FrameWriter(socket, PIPELINED_BATCH_FRAMES);
  }
}

/** Writes each frame with its own `socket.write`, at once. */
export class NaiveFrameWriter implements FrameSender {
  constructor(private readonly socket: Socket) {}

  send(value: unknown): void {
    if (!this.socket.destroyed) this.socket.write(encodeFrame(value));
  }
}

/**
 * Writes each frame with its own `socket.write`, with the socket corked from the first write
 * until `process.nextTick`: Node sends the writes of one tick together (as one `writev`).
 */
export class CorkedFrameWriter implements FrameSender {
  private corked = false;

  constructor(private readonly socket: Socket) {}

  send(value: unknown): void {
    if (this.socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(encodeFrame(value));
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };
}

/**
 * Queues frames and writes them to the socket once per event-loop turn (the `batched` mode),
 * and also as soon as `maxFrames` are queued (the `pipelined` mode).
 */
export class FrameWriter implements FrameSender {
  private queue: Buffer[] = [];
  private scheduled = false;

  constructor(
    private readonly socket: Socket,
    private readonly maxFrames = Number.POSITIVE_INFINITY,
  ) {}

  /** Queues `value` as one frame. */
  send(value: unknown): void {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32BE(body.byteLength, 0);
    this.queue.push(header, body);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    // Two buffers a frame: its header and its body.
    if (this.queue.length >= 2 * this.maxFrames) this.writeQueued();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    this.writeQueued();
  };

  private writeQueued(): void {
    const frames = this.queue;
    if (frames.length === 0) return;
    this.queue = [];
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(frames));
  }
}
/** Splits the bytes of a socket into frames and parses each one's JSON. */
export class FrameReader {
  private pending: Buffer | undefined;

  constructor(private readonly onFrame: (value: unknown) => void) {}

  /** Feeds bytes read from the socket; calls `onFrame` for every complete frame. */
  push(chunk: Buffer): void {
    let buffer = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (buffer.byteLength - offset >= 4) {
      const length = buffer.readUInt32BE(offset);
      if (buffer.byteLength - offset - 4 < length) break;
      this.onFrame(JSON.parse(buffer.toString('utf8', offset + 4, offset + 4 + length)));
      offset += 4 + length;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.byteLength > 0 ? buffer : undefined;
  }
}
