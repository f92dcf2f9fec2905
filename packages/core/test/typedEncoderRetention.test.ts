import { TypedCodec } from '../src';
import { MIB, arrayBuffersLeftBy } from '../../../test/support/youngGeneration';

describe('TypedCodec and the collector', () => {
  // A codec outlives many collections in a service; the values it encodes are gone as soon as
  // they are sent. Were the encoder to keep them reachable from the old generation, every large
  // answer would be freed only by a full collection (which a server then ran every few
  // scavenges, see TypedEncoder.refs).
  test.each([
    ['a Buffer', (blob: Buffer): unknown => blob],
    ['an object holding a Buffer', (blob: Buffer): unknown => ({ blob, at: new Date(0) })],
    ['a Map holding a Buffer', (blob: Buffer): unknown => new Map([['blob', blob]])],
  ])('%s encoded by a long-lived codec is freed by young-generation collections', async (_, shape) => {
    const codec = new TypedCodec();
    codec.encode(new Map([[1, new Set([2])]]));
    const left = await arrayBuffersLeftBy(() => {
      const blob = Buffer.alloc(8 * MIB, 1);
      expect(codec.encode(shape(blob)).length).toBeGreaterThan(8 * MIB);
    });
    // The blob and the encoding (16 MiB) were garbage once encoded; the scavenges freed them.
    expect(left).toBeLessThan(2 * MIB);
  });
});
