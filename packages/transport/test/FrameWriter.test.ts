import {
  FRAME_HEADER_BYTES,
  FrameDecoder,
  FrameWriter,
  MAX_BATCH_FRAMES,
  type ByteSink,
} from '@nact-rpc/transport/internal';
import { eventLoopTurns } from '@nact-rpc/testing';

/** A sink that records every write (copied) and, in `events`, the order of writes and flush callbacks. */
class RecordingSink implements ByteSink {
  readonly writes: Buffer[] = [];
  constructor(private readonly events: string[] = []) {}

  write(data: Uint8Array): void {
    this.writes.push(Buffer.from(data));
    this.events.push('write');
  }
}

function decodeFrames(bytes: Buffer): string[] {
  const frames: string[] = [];
  const decoder = new FrameDecoder(1024 * 1024);
  decoder.push(bytes, (payload) => frames.push(payload.toString('utf8')));
  expect(decoder.bufferedBytes).toBe(0);
  return frames;
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('FrameWriter', () => {
  test('coalesces the frames written in one turn into a single write of the sink', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    writer.write(text('one'));
    writer.write(text('two'));
    writer.write(text(''));
    writer.write(text('four'));
    expect(sink.writes).toHaveLength(0);
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(1);
    expect(decodeFrames(sink.writes[0] as Buffer)).toEqual(['one', 'two', '', 'four']);
  });

  describe('a batch that outgrows the small buffer it started in', () => {
    /** A sink that corks, recording each write and each cork. */
    function corkingSink(events: string[]): RecordingSink & ByteSink {
      return Object.assign(new RecordingSink(events), {
        cork: () => events.push('cork'),
        uncork: () => events.push('uncork'),
      });
    }
    const frame = (i: number): Buffer => text(`call ${i} `.padEnd(80, '.'));

    test('still goes out as one buffer in one plain write, every frame in order', async () => {
      const events: string[] = [];
      const sink = corkingSink(events);
      const writer = new FrameWriter(sink);
      // A turn of one small frame: the next batch starts in a buffer sized for about two.
      writer.write(text('x'));
      await eventLoopTurns();
      events.length = 0;
      sink.writes.length = 0;
      const count = MAX_BATCH_FRAMES - 2;
      for (let i = 0; i < count; i++) writer.write(frame(i));
      await eventLoopTurns();
      // The first frame left at once (one call at a time before); the rest, one write.
      expect(events).toEqual(['write', 'write']);
      expect(decodeFrames(Buffer.concat(sink.writes))).toEqual(
        Array.from({ length: count }, (_, i) => frame(i).toString()),
      );
    });

    test('past what one pooled buffer holds, continues in a new buffer and goes out corked', async () => {
      const events: string[] = [];
      const sink = corkingSink(events);
      const writer = new FrameWriter(sink);
      const big = (i: number): Buffer => text(`${i}`.padEnd(1500, '-'));
      for (let i = 0; i < 4; i++) writer.write(big(i));
      await eventLoopTurns();
      expect(events[0]).toBe('cork');
      expect(events.at(-1)).toBe('uncork');
      expect(sink.writes.length).toBeGreaterThan(1);
      expect(decodeFrames(Buffer.concat(sink.writes))).toEqual([0, 1, 2, 3].map((i) => big(i).toString()));
    });
  });

  describe('a call with a large body (64 KiB or more) between small frames', () => {
    const header = Buffer.from([1, 0, 0, 0, 0, 9]);
    const large = Buffer.alloc(100 * 1024, 0x61);
    /** The frames written: the large call's body goes out without a copy into the batch. */
    function writeMixed(writer: FrameWriter): void {
      writer.write(text('before'));
      writer.writeCall(header, 7, large);
      writer.write(text('after'));
    }
    function expectMixed(bytes: Buffer): void {
      const frames: Buffer[] = [];
      const decoder = new FrameDecoder(1024 * 1024);
      decoder.push(bytes, (payload) => frames.push(Buffer.from(payload)));
      expect(frames.map((frame) => frame.length)).toEqual([6, header.length + large.length, 5]);
      expect(frames[0]?.toString()).toBe('before');
      expect(frames[1]?.readUInt32BE(1)).toBe(7);
      expect(frames[1]?.subarray(header.length).equals(large)).toBe(true);
      expect(frames[2]?.toString()).toBe('after');
    }

    test('is sent in one corked write of its parts, in order, to a sink that corks', async () => {
      const events: string[] = [];
      const sink = Object.assign(new RecordingSink(events), {
        cork: () => events.push('cork'),
        uncork: () => events.push('uncork'),
      });
      const writer = new FrameWriter(sink);
      writeMixed(writer);
      await eventLoopTurns();
      expect(events[0]).toBe('cork');
      expect(events.at(-1)).toBe('uncork');
      expect(sink.writes.some((part) => part.length === large.length)).toBe(true);
      expectMixed(Buffer.concat(sink.writes));
    });

    test('is sent in one write to a sink that does not cork', async () => {
      const sink = new RecordingSink();
      const writer = new FrameWriter(sink);
      writeMixed(writer);
      expect(writer.bufferedBytes).toBe(3 * FRAME_HEADER_BYTES + 6 + header.length + large.length + 5);
      await eventLoopTurns();
      expect(sink.writes).toHaveLength(1);
      expectMixed(sink.writes[0] as Buffer);
    });
  });

  describe('gives large bodies back once the sink has sent them', () => {
    const header = Buffer.from([1, 0, 0, 0, 0, 9]);
    /** A corking sink that holds each write's callback until `send` or `fail`. */
    class SlowSink extends RecordingSink {
      private callbacks: Array<((error?: Error | null) => void) | undefined> = [];
      cork(): void {}
      uncork(): void {}
      override write(data: Uint8Array, sent?: (error?: Error | null) => void): void {
        super.write(data);
        this.callbacks.push(sent);
      }
      settle(error?: Error): void {
        for (const callback of this.callbacks.splice(0)) callback?.(error);
      }
    }

    test('after the write that carries them completes, not before', async () => {
      const sink = new SlowSink();
      const recycled: Uint8Array[] = [];
      const writer = new FrameWriter(sink, undefined, undefined, (body) => recycled.push(body));
      const bodies = [Buffer.alloc(64 * 1024, 1), Buffer.alloc(70 * 1024, 2)];
      writer.write(text('small'));
      for (const body of bodies) writer.writeCall(header, 0, body);
      writer.writeCall(header, 0, Buffer.alloc(100, 3));
      await eventLoopTurns();
      expect(recycled).toEqual([]);
      sink.settle();
      expect(recycled).toHaveLength(2);
      expect(recycled[0]).toBe(bodies[0]);
      expect(recycled[1]).toBe(bodies[1]);
    });

    test('when the batch ends with a large body, and never after a failed write', async () => {
      const sink = new SlowSink();
      const recycled: Uint8Array[] = [];
      const writer = new FrameWriter(sink, undefined, undefined, (body) => recycled.push(body));
      const body = Buffer.alloc(64 * 1024, 1);
      writer.writeCall(header, 0, body);
      await eventLoopTurns();
      sink.settle();
      expect(recycled).toEqual([body]);
      writer.writeCall(header, 0, Buffer.alloc(64 * 1024, 2));
      await eventLoopTurns();
      sink.settle(new Error('the connection was reset'));
      expect(recycled).toEqual([body]);
    });

    test('at once to a sink that does not cork, which gets a copy', async () => {
      const sink = new RecordingSink();
      const recycled: Uint8Array[] = [];
      const writer = new FrameWriter(sink, undefined, undefined, (body) => recycled.push(body));
      const body = Buffer.alloc(64 * 1024, 1);
      writer.writeCall(header, 0, body);
      await eventLoopTurns();
      expect(recycled).toEqual([body]);
      body.fill(0);
      expect(sink.writes[0]?.subarray(FRAME_HEADER_BYTES + header.length).equals(Buffer.alloc(64 * 1024, 1))).toBe(
        true,
      );
    });

    test('not when the writer closes with them unsent', async () => {
      const sink = new SlowSink();
      const recycled: Uint8Array[] = [];
      const writer = new FrameWriter(sink, undefined, undefined, (body) => recycled.push(body));
      writer.writeCall(header, 0, Buffer.alloc(64 * 1024, 1));
      expect(writer.close()).toBe(1);
      await eventLoopTurns();
      sink.settle();
      expect(sink.writes).toEqual([]);
      expect(recycled).toEqual([]);
    });
  });

  test(`sends a batch as soon as it holds ${MAX_BATCH_FRAMES} frames, and the rest at the end of the turn`, async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    const frames = Array.from({ length: 2 * MAX_BATCH_FRAMES + 5 }, (_, i) => `frame ${i}`);
    frames.forEach((frame, i) => {
      writer.write(text(frame));
      expect(sink.writes).toHaveLength(Math.floor((i + 1) / MAX_BATCH_FRAMES));
    });
    await eventLoopTurns();
    expect(sink.writes.map(decodeFrames)).toEqual([
      frames.slice(0, MAX_BATCH_FRAMES),
      frames.slice(MAX_BATCH_FRAMES, 2 * MAX_BATCH_FRAMES),
      frames.slice(2 * MAX_BATCH_FRAMES),
    ]);
  });

  test('joins frames written by promise callbacks of the same turn', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    writer.write(text('sync'));
    await Promise.resolve();
    writer.write(text('microtask'));
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(1);
    expect(decodeFrames(sink.writes[0] as Buffer)).toEqual(['sync', 'microtask']);
  });

  test('writes frames of separate turns separately', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    writer.write(text('first'));
    writer.write(text('also first'));
    await eventLoopTurns();
    writer.write(text('second'));
    writer.write(text('third'));
    await eventLoopTurns();
    expect(sink.writes.map(decodeFrames)).toEqual([
      ['first', 'also first'],
      ['second', 'third'],
    ]);
  });

  test("after a turn of one frame, sends the next turn's first frame at once and batches the rest", async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    writer.write(text('alone'));
    expect(sink.writes).toHaveLength(0);
    await eventLoopTurns();
    writer.write(text('at once'));
    expect(sink.writes.map(decodeFrames)).toEqual([['alone'], ['at once']]);
    writer.write(text('joins'));
    writer.write(text('the batch'));
    expect(writer.bufferedBytes).toBeGreaterThan(0);
    await eventLoopTurns();
    expect(sink.writes.map(decodeFrames)).toEqual([['alone'], ['at once'], ['joins', 'the batch']]);
    // That turn wrote three frames: the next turn batches from its first frame on.
    writer.write(text('batched'));
    expect(sink.writes).toHaveLength(3);
    await eventLoopTurns();
    expect(sink.writes.map(decodeFrames)).toEqual([['alone'], ['at once'], ['joins', 'the batch'], ['batched']]);
  });

  test('prefixes a frame of several parts with the length of their concatenation', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    const head = Buffer.from([1, 2, 3]);
    const body = new Uint8Array([4, 5, 6, 7, 8]);
    writer.write(head, body);
    await eventLoopTurns();
    const bytes = sink.writes[0] as Buffer;
    expect(bytes.readUInt32BE(0)).toBe(8);
    expect(bytes.length).toBe(FRAME_HEADER_BYTES + 8);
    expect([...bytes.subarray(FRAME_HEADER_BYTES)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('writes a frame with no parts as an empty frame', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    writer.write();
    await eventLoopTurns();
    expect(sink.writes).toEqual([Buffer.from([0, 0, 0, 0])]);
  });

  test('keeps the payloads of many frames of different sizes in order', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    const payloads = Array.from({ length: 50 }, (_, i) => 'x'.repeat(i * 37) + String(i));
    for (const payload of payloads) writer.write(text(payload.slice(0, 3)), text(payload.slice(3)));
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(Math.ceil(payloads.length / MAX_BATCH_FRAMES));
    expect(decodeFrames(Buffer.concat(sink.writes))).toEqual(payloads);
  });

  test('reports the bytes waiting to be flushed', async () => {
    const sink = new RecordingSink();
    const writer = new FrameWriter(sink);
    expect(writer.bufferedBytes).toBe(0);
    writer.write(text('abc'));
    expect(writer.bufferedBytes).toBe(FRAME_HEADER_BYTES + 3);
    writer.write(text('de'), text('f'));
    expect(writer.bufferedBytes).toBe(2 * FRAME_HEADER_BYTES + 6);
    await eventLoopTurns();
    expect(writer.bufferedBytes).toBe(0);
  });

  test('calls onFlush after each write of the sink', async () => {
    const events: string[] = [];
    const sink = new RecordingSink(events);
    const writer = new FrameWriter(sink, () => events.push('flushed'));
    writer.write(text('a'));
    writer.write(text('b'));
    await eventLoopTurns();
    writer.write(text('c'));
    await eventLoopTurns();
    expect(events).toEqual(['write', 'flushed', 'write', 'flushed']);
  });

  test('neither writes nor calls onFlush when nothing is queued', async () => {
    const sink = new RecordingSink();
    const onFlush = jest.fn();
    const writer = new FrameWriter(sink, onFlush);
    writer.flush();
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(0);
    expect(onFlush).not.toHaveBeenCalled();
  });

  test('flush() writes what is queued at once, and the scheduled flush then writes nothing more', async () => {
    const sink = new RecordingSink();
    const onFlush = jest.fn();
    const writer = new FrameWriter(sink, onFlush);
    writer.write(text('now'));
    writer.write(text('also now'));
    writer.flush();
    expect(sink.writes).toHaveLength(1);
    expect(decodeFrames(sink.writes[0] as Buffer)).toEqual(['now', 'also now']);
    expect(onFlush).toHaveBeenCalledTimes(1);
    expect(writer.bufferedBytes).toBe(0);
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(1);
    expect(onFlush).toHaveBeenCalledTimes(1);
  });

  test('close() drops the queued frames and ignores later writes', async () => {
    const sink = new RecordingSink();
    const onFlush = jest.fn();
    const writer = new FrameWriter(sink, onFlush);
    writer.write(text('dropped'));
    writer.close();
    expect(writer.bufferedBytes).toBe(0);
    writer.write(text('ignored'));
    expect(writer.bufferedBytes).toBe(0);
    writer.flush();
    await eventLoopTurns();
    await eventLoopTurns();
    expect(sink.writes).toHaveLength(0);
    expect(onFlush).not.toHaveBeenCalled();
  });

  test('writes through a socket-like sink whose write returns false', async () => {
    // A socket's write returns false when its buffer is full; the writer must not care.
    const writes: Uint8Array[] = [];
    const writer = new FrameWriter({
      write: (data) => {
        writes.push(data);
        return false;
      },
    });
    writer.write(text('a'));
    await eventLoopTurns();
    writer.write(text('b'));
    await eventLoopTurns();
    expect(writes.map((data) => decodeFrames(Buffer.from(data)))).toEqual([['a'], ['b']]);
  });
});
