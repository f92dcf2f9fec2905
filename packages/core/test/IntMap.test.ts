import fc from 'fast-check';
import { IntMap } from '../src/util/IntMap';
import { MIB, arrayBuffersLeftBy } from '../../../test/support/youngGeneration';

/** An operation on both maps. */
type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'clear' };

/** Keys mostly from a small pool, so that sets, deletes and lookups meet; some from the whole range. */
const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 63 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff_ffff }) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

function expectSame(map: IntMap<{ v: number }>, model: Map<number, { v: number }>, probe: readonly number[]): void {
  expect(map.size).toBe(model.size);
  for (const key of [...model.keys(), ...probe]) {
    expect(map.get(key)).toBe(model.get(key));
    expect(map.has(key)).toBe(model.has(key));
  }
  expect(new Set(map.values())).toEqual(new Set(model.values()));
  expect(map.keys().sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
}

describe('IntMap', () => {
  it('behaves as a Map of whole numbers through any sequence of sets, deletes and clears', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), fc.array(keyArb, { maxLength: 20 }), (ops, probe) => {
        const map = new IntMap<{ v: number }>(4);
        const model = new Map<number, { v: number }>();
        for (const op of ops) {
          if (op.kind === 'set') {
            const value = { v: op.value };
            map.set(op.key, value);
            model.set(op.key, value);
          } else if (op.kind === 'delete') {
            expect(map.delete(op.key)).toBe(model.delete(op.key));
          } else {
            map.clear();
            model.clear();
          }
          // After every step: a table that grows or shrinks later rebuilds itself, and would
          // hide a step that lost an entry.
          expectSame(map, model, probe);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every entry through growth, and finds each after others of its run were deleted', () => {
    const map = new IntMap<number>(4);
    // Call ids: consecutive, answered mostly in order with some left behind, as a table of calls sees them.
    const live = new Set<number>();
    for (let id = 1; id <= 20_000; id++) {
      map.set(id, id * 2);
      live.add(id);
      if (id > 1_000 && id % 7 !== 0) {
        map.delete(id - 1_000);
        live.delete(id - 1_000);
      }
    }
    expect(map.size).toBe(live.size);
    for (const id of live) expect(map.get(id)).toBe(id * 2);
    expect(map.get(5)).toBeUndefined();
  });

  const slotCount = (map: IntMap<unknown>): number => (map as unknown as { slots: unknown[] }).slots.length;

  it('gives its memory back: it shrinks once its load has stayed low, and clear empties it', () => {
    const map = new IntMap<number>(8);
    for (let key = 0; key < 10_000; key++) map.set(key * 65_536, key);
    const slotsAtPeak = slotCount(map);
    expect(slotsAtPeak).toBeGreaterThanOrEqual(20_000);
    for (let key = 0; key < 9_990; key++) expect(map.delete(key * 65_536)).toBe(true);
    expect(map.size).toBe(10);
    // The peak is recent: the table keeps its size for now.
    expect(slotCount(map)).toBe(slotsAtPeak);
    // A while of low load (a few asks in flight, one answered as the next is sent).
    let deleted = 0;
    for (let key = 1; key <= 2 * slotsAtPeak; key++) {
      map.set(key, key);
      if (map.delete(key)) deleted++;
    }
    expect(deleted).toBe(2 * slotsAtPeak);
    expect(map.size).toBe(10);
    expect(slotCount(map)).toBeLessThanOrEqual(128);
    for (let key = 9_990; key < 10_000; key++) expect(map.get(key * 65_536)).toBe(key);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get(9_995 * 65_536)).toBeUndefined();
    expect(slotCount(map)).toBe(8);
  });

  it('is not rebuilt while its load comes and goes: asks sent in batches, answered in batches', () => {
    const map = new IntMap<number>(8);
    let next = 1;
    let deleted = 0;
    const cycle = (): void => {
      const keys: number[] = [];
      for (let i = 0; i < 100; i++) {
        keys.push(next);
        map.set(next, next);
        next++;
      }
      for (const key of keys) if (map.delete(key)) deleted++;
    };
    cycle();
    const slots = (map as unknown as { slots: unknown[] }).slots;
    for (let i = 0; i < 1_000; i++) cycle();
    expect(deleted).toBe(1_001 * 100);
    expect(map.size).toBe(0);
    // The same arrays: no shrink at each trough, no growth at each peak.
    expect((map as unknown as { slots: unknown[] }).slots).toBe(slots);
    expect(slotCount(map)).toBe(256);
  });

  it('replaces the value of a key it has, without counting it twice', () => {
    const map = new IntMap<string>();
    map.set(0xffff_ffff, 'a');
    map.set(0xffff_ffff, 'b');
    map.set(0, 'zero');
    expect(map.size).toBe(2);
    expect(map.get(0xffff_ffff)).toBe('b');
    expect(map.delete(0xffff_ffff)).toBe(true);
    expect(map.delete(0xffff_ffff)).toBe(false);
    expect(map.get(0)).toBe('zero');
  });

  describe('and the collector', () => {
    // A table lives as long as its connection, its values (calls) a moment: the arrays a
    // resize lets go of, in the old generation by then, must not keep them from the young
    // generation's collections.
    test('values held while the table grew are freed by young-generation collections once deleted', async () => {
      const map = new IntMap<Buffer>();
      for (let key = 0; key < 4; key++) map.set(key, Buffer.alloc(8));
      const left = await arrayBuffersLeftBy(() => {
        // The fifth entry makes the table of 8 slots grow, while it holds a large value.
        for (let key = 10; key < 14; key++) map.set(key, Buffer.alloc(4 * MIB, 1));
        for (let key = 10; key < 14; key++) map.delete(key);
      });
      expect(map.size).toBe(4);
      expect(left).toBeLessThan(2 * MIB);
    });

    test('values of a cleared table are freed by young-generation collections', async () => {
      const map = new IntMap<Buffer>();
      map.set(1, Buffer.alloc(8));
      const left = await arrayBuffersLeftBy(() => {
        map.set(2, Buffer.alloc(4 * MIB, 1));
        map.clear();
      });
      expect(left).toBeLessThan(2 * MIB);
    });
  });
});
