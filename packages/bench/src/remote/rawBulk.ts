/**
 * The raw TCP baselines of the bulk scenarios: the strongest plain-socket way to move the same
 * bytes. Each frame is a 4-byte big-endian length and the payload's raw bytes, nothing else;
 * a frame is written as two buffers in one `writev` (corked), never copied, and read by
 * collecting chunks until the frame is whole, then copying it once ({@link BulkFrameReader}).
 *
 * - The blob echo ({@link startRawBlobServer} `'echo'`) writes every frame back as it reads it;
 *   the client matches an echo to its call by the sequence number stamped in the blob.
 * - The stream receiver (`'stream'`) counts the frames and bytes it reads; an empty frame asks
 *   for the counts, answered with a 16-byte frame (messages, bytes: two doubles).
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { StreamCount } from './blob';

const EMPTY = Buffer.alloc(0);

/** Splits the bytes of a socket into length-prefixed frames, copying each frame at most once. */
export class BulkFrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** The length of the frame being read, or -1 before its header. */
  private need = -1;

  constructor(private readonly onFrame: (body: Buffer) => void) {}

  /** Feeds bytes read from the socket; calls `onFrame` for every complete frame. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) return;
        this.need = this.take(4).readUInt32BE(0);
      }
      if (this.buffered < this.need) return;
      const body = this.take(this.need);
      this.need = -1;
      this.onFrame(body);
    }
  }

  /** The first `bytes` bytes buffered: a view if one chunk holds them, else one copy. */
  private take(bytes: number): Buffer {
    if (bytes === 0) return EMPTY;
    const first = this.chunks[0] as Buffer;
    this.buffered -= bytes;
    if (first.byteLength >= bytes) {
      if (first.byteLength === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let offset = 0;
    while (offset < bytes) {
      const chunk = this.chunks[0] as Buffer;
      const length = Math.min(chunk.byteLength, bytes - offset);
      chunk.copy(out, offset, 0, length);
      offset += length;
      if (length === chunk.byteLength) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(length);
    }
    return out;
  }
}

/** Writes `body` as one frame: its length and the body, as two buffers (the caller may cork). */
export function writeBulkFrame(socket: Socket, body: Uint8Array): void {
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(body.byteLength, 0);
  socket.write(header);
  if (body.byteLength > 0) socket.write(body);
}

/** Writes the frames `write` writes in one corked stretch, so that they go out in one `writev`. */
export function corked(socket: Socket, write: () => void): void {
  socket.cork();
  try {
    write();
  } finally {
    socket.uncork();
  }
}

/** What a raw bulk server does with the frames it reads. */
export type RawBulkRole = 'echo' | 'stream';

function serveBulk(socket: Socket, role: RawBulkRole): void {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  let messages = 0;
  let bytes = 0;
  const reader = new BulkFrameReader(
    role === 'echo'
      ? (body) => corked(socket, () => writeBulkFrame(socket, body))
      : (body) => {
          if (body.byteLength > 0) {
            messages++;
            bytes += body.byteLength;
            return;
          }
          const counts = Buffer.allocUnsafe(16);
          counts.writeDoubleBE(messages, 0);
          counts.writeDoubleBE(bytes, 8);
          corked(socket, () => writeBulkFrame(socket, counts));
        },
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
}

/** Starts a raw bulk server (`role`) on 127.0.0.1, any free port; resolves with the port. */
export function startRawBulkServer(role: RawBulkRole): Promise<number> {
  const server = createServer((socket) => serveBulk(socket, role));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function connectSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      socket.on('error', () => socket.destroy());
      resolve(socket);
    });
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** Calls of a raw bulk client waiting for their answer frame, failed together if the connection closes. */
class Waiting<K> {
  readonly calls = new Map<K, { resolve: (body: Buffer) => void; reject: (error: Error) => void }>();

  constructor(socket: Socket) {
    socket.on('close', () => {
      const error = new Error('the raw TCP connection closed');
      for (const call of this.calls.values()) call.reject(error);
      this.calls.clear();
    });
  }

  wait(key: K): Promise<Buffer> {
    return new Promise((resolve, reject) => this.calls.set(key, { resolve, reject }));
  }

  answer(key: K, body: Buffer): void {
    const call = this.calls.get(key);
    this.calls.delete(key);
    call?.resolve(body);
  }
}

/** A client of the raw blob echo: each blob carries its call's sequence number in its first 4 bytes. */
export class RawBlobClient {
  private constructor(
    private readonly socket: Socket,
    private readonly waiting: Waiting<number>,
  ) {}

  /** Connects to the echo at 127.0.0.1:`port`. */
  static async connect(port: number): Promise<RawBlobClient> {
    const socket = await connectSocket(port);
    const waiting = new Waiting<number>(socket);
    const reader = new BulkFrameReader((body) => waiting.answer(body.readUInt32LE(0), body));
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    return new RawBlobClient(socket, waiting);
  }

  /** Sends `blob` (stamped with `sequence`) and resolves with its echo. */
  call(sequence: number, blob: Buffer): Promise<Buffer> {
    const answer = this.waiting.wait(sequence >>> 0);
    corked(this.socket, () => writeBulkFrame(this.socket, blob));
    return answer;
  }

  /** Closes the connection; calls in flight fail. */
  close(): void {
    this.socket.destroy();
  }
}

/** A sender of the raw stream: frames of blobs, and an empty frame to ask for the receiver's counts. */
export class RawStreamClient {
  /** The count requests in flight, answered in order. */
  private readonly counts: Array<{ resolve: (count: StreamCount) => void; reject: (error: Error) => void }> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('close', () => {
      const error = new Error('the raw TCP connection closed');
      for (const waiter of this.counts.splice(0)) waiter.reject(error);
    });
  }

  /** Connects to the stream receiver at 127.0.0.1:`port`. */
  static async connect(port: number): Promise<RawStreamClient> {
    const socket = await connectSocket(port);
    const client = new RawStreamClient(socket);
    const reader = new BulkFrameReader((body) =>
      client.counts.shift()?.resolve({ messages: body.readDoubleBE(0), bytes: body.readDoubleBE(8) }),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    return client;
  }

  /** Sends `blob` `count` times, in one corked stretch. */
  send(blob: Buffer, count: number): void {
    corked(this.socket, () => {
      for (let i = 0; i < count; i++) writeBulkFrame(this.socket, blob);
    });
  }

  /** Resolves with the receiver's counts once it has read everything sent before. */
  received(): Promise<StreamCount> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error('the raw TCP connection closed'));
      this.counts.push({ resolve, reject });
      corked(this.socket, () => writeBulkFrame(this.socket, EMPTY));
    });
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}
