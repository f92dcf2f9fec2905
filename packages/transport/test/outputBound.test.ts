import {
  describeOverflow,
  FRAME_HEADER_BYTES,
  FrameWriter,
  MAX_BATCH_FRAMES,
  TellBatches,
  TellLosses,
  type ByteSink,
} from '@nact-rpc/transport/internal';
import { RecordingLogger } from '@nact-rpc/testing';

/** A socket stand-in: it keeps what is written in `writableLength` until the test drains it. */
class SlowSink implements ByteSink {
  writableLength = 0;
  destroyed = false;
  writes = 0;

  write(data: Uint8Array): void {
    this.writes++;
    this.writableLength += data.length;
  }

  /** The "kernel" takes `bytes` of what waits. */
  drain(bytes = this.writableLength): void {
    this.writableLength -= bytes;
  }
}

const HEADER = Buffer.alloc(16);
const body = (bytes: number): Buffer => Buffer.alloc(bytes, 1);
/** The bytes of a request frame of `bytes` body bytes. */
const frameBytes = (bytes: number): number => FRAME_HEADER_BYTES + HEADER.length + bytes;

function boundedWriter(maxOutputBytes: number): { sink: SlowSink; writer: FrameWriter; overflows: number[] } {
  const sink = new SlowSink();
  const overflows: number[] = [];
  const writer: FrameWriter = new FrameWriter(sink, undefined, {
    maxOutputBytes,
    onOverflow: (waiting) => {
      overflows.push(waiting);
      writer.close();
    },
  });
  return { sink, writer, overflows };
}

describe('FrameWriter output limit', () => {
  test('counts the unflushed bytes and the sink backlog together, and stops once past the limit', () => {
    const { sink, writer, overflows } = boundedWriter(10 * frameBytes(100));
    for (let i = 0; i < 6; i++) writer.writeCall(HEADER, i + 1, body(100));
    writer.flush();
    expect(sink.writableLength).toBe(6 * frameBytes(100));
    for (let i = 0; i < 4; i++) writer.writeCall(HEADER, i + 7, body(100));
    expect(overflows).toEqual([]);
    // The eleventh frame would make 11 frames wait: 6 in the sink, 5 in the writer.
    writer.writeCall(HEADER, 11, body(100));
    expect(overflows).toEqual([11 * frameBytes(100)]);
    writer.writeCall(HEADER, 12, body(100));
    writer.flush();
    expect(overflows).toHaveLength(1);
    expect(sink.writes).toBe(1);
  });

  test('a sink that drained since the last flush is asked again before the writer gives up', () => {
    const { sink, writer, overflows } = boundedWriter(10 * frameBytes(100));
    for (let i = 0; i < 9; i++) writer.writeCall(HEADER, i + 1, body(100));
    writer.flush();
    sink.drain();
    for (let i = 0; i < 10; i++) writer.writeCall(HEADER, i + 10, body(100));
    expect(overflows).toEqual([]);
    writer.flush();
    expect(sink.writes).toBe(2);
  });

  test('without a bound, or with a sink that keeps nothing, only the writer buffer counts', () => {
    const writes: Uint8Array[] = [];
    const writer = new FrameWriter({ write: (data) => writes.push(data) });
    for (let i = 0; i < 1000; i++) writer.writeCall(HEADER, i + 1, body(1000));
    writer.flush();
    // Nothing was dropped: every frame went out, in batches of at most MAX_BATCH_FRAMES.
    expect(writes).toHaveLength(Math.ceil(1000 / MAX_BATCH_FRAMES));
    expect(writes.reduce((bytes, data) => bytes + data.length, 0)).toBe(1000 * frameBytes(1000));
  });

  test('close reports the tells not flushed and those in batches the sink still holds', () => {
    const { sink, writer } = boundedWriter(1024 * 1024);
    writer.writeCall(HEADER, 0, body(10)); // batch 1: 2 tells and an ask
    writer.writeCall(HEADER, 0, body(10));
    writer.writeCall(HEADER, 5, body(10));
    writer.flush();
    sink.drain(); // batch 1 left
    writer.writeCall(HEADER, 0, body(10)); // batch 2: 3 tells, still in the sink
    writer.writeCall(HEADER, 0, body(10));
    writer.writeCall(HEADER, 0, body(10));
    writer.flush();
    writer.writeCall(HEADER, 6, body(10)); // batch 3: no tell, still in the sink
    writer.flush();
    writer.writeCall(HEADER, 0, body(10)); // not flushed: 1 tell
    expect(writer.close()).toBe(4);
    expect(writer.close()).toBe(0);
  });

  test('the tell that overflows is counted with the others', () => {
    let lost = -1;
    const writer: FrameWriter = new FrameWriter(new SlowSink(), undefined, {
      maxOutputBytes: 3 * frameBytes(100),
      onOverflow: () => (lost = writer.close()),
    });
    for (let i = 0; i < 3; i++) writer.writeCall(HEADER, 0, body(100));
    expect(lost).toBe(-1);
    writer.writeCall(HEADER, 0, body(100));
    expect(lost).toBe(4);
  });

  test('a destroyed sink is judged by its backlog at the last flush', () => {
    const { sink, writer } = boundedWriter(1024 * 1024);
    writer.writeCall(HEADER, 0, body(10));
    writer.flush();
    sink.destroyed = true;
    sink.drain(); // a destroyed socket forgets its buffer: it says nothing of what was sent
    expect(writer.close()).toBe(1);
  });

  test('the reason names the bytes waiting and the option', () => {
    expect(describeOverflow(9_000_000, 8_388_608)).toBe(
      'the peer does not read: 9000000 bytes wait to be sent, over maxOutputBytes (8388608)',
    );
  });
});

