import { FRAME_HEADER_BYTES, FrameDecoder, FrameTooLargeError } from '@nact-rpc/transport/internal';
import { thrownBy } from '@nact-rpc/testing';

/** A frame as it travels: a 4-byte big-endian length, then the payload. */
function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** A header alone, declaring `length` bytes. */
function header(length: number): Buffer {
  const bytes = Buffer.alloc(FRAME_HEADER_BYTES);
  bytes.writeUInt32BE(length, 0);
  return bytes;
}

/** A small deterministic PRNG (mulberry32), so that "random" tests are reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function patterned(length: number, seed: number): Buffer {
  const random = prng(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

const MAX = 1024 * 1024;

/** Several frames: text, empty payloads (in the middle and at the end), a 70 KB payload. */
const PAYLOADS: readonly Buffer[] = [
  Buffer.from('first frame', 'utf8'),
  Buffer.alloc(0),
  patterned(70 * 1024, 7),
  Buffer.from([0, 1, 2]),
  Buffer.from('ünïcødé', 'utf8'),
  Buffer.alloc(0),
];
const STREAM = Buffer.concat(PAYLOADS.map(frame));

/** Pushes `chunks` into a fresh decoder; returns the frames, copied. */
function decode(chunks: readonly Buffer[], maxFrameSize = MAX): Buffer[] {
  const decoder = new FrameDecoder(maxFrameSize);
  const frames: Buffer[] = [];
  for (const chunk of chunks) decoder.push(chunk, (payload) => frames.push(Buffer.from(payload)));
  expect(decoder.bufferedBytes).toBe(0);
  return frames;
}

/** Describes how `frames` differ from PAYLOADS, or returns undefined if they are the same. */
function mismatch(frames: readonly Buffer[]): string | undefined {
  if (frames.length !== PAYLOADS.length) return `${frames.length} frames instead of ${PAYLOADS.length}`;
  const index = frames.findIndex((payload, i) => !payload.equals(PAYLOADS[i] as Buffer));
  return index < 0 ? undefined : `frame ${index} differs`;
}

