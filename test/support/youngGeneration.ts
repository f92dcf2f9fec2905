/**
 * The collector, for tests of what the young generation's collections free: whether a value
 * a long-lived structure let go of is freed by scavenges, or only by a full collection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;

/** One mebibyte. */
export const MIB = 1024 * 1024;

/** Runs `count` young-generation collections, each in a turn of its own; returns the array-buffer bytes left after them. */
async function arrayBuffersAfterScavenges(count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    gc({ type: 'minor' });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().arrayBuffers;
}

/**
 * Moves everything alive now to the old generation, as in a running service (two full
 * collections), runs `action`, then four young-generation collections; returns the
 * array-buffer bytes that are left of what `action` allocated. `action` must keep no reference
 * to what it allocates: what is left is what the structures it used kept.
 */
export async function arrayBuffersLeftBy(action: () => void): Promise<number> {
  gc();
  gc();
  const before = await arrayBuffersAfterScavenges(1);
  action();
  return (await arrayBuffersAfterScavenges(4)) - before;
}
