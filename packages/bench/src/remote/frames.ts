/**
 * The raw TCP baseline's framing: each frame is a 4-byte big-endian length and that many
 * bytes of UTF-8 JSON. Writes are coalesced per event-loop turn: frames queued in one turn
 * go out as one `Buffer.concat` in a `setImmediate`.
 */
import type { Socket } from 'node:net';

/** Queues frames and writes them to the socket once per event-loop turn. */
export class FrameWriter {
  private queue: Buffer[] = [];
  private scheduled = false;

  constructor(private readonly socket: Socket) {}

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
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const frames = this.queue;
    this.queue = [];
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(frames));
  };
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
