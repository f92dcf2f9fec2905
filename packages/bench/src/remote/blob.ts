/**
 * The bulk scenarios' payloads and the nact-rpc endpoint that serves them: binary blobs, as a
 * user sends bytes (a `Buffer`), 1 MiB for the asks and 64 KiB for the one-way stream. The
 * {@link BlobEndpoint} echoes a blob (an ask) and counts the blobs told to it and their bytes.
 */
import { ask, defineProtocol, RpcEndpoint, serves, tell } from '@nact-rpc/core';

/** The size of each argument and of each answer of the 1 MiB asks. */
export const ASK_BLOB_BYTES = 1024 * 1024;

/** The size of each message of the one-way stream: 64 KiB, a common chunk size of Node.js streams. */
export const STREAM_BLOB_BYTES = 64 * 1024;

/** Stream messages per batch, each batch confirmed by the receiver: 4 MiB of payload. */
export const STREAM_BATCH = 64;

/** What a receiver of the stream has counted. */
export interface StreamCount {
  readonly messages: number;
  readonly bytes: number;
}

/** Blob: an ask that returns its blob, a counted tell, and an ask for the counts. */
export const BlobProtocol = defineProtocol('BenchBlob', {
  echo: ask<[blob: Buffer], Buffer>(),
  put: tell<[blob: Buffer]>(),
  received: ask<[], StreamCount>(),
});

/** Serves {@link BlobProtocol}. */
@serves(BlobProtocol)
export class BlobEndpoint extends RpcEndpoint {
  private messages = 0;
  private bytes = 0;

  /** Returns `blob`. */
  echo(blob: Buffer): Buffer {
    return blob;
  }

  /** Counts one blob and its bytes. */
  put(blob: Buffer): void {
    this.messages++;
    this.bytes += blob.byteLength;
  }

  /** The blobs and bytes counted so far. */
  received(): StreamCount {
    return { messages: this.messages, bytes: this.bytes };
  }
}

/** A blob of `bytes` bytes of a fixed pattern (every byte its offset modulo 251). */
export function makeBlob(bytes: number): Buffer {
  const blob = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) blob[i] = i % 251;
  return blob;
}

/**
 * Blobs for calls in flight: a call takes one, stamps its sequence number in its first 4 bytes,
 * and gives it back once answered, so no call allocates 1 MiB and no blob in flight changes.
 */
export class BlobPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly bytes: number) {}

  /** A blob of the pool's size with `sequence` in its first 4 bytes. */
  take(sequence: number): Buffer {
    const blob = this.free.pop() ?? makeBlob(this.bytes);
    blob.writeUInt32LE(sequence >>> 0, 0);
    return blob;
  }

  /** Gives `blob` back for a later call. */
  give(blob: Buffer): void {
    this.free.push(blob);
  }
}

/** Throws unless `echoed` is the blob of call `sequence`: its size, its stamp and its last byte. */
export function checkBlobEcho(sequence: number, bytes: number, echoed: Uint8Array | undefined): void {
  const ok =
    echoed !== undefined &&
    echoed.byteLength === bytes &&
    Buffer.from(echoed.buffer, echoed.byteOffset, 4).readUInt32LE(0) === sequence >>> 0 &&
    echoed[bytes - 1] === (bytes - 1) % 251;
  if (!ok) throw new Error(`blob call ${sequence} was answered with ${echoed?.byteLength ?? 'nothing'} other bytes`);
}
