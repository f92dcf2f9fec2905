import fc from 'fast-check';
import { NameCache } from '../src/wire/NameCache';

/** Bytes from a small alphabet, so that names repeat and share their first, middle and last bytes. */
const nameBytes = fc.uint8Array({ minLength: 0, maxLength: 80 }).map((bytes) => bytes.map((byte) => byte % 6));
/** Any bytes, invalid UTF-8 included. */
const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 80 });

/** `bytes` inside a larger buffer, at `offset`, as a frame would carry them. */
function framed(bytes: Uint8Array, offset: number): Buffer {
  const buffer = Buffer.alloc(offset + bytes.length + 3, 0xff);
  buffer.set(bytes, offset);
  return buffer;
}

describe('NameCache', () => {
  it('gives the text the bytes spell, for any sequence of names, repeated or not', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(nameBytes, anyBytes), { maxLength: 200 }), fc.nat(7), (names, offset) => {
        const cache = new NameCache();
        for (const bytes of [...names, ...names]) {
          const buffer = framed(bytes, offset);
          expect(cache.text(buffer, offset, offset + bytes.length)).toBe(Buffer.from(bytes).toString('utf8'));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reuses the string of a name it has seen, and decodes one it has not', () => {
    const cache = new NameCache();
    const first = cache.text(framed(Buffer.from('HelloGateway'), 2), 2, 14);
    const again = cache.text(framed(Buffer.from('HelloGateway'), 5), 5, 17);
    expect(again).toBe('HelloGateway');
    // The same string object: nothing decoded the second time.
    expect(Object.is(first, again)).toBe(true);
    expect(cache.text(framed(Buffer.from('HelloGatewaz'), 0), 0, 12)).toBe('HelloGatewaz');
  });

  it('keeps a bounded number of names, however many a peer sends', () => {
    const cache = new NameCache();
    for (let i = 0; i < 10_000; i++) {
      const name = Buffer.from(`method-${i}`);
      expect(cache.text(name, 0, name.length)).toBe(`method-${i}`);
    }
    const kept = (cache as unknown as { bytes: (Buffer | undefined)[] }).bytes;
    expect(kept.length).toBe(16);
    const long = Buffer.alloc(200, 0x61);
    expect(cache.text(long, 0, 200)).toBe('a'.repeat(200));
    expect(kept.every((bytes) => bytes === undefined || bytes.length <= 64)).toBe(true);
  });
});
