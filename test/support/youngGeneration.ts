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

/** Runs two full collections: what is alive now moves to the old generation, as in a running service. */
export function ageEverything(): void {
  gc();
  gc();
}

/** Runs `count` young-generation collections, each in a turn of its own; returns the array-buffer bytes left after them. */
export async function arrayBuffersAfterScavenges(count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    gc({ type: 'minor' });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().arrayBuffers;
}
