import { SuperJsonCodec, TypedCodec } from '@nact-rpc/core';

describe.each([
  ['SuperJsonCodec', () => new SuperJsonCodec()],
  ['TypedCodec', () => new TypedCodec()],
])('%s on its JSON fast path', (_, makeCodec) => {
  test('no encoded value is overwritten by the values encoded after it', () => {
    const codec = makeCodec();
    // Sizes from a few bytes to past the shared slab, ASCII and multi-byte alike.
    const values = Array.from({ length: 3_000 }, (_, i) => ({
      i,
      text: (i % 3 === 0 ? 'é😀' : 'x').repeat(i % 1_500),
    }));
    const encoded = values.map((value) => codec.encode(value));
    expect(encoded.map((bytes) => codec.decode(bytes))).toEqual(values);
    for (const bytes of encoded) expect(bytes[0]).toBe(0x4a);
  });

  test('the bytes are a copy nothing else writes to, whether a Buffer or a Uint8Array is decoded', () => {
    const codec = makeCodec();
    const bytes = codec.encode({ a: 'b' });
    const copy = Uint8Array.from(bytes);
    codec.encode({ c: 'd'.repeat(100) });
    expect(Uint8Array.from(bytes)).toEqual(copy);
    expect(codec.decode(copy)).toEqual({ a: 'b' });
  });
});
