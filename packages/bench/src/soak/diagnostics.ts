/**
 * What the soak children measure of themselves, and the diagnostics they take on command: the
 * heap after a full GC (children run with `--expose-gc`), the event loop's longest delay, heap
 * snapshots, and CPU profiles
 * (through the inspector, so a profile covers one window, not the process's whole life).
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { cpuPercent, cpuSnapshot, type CpuSnapshot } from '../proc/childIo';

/** A process's memory after a full GC, in bytes. */
export interface HeapReading {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

/** What each soak process reports of itself for a window: CPU, event loop and memory. */
export interface ProcessWindowReading {
  /** The CPU the process used in the window, in % of one core. */
  readonly cpuPercent: number;
  /** The event loop's longest delay in the window, in ms. */
  readonly eventLoopMaxMs: number;
  readonly heap: HeapReading;
}

/** Runs a full GC (if exposed) and reads the process's memory. */
export function heapAfterGc(): HeapReading {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('soak children need --expose-gc');
  gc();
  gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

let loopDelay: IntervalHistogram | undefined;

/**
 * The event loop's longest delay since the last call, in ms (sampled every 10 ms); the first
 * call starts the monitor and answers 0.
 */
export function eventLoopMaxMs(): number {
  if (loopDelay === undefined) {
    loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    return 0;
  }
  const maxMs = loopDelay.max / 1e6;
  loopDelay.reset();
  return maxMs;
}

let cpuBefore: CpuSnapshot | undefined;

/**
 * The CPU this process used since the last call, in % of one core; the first call starts the
 * count and answers 0.
 */
export function cpuPercentSinceLast(): number {
  const now = cpuSnapshot();
  const before = cpuBefore;
  cpuBefore = now;
  return before === undefined ? 0 : cpuPercent(before, now);
}

let session: Session | undefined;

/** Starts a CPU profile of this process. */
async function startProfile(): Promise<void> {
  session ??= new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
}

/** Stops the CPU profile and writes it to `path` (a `.cpuprofile`, for Chrome's DevTools). */
async function stopProfile(path: string): Promise<void> {
  if (session === undefined) throw new Error('no profile is running');
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(path, JSON.stringify(profile));
  session.disconnect();
  session = undefined;
}

/**
 * Handles the diagnostics commands: `snapshot <path>` (a heap snapshot), `profile-start`,
 * `profile-stop <path>`; resolves with the answer, or `undefined` for any other command.
 */
export async function diagnosticsCommand(command: string): Promise<unknown> {
  const [verb, path] = command.split(' ');
  switch (verb) {
    case 'snapshot':
      return { path: writeHeapSnapshot(path) };
    case 'profile-start':
      await startProfile();
      return { profiling: true };
    case 'profile-stop':
      await stopProfile(path as string);
      return { path };
    default:
      return undefined;
  }
}
