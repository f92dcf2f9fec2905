/**
 * The memory scenario's child, run with `--expose-gc` in a fresh process:
 * `memoryChild.js endpoints N` starts N nact-rpc endpoints in one local service;
 * `memoryChild.js actors N` spawns N bare nact actors (spawnStateless) under one parent.
 * Sends `{ bytesPerItem, heapBefore, heapAfter }`: the heapUsed growth after gc, per item.
 */
import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { spawnStateless, start, type Ref } from 'nact';
import { errorsOnlyLogger } from '../echo';
import { runChild, send } from '../proc/childIo';

/** What the memory child sends. */
export interface MemoryResult {
  readonly kind: string;
  readonly items: number;
  readonly bytesPerItem: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
}

const PingProtocol = defineProtocol('BenchPing', { ping: ask<[], number>() });

@serves(PingProtocol)
class PingEndpoint extends RpcEndpoint {
  ping(): number {
    return 1;
  }
}

async function settledHeapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the memory child with --expose-gc');
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function endpoints(count: number): Promise<{ heapBefore: number; heapAfter: number; keep: unknown[] }> {
  const service = new NactRpcService({ logger: errorsOnlyLogger() });
  const warm = new PingEndpoint(service); // first-use costs (classes, caches) are not per endpoint
  await warm.start();
  await warm.closeAsync();
  const heapBefore = await settledHeapUsed();
  const keep: PingEndpoint[] = [];
  for (let i = 0; i < count; i += 1_000) {
    const chunk: PingEndpoint[] = [];
    for (let j = i; j < Math.min(count, i + 1_000); j++) chunk.push(new PingEndpoint(service));
    await Promise.all(chunk.map((endpoint) => endpoint.start()));
    keep.push(...chunk);
  }
  const heapAfter = await settledHeapUsed();
  return { heapBefore, heapAfter, keep: [service, keep] };
}

async function actors(count: number): Promise<{ heapBefore: number; heapAfter: number; keep: unknown[] }> {
  const system = start();
  const parent = spawnStateless(system, () => undefined, 'parent');
  spawnStateless(parent, () => undefined, 'warm');
  const heapBefore = await settledHeapUsed();
  const keep: Ref<unknown>[] = [];
  // Named: nact's anonymous names are random 32-bit numbers, which collide among 100,000 actors.
  for (let i = 0; i < count; i++) keep.push(spawnStateless(parent, (_message: unknown) => undefined, `actor-${i}`));
  const heapAfter = await settledHeapUsed();
  return { heapBefore, heapAfter, keep: [system, keep] };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  const count = Number(process.argv[3]);
  if ((kind !== 'endpoints' && kind !== 'actors') || !(count > 0))
    throw new Error('usage: memoryChild.js endpoints|actors N');
  const { heapBefore, heapAfter, keep } = kind === 'endpoints' ? await endpoints(count) : await actors(count);
  const result: MemoryResult = {
    kind,
    items: count,
    bytesPerItem: (heapAfter - heapBefore) / count,
    heapBefore,
    heapAfter,
  };
  send(result);
  if (keep.length === 0) throw new Error('unreachable'); // keeps `keep` alive until here
  process.exit(0);
}

runChild(main);
