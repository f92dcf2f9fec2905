/**
 * A map from 32-bit unsigned integers (call ids) to values, for tables that gain and lose an
 * entry per call: open addressing with linear probing over two plain arrays, and deletion by
 * backward shift, so that it never leaves a tombstone.
 *
 * **Why not a `Map`.** When a `Map` that has lost many entries grows or is compacted, V8 builds
 * a new table and leaves the old one pointing to it and to the entries it held. Once a table
 * has lived long enough to move to the old generation, every scavenge treats it as a root,
 * dead or not: it keeps its successor alive, which keeps the next, and each keeps the values
 * it held. With an entry per call, every call's objects then outlive their call by a whole
 * collection cycle: measured with 1,000 asks in flight, 5 to 7 MB of a 16 MB young generation
 * survived each scavenge (against 0.5 MB without the `Map`), scavenges took 7 to 10 ms instead
 * of under 1 ms, and throughput fell by three quarters. These arrays are replaced only when
 * the table grows or shrinks, and an old array keeps nothing newer than itself alive.
 *
 * **Size.** The table doubles when over half full. It halves when under an eighth full, but
 * only once its load has stayed under a quarter of its slots for a while (two epochs of half
 * as many sets and deletes as it has slots): a load that swings between none and a hundred
 * keeps one table, where shrinking at each trough rebuilt it several times per swing.
 *
 * **Keys a peer chooses.** The keys of an association's served asks are the peer's call ids. A
 * peer that picks ids sharing a home slot makes each operation walk the run they form, as it
 * could with a `Map`, whose hash of a small integer is unseeded too; the run is at most as
 * long as the peer's asks not answered yet on that association.
 *
 * Keys must be whole numbers from 0 to 2^32 − 1; values must not be `undefined`.
 */
export class IntMap<TValue> {
  private ids: Uint32Array;
  /** `undefined` marks a free slot. */
  private slots: (TValue | undefined)[];
  private mask = 0;
  /** 32 less the number of bits of a slot index: a key's hash shifted right by it is its home slot. */
  private shift = 0;
  private count = 0;
  /** The most entries held at once in this epoch, and in the one before. */
  private peak = 0;
  private lastPeak = 0;
  /** Sets and deletes left in this epoch, which lasts as many of them as half the table's slots. */
  private epochOps = 0;

  /** @param minCapacity - Slots kept while the map is small; a power of two, at least 2. */
  constructor(private readonly minCapacity = 8) {
    this.ids = new Uint32Array(0);
    this.slots = [];
    this.allocate(minCapacity);
  }

  /** The number of entries. */
  get size(): number {
    return this.count;
  }

  /** The value of `key`, if any. */
  get(key: number): TValue | undefined {
    const { ids, slots, mask } = this;
    for (let i = slotOf(key, this.shift); ; i = (i + 1) & mask) {
      const value = slots[i];
      if (value === undefined || ids[i] === key) return value;
    }
  }

  /** Whether `key` has a value. */
  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the value of `key`. */
  set(key: number, value: TValue): void {
    const { ids, slots, mask } = this;
    let i = slotOf(key, this.shift);
    while (slots[i] !== undefined && ids[i] !== key) i = (i + 1) & mask;
    if (slots[i] === undefined) {
      if (++this.count > this.peak) this.peak = this.count;
      ids[i] = key;
    }
    slots[i] = value;
    if (this.count * 2 > slots.length) this.resize(slots.length * 2);
    else if (--this.epochOps <= 0) this.newEpoch();
  }

  /** Removes `key`; returns whether it had a value. */
  delete(key: number): boolean {
    const { ids, slots, mask, shift } = this;
    let i = slotOf(key, shift);
    for (;;) {
      if (slots[i] === undefined) return false;
      if (ids[i] === key) break;
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the same run into the gap while their home slot
    // does not lie in the cyclic range (gap, j]; the run then has no hole.
    for (let j = (i + 1) & mask; slots[j] !== undefined; j = (j + 1) & mask) {
      const home = slotOf(ids[j] as number, shift);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        ids[i] = ids[j] as number;
        slots[i] = slots[j];
        i = j;
      }
    }
    slots[i] = undefined;
    this.count--;
    if (--this.epochOps <= 0) this.newEpoch();
    if (this.count * 8 < slots.length && slots.length > this.minCapacity && this.quiet()) this.resize(slots.length / 2);
    return true;
  }

  /**
   * Whether the table may shrink: in this epoch and the one before (a number of sets and
   * deletes, half its slots each), it never held more than a quarter of its slots. A table
   * whose load comes and goes (asks answered in batches, then the next ones sent) keeps the
   * size its peaks need, instead of shrinking at every trough and growing again at every peak,
   * rebuilding itself each time.
   */
  private quiet(): boolean {
    return Math.max(this.peak, this.lastPeak) * 4 < this.slots.length;
  }

  /** Starts an epoch: the one ending becomes the one before. */
  private newEpoch(): void {
    this.lastPeak = this.peak;
    this.peak = this.count;
    this.epochOps = this.slots.length >>> 1;
  }

  /** Every key, in no particular order. */
  keys(): number[] {
    const keys: number[] = [];
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] !== undefined) keys.push(this.ids[i] as number);
    return keys;
  }

  /** Every value, in no particular order. */
  values(): TValue[] {
    return this.slots.filter((value): value is TValue => value !== undefined);
  }

  /** Removes every entry. */
  clear(): void {
    this.slots.fill(undefined);
    this.allocate(this.minCapacity);
  }

  /** Empty arrays of `capacity` slots (a power of two). */
  private allocate(capacity: number): void {
    this.ids = new Uint32Array(capacity);
    this.slots = new Array<TValue | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.count = 0;
    this.peak = 0;
    this.lastPeak = 0;
    this.epochOps = capacity >>> 1;
  }

  /**
   * Rebuilds the table with `capacity` slots; the load seen so far still counts. The arrays let
   * go of are emptied: a table that has outlived a few collections has them in the old
   * generation, where an array dropped still holding values would keep them (and what they
   * hold) from the young generation's collector until a full collection.
   */
  private resize(capacity: number): void {
    const { ids, slots, peak, lastPeak } = this;
    this.allocate(capacity);
    for (let i = 0; i < slots.length; i++) {
      const value = slots[i];
      if (value !== undefined) this.set(ids[i] as number, value);
    }
    slots.fill(undefined);
    this.peak = peak;
    this.lastPeak = lastPeak;
  }
}

/**
 * The home slot of `key`: the top bits of its product with 2^32 / φ (Fibonacci hashing), so
 * that consecutive keys, and keys with a common stride, spread over the table.
 */
function slotOf(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift;
}
