import { RpcInvalidOptionError } from '@nact-rpc/core';

/** The largest seed: seeds are whole numbers from 0 to 2^32 - 1. */
export const MAX_SEED = 0xffff_ffff;

/**
 * A small, fast pseudo-random generator (mulberry32) that gives the same numbers for the same
 * seed, on every machine and every run: the only source of chance of a simulation. It is not
 * for cryptography.
 *
 * Parts of a simulation draw from their own {@link fork}s (the network from one, the scenario
 * from another), so that one part drawing more numbers does not shift what the others draw.
 */
export class SeededRandom {
  private state: number;

  /**
   * @param seed - A whole number from 0 to 2^32 - 1.
   * @throws RpcInvalidOptionError if it is not.
   */
  constructor(readonly seed: number) {
    checkSeed(seed, 'seed');
    this.state = seed;
  }

  /** The next number, uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /**
   * A whole number from `min` to `max`, both included.
   * @throws RpcInvalidOptionError if they are not whole numbers with `min <= max`.
   */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw RpcInvalidOptionError.forValue('max', max, `a whole number >= min (${min})`, 'SeededRandom.int');
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with probability `p` (0 never, 1 always). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * One element of `items`, each as likely.
   * @throws RpcInvalidOptionError if `items` is empty.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw RpcInvalidOptionError.forValue('items', items, 'a non-empty array', 'SeededRandom.pick');
    }
    return items[this.int(0, items.length - 1)] as T;
  }

  /**
   * A generator of its own for the part of the simulation named `label`, seeded from this
   * one's seed and the label (not from its state): the same label always gives the same
   * numbers, whatever was drawn from this one.
   */
  fork(label: string): SeededRandom {
    let hash = 0x811c9dc5 ^ this.seed;
    for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    return new SeededRandom(hash >>> 0);
  }
}

/**
 * Checks a seed.
 * @throws RpcInvalidOptionError naming `option` if `seed` is not a whole number from 0 to 2^32 - 1.
 */
export function checkSeed(seed: unknown, option: string): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw RpcInvalidOptionError.forValue(option, seed, 'a whole number from 0 to 4294967295');
  }
}