describe('TellBatches', () => {
  test('forgets the batches the sink has handed on; a batch that left in part counts whole', () => {
    const batches = new TellBatches();
    batches.flushed(100, 3, 100);
    batches.flushed(50, 0, 150);
    batches.flushed(100, 2, 250);
    expect(batches.undelivered(250)).toBe(5);
    expect(batches.undelivered(200)).toBe(5); // 50 bytes of the first batch left
    expect(batches.undelivered(100)).toBe(2); // the first batch left, the third did not
    expect(batches.undelivered(1)).toBe(2);
    expect(batches.undelivered(0)).toBe(0);
  });

  test('keeps working through many batches (its arrays are compacted)', () => {
    const batches = new TellBatches();
    for (let i = 0; i < 10_000; i++) batches.flushed(10, 1, i % 2 === 0 ? 10 : 0);
    expect(batches.undelivered(0)).toBe(0);
    for (let i = 0; i < 5_000; i++) batches.flushed(10, 1, 10 * (i + 1));
    expect(batches.undelivered(10 * 5_000)).toBe(5_000);
    expect(batches.undelivered(10)).toBe(1);
  });
});

describe('TellLosses', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('logs the first drop at once and sums up the rest of the burst in one line per second', () => {
    const logger = new RecordingLogger();
    const losses = new TellLosses(logger);
    for (let i = 0; i < 5_000; i++) losses.dropped('notConnected', `Dropped tell P.m to x: ${i}`);
    losses.dropped('queueFull', 'Dropped tell P.m to x: full');
    expect(logger.entries.map((entry) => entry.message)).toEqual(['Dropped tell P.m to x: 0']);
    jest.advanceTimersByTime(1_000);
    expect(logger.entries).toHaveLength(2);
    expect(logger.entries[1]?.level).toBe('warn');
    expect(logger.entries[1]?.message).toContain('Dropped 5000 more tells (notConnected 4999, queueFull 1)');
    for (let i = 0; i < 10; i++) losses.dropped('notConnected', 'Dropped tell P.m to x: again');
    jest.advanceTimersByTime(1_000);
    expect(logger.entries).toHaveLength(3);
    jest.advanceTimersByTime(5_000); // a quiet second closes the burst
    losses.dropped('serviceClosed', 'Dropped tell P.m to x: closed');
    expect(logger.entries).toHaveLength(4);
    expect(logger.entries[3]?.message).toBe('Dropped tell P.m to x: closed');
    expect(losses.stats()).toEqual({
      tellsLost: 5_012,
      tellsLostBy: { connectionLost: 0, queueFull: 1, notConnected: 5_010, serviceClosed: 1, unsendable: 0 },
    });
  });

  test('an unsendable tell is logged at error with its error; flush sums up at once', () => {
    const logger = new RecordingLogger();
    const losses = new TellLosses(logger);
    const error = new Error('cannot serialize');
    losses.dropped('unsendable', 'Dropped tell P.m to x: cannot serialize', error);
    losses.dropped('unsendable', 'Dropped tell P.m to x: cannot serialize', error);
    expect(logger.entries).toEqual([
      { level: 'error', message: 'Dropped tell P.m to x: cannot serialize', details: { error } },
    ]);
    losses.flush();
    expect(logger.find('warn', 'Dropped 1 more tell (unsendable 1)')).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('a lost connection is counted and described in one clause, nothing if no tell was lost', () => {
    const logger = new RecordingLogger();
    const losses = new TellLosses(logger);
    expect(losses.connectionLost(0)).toBe('');
    expect(losses.connectionLost(42)).toBe(
      '; 42 tells written to it could not be delivered (tells already handed to the network may be lost too: tells are at most once)',
    );
    expect(logger.entries).toEqual([]);
    expect(losses.stats().tellsLost).toBe(42);
    expect(losses.stats().tellsLostBy.connectionLost).toBe(42);
  });
});
