import { FRAME_HEADER_BYTES, WireKind } from '@nact-rpc/transport/internal';

/** The names of the frame kinds, by their byte. */
const KIND_NAMES = new Map<number, string>(Object.entries(WireKind).map(([name, kind]) => [kind, name]));

/**
 * Follows the frames in one direction of a connection, for the trace: given the chunks as they
 * are delivered, it names the kinds of the frames whose kind byte each chunk carries. It reads
 * only length prefixes and kind bytes (`Request`, `ResponseOk`, `Ping`, …), never a payload,
 * and never refuses anything: bytes that are not frames are named by their kind byte's value.
 */
export class FrameScanner {
  /** Bytes of the length prefix still to come (0 while in a payload). */
  private headerLeft = FRAME_HEADER_BYTES;
  private length = 0;
  /** Payload bytes of the current frame still to come. */
  private payloadLeft = 0;
  /** Whether the next payload byte is a kind byte. */
  private atKind = false;

  /** The kinds of the frames whose kind byte is in `chunk`, in order. */
  scan(chunk: Uint8Array): string[] {
    const kinds: string[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.headerLeft > 0) {
        this.length = this.length * 256 + (chunk[at] as number);
        at++;
        if (--this.headerLeft === 0) this.startPayload();
        continue;
      }
      if (this.atKind) {
        const kind = chunk[at] as number;
        kinds.push(KIND_NAMES.get(kind) ?? `kind ${kind}`);
        this.atKind = false;
      }
      const take = Math.min(this.payloadLeft, chunk.length - at);
      at += take;
      this.payloadLeft -= take;
      if (this.payloadLeft === 0) this.nextFrame();
    }
    return kinds;
  }

  private startPayload(): void {
    this.payloadLeft = this.length;
    this.atKind = this.length > 0;
    if (this.length === 0) this.nextFrame();
  }

  private nextFrame(): void {
    this.headerLeft = FRAME_HEADER_BYTES;
    this.length = 0;
    this.atKind = false;
  }
}
