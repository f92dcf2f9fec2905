import { FrameDecoder } from '../src/framing/FrameDecoder';
import { FRAME_HEADER_BYTES } from '../src/wire/wireFormat';
import { MIB, arrayBuffersLeftBy } from '../../../test/support/youngGeneration';

/** The header of a frame of `length` bytes. */
function header(length: number): Buffer {
  const bytes = Buffer.alloc(FRAME_HEADER_BYTES);
  bytes.writeUInt32BE(length, 0);
  return bytes;
}

/** Feeds `decoder` a frame: its header, a first chunk of `first` bytes, then `ones` chunks of one byte. */
function feedFrame(decoder: FrameDecoder, first: number, ones: number): number {
  let frames = decoder.push(header(first + ones), () => undefined);
  frames += decoder.push(Buffer.alloc(first, 1), () => undefined);
  for (let i = 0; i < ones; i++) frames += decoder.push(Buffer.alloc(1, 2), () => undefined);
  return frames;
}

describe('FrameDecoder and the collector', () => {
  test('a chunk of a frame that arrived while the decoder grew is freed by young-generation collections once the frame is read', async () => {
    const decoder = new FrameDecoder(64 * MIB);
    // A long-lived decoder, as a connection's: it has read frames of many chunks before.
    expect(feedFrame(decoder, 1, 1_000)).toBe(1);
    const left = await arrayBuffersLeftBy(() => {
      // A large chunk, then one-byte chunks (the decoder grows meanwhile), then the frame's end.
      expect(feedFrame(decoder, 4 * MIB, 2_000)).toBe(1);
    });
    expect(left).toBeLessThan(2 * MIB);
  });
});