describe('FrameDecoder', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('splits a stream into the frames it carries', () => {
    test('decodes many frames that arrive in one chunk', () => {
      expect(mismatch(decode([STREAM]))).toBeUndefined();
    });

    test('decodes the same frames when the stream is split in two at every byte boundary', () => {
      const failures: string[] = [];
      for (let k = 0; k <= STREAM.length; k++) {
        try {
          const problem = mismatch(decode([STREAM.subarray(0, k), STREAM.subarray(k)]));
          if (problem !== undefined) failures.push(`split at ${k}: ${problem}`);
        } catch (error) {
          failures.push(`split at ${k}: ${(error as Error).message}`);
        }
        if (failures.length >= 5) break;
      }
      expect(failures).toEqual([]);
    });

    test('decodes the same frames when the stream arrives one byte at a time', () => {
      const bytes = Array.from({ length: STREAM.length }, (_, i) => STREAM.subarray(i, i + 1));
      expect(mismatch(decode(bytes))).toBeUndefined();
    });

    test('decodes the same frames for random chunk sizes (fixed seed)', () => {
      for (const seed of [1, 2, 3, 42, 2024]) {
        const random = prng(seed);
        const chunks: Buffer[] = [];
        for (let offset = 0; offset < STREAM.length;) {
          // Mostly small chunks (inside headers and payloads), sometimes large ones.
          const size = random() < 0.8 ? 1 + Math.floor(random() * 16) : 1 + Math.floor(random() * 30_000);
          chunks.push(STREAM.subarray(offset, offset + size));
          offset += size;
        }
        expect({ seed, problem: mismatch(decode(chunks)) }).toEqual({ seed, problem: undefined });
      }
    });

    test('delivers an empty frame whose header ends the buffered bytes', () => {
      // The header arrives in two chunks, so it is assembled from the buffer, which it empties.
      const decoder = new FrameDecoder(MAX);
      const frames: Buffer[] = [];
      decoder.push(header(0).subarray(0, 2), (payload) => frames.push(payload));
      decoder.push(header(0).subarray(2), (payload) => frames.push(payload));
      expect(frames).toEqual([Buffer.alloc(0)]);
      expect(decoder.bufferedBytes).toBe(0);
    });

    test('ignores empty chunks', () => {
      const empty = Buffer.alloc(0);
      expect(mismatch(decode([empty, STREAM.subarray(0, 2), empty, STREAM.subarray(2), empty]))).toBeUndefined();
    });
  });

  test('returns the frames of a whole chunk as views of that chunk, without copying', () => {
    const chunk = Buffer.alloc(STREAM.length);
    STREAM.copy(chunk);
    const views: Buffer[] = [];
    new FrameDecoder(MAX).push(chunk, (payload) => views.push(payload));
    expect(views).toHaveLength(PAYLOADS.length);
    for (const view of views) {
      expect(view.buffer).toBe(chunk.buffer);
      expect(view.byteOffset).toBeGreaterThanOrEqual(chunk.byteOffset);
      expect(view.byteOffset + view.length).toBeLessThanOrEqual(chunk.byteOffset + chunk.length);
    }
    // A change of the chunk shows through the view: it really is the same memory.
    chunk[FRAME_HEADER_BYTES] = 'F'.charCodeAt(0);
    expect(views[0]?.toString('utf8')).toBe('First frame');
  });

  describe('refuses a frame over the maximum size', () => {
    test('throws FrameTooLargeError as soon as the header is in, before any payload byte', () => {
      const decoder = new FrameDecoder(1000);
      const onFrame = jest.fn();
      let thrown: unknown;
      try {
        decoder.push(header(1001), onFrame);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FrameTooLargeError);
      const error = thrown as FrameTooLargeError;
      expect(error.name).toBe('FrameTooLargeError');
      expect(error.declaredLength).toBe(1001);
      expect(error.maxFrameSize).toBe(1000);
      expect(error.message).toContain('1001');
      expect(error.message).toContain('1000');
      expect(onFrame).not.toHaveBeenCalled();
    });

    test.each([1, 2, 3])(
      'throws when the header is split after %i byte(s), on the chunk that completes it',
      (split) => {
        const decoder = new FrameDecoder(1000);
        const bytes = header(0x7fff_ffff);
        const onFrame = jest.fn();
        expect(() => decoder.push(bytes.subarray(0, split), onFrame)).not.toThrow();
        expect(() => decoder.push(bytes.subarray(split), onFrame)).toThrow(FrameTooLargeError);
        expect(onFrame).not.toHaveBeenCalled();
      },
    );

    test('throws when the header arrives one byte at a time', () => {
      const decoder = new FrameDecoder(1000);
      const bytes = header(5000);
      const onFrame = jest.fn();
      for (let i = 0; i < 3; i++) decoder.push(bytes.subarray(i, i + 1), onFrame);
      expect(() => decoder.push(bytes.subarray(3), onFrame)).toThrow(FrameTooLargeError);
      expect(thrownBy(() => new FrameDecoder(1000).push(bytes, onFrame))).toMatchObject({
        declaredLength: 5000,
        maxFrameSize: 1000,
      });
    });

    test('delivers the frames before the oversized one, then throws', () => {
      const decoder = new FrameDecoder(1000);
      const frames: string[] = [];
      const chunk = Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('b')), header(1001)]);
      expect(() => decoder.push(chunk, (payload) => frames.push(payload.toString()))).toThrow(FrameTooLargeError);
      expect(frames).toEqual(['a', 'b']);
    });

    test('throws for an oversized header that follows a frame split across chunks', () => {
      const decoder = new FrameDecoder(1000);
      const frames: string[] = [];
      const bytes = Buffer.concat([frame(Buffer.from('hello')), header(2000)]);
      decoder.push(bytes.subarray(0, 6), (payload) => frames.push(payload.toString()));
      expect(() => decoder.push(bytes.subarray(6), (payload) => frames.push(payload.toString()))).toThrow(
        FrameTooLargeError,
      );
      expect(frames).toEqual(['hello']);
    });

    test.each([
      ['just over the maximum', 1_000_000 + 1],
      ['the largest 32-bit length', 0xffff_ffff],
    ])('allocates nothing for the declared length (%s)', (_, declared) => {
      // spyOn calls through to the real functions and records their arguments.
      const spies = [
        jest.spyOn(Buffer, 'allocUnsafe'),
        jest.spyOn(Buffer, 'allocUnsafeSlow'),
        jest.spyOn(Buffer, 'alloc'),
      ];

      const bytes = header(declared);
      // Whole header in one chunk, and header split across chunks.
      expect(() => new FrameDecoder(1_000_000).push(bytes, () => {})).toThrow(FrameTooLargeError);
      const split = new FrameDecoder(1_000_000);
      split.push(bytes.subarray(0, 2), () => {});
      expect(() => split.push(bytes.subarray(2), () => {})).toThrow(FrameTooLargeError);

      const sizes = spies.flatMap((spy) => spy.mock.calls.map((call) => call[0]));
      expect(sizes.filter((size) => size >= declared)).toEqual([]);
    });

    test('accepts a frame exactly at the maximum, whole and split', () => {
      const payload = patterned(64, 3);
      const bytes = frame(payload);
      expect(decode([bytes], 64)).toEqual([payload]);
      const oneByOne = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(decode(oneByOne, 64)).toEqual([payload]);
    });
  });

  describe('bufferedBytes', () => {
    test('is 0 for a new decoder and after every complete frame', () => {
      const decoder = new FrameDecoder(MAX);
      expect(decoder.bufferedBytes).toBe(0);
      decoder.push(frame(Buffer.from('abc')), () => {});
      expect(decoder.bufferedBytes).toBe(0);
    });

    test('counts the bytes of an incomplete header', () => {
      const decoder = new FrameDecoder(MAX);
      const bytes = frame(Buffer.from('abcdefghij'));
      decoder.push(bytes.subarray(0, 1), () => {});
      expect(decoder.bufferedBytes).toBe(1);
      decoder.push(bytes.subarray(1, 3), () => {});
      expect(decoder.bufferedBytes).toBe(3);
    });

    test('counts every byte received of a frame whose payload is incomplete, its header included', () => {
      const decoder = new FrameDecoder(MAX);
      const bytes = frame(Buffer.from('abcdefghij'));
      const onFrame = jest.fn();
      decoder.push(bytes.subarray(0, 6), onFrame);
      expect(onFrame).not.toHaveBeenCalled();
      // "Bytes received but not yet returned as frames": 4 header bytes and 2 payload bytes.
      expect(decoder.bufferedBytes).toBe(6);
      decoder.push(bytes.subarray(6), onFrame);
      expect(onFrame).toHaveBeenCalledTimes(1);
      expect(decoder.bufferedBytes).toBe(0);
    });

    test('counts the rest of a chunk that holds complete frames and the start of another', () => {
      const decoder = new FrameDecoder(MAX);
      const frames: string[] = [];
      const chunk = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('two')), header(10).subarray(0, 3)]);
      decoder.push(chunk, (payload) => frames.push(payload.toString()));
      expect(frames).toEqual(['one', 'two']);
      expect(decoder.bufferedBytes).toBe(3);
    });
  });
});
