/**
 * `memory_per_endpoint_bytes` and `memory_per_nact_actor_bytes`: each measured in a fresh
 * child process ({@link ./memoryChild}) with `--expose-gc`, one after the other.
 */
import type { BenchConfig } from '../config';
import { BenchChild } from '../proc/ChildProcess';
import type { MemoryResult } from './memoryChild';

async function measure(kind: 'endpoints' | 'actors', items: number): Promise<MemoryResult> {
  const { child, ready } = await BenchChild.start(`memory-${kind}`, 'scale/memoryChild.js', [kind, String(items)], {
    nodeArgs: ['--expose-gc'],
    readyTimeoutMs: 120_000,
  });
  await child.kill();
  return ready as MemoryResult;
}

/** Measures the heap cost of an endpoint and of a bare nact actor; returns named figures. */
export async function measureMemory(config: BenchConfig): Promise<Record<string, number>> {
  const endpoints = await measure('endpoints', config.memoryItems);
  const actors = await measure('actors', config.memoryItems);
  return {
    memory_items: config.memoryItems,
    memory_per_endpoint_bytes: endpoints.bytesPerItem,
    memory_per_nact_actor_bytes: actors.bytesPerItem,
  };
}
