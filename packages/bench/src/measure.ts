/**
 * Measurement loops and statistics: closed-loop asks with a fixed number in flight, batched
 * one-way messages, synchronous loops, percentiles and medians. Every clock read is
 * `process.hrtime.bigint()`.
 */

/** What one measurement window produced. */
export interface Sample {
  /** Operations completed (calls answered, messages counted, round trips done). */
  readonly operations: number;
  /** Wall time from the first operation started to the last completed, in ns. */
  readonly elapsedNs: number;
  /** The duration of each call, in ns, when the loop records latencies. */
  readonly latenciesNs?: Float64Array;
}

/** The figures of one sample: throughput, and latency percentiles when recorded. */
export interface SampleStats {
  readonly perSecond: number;
  readonly p50Us?: number;
  readonly p99Us?: number;
}

/** The current time, in ns. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

function deadlineAfter(durationMs: number): bigint {
  return nowNs() + BigInt(Math.round(durationMs * 1e6));
}

/** A growable array of latencies in ns. */
class Latencies {
  private values = new Float64Array(1 << 14);
  private size = 0;

  push(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  toArray(): Float64Array {
    return this.values.slice(0, this.size);
  }
}

/**
 * Runs `call` in a closed loop with `inFlight` calls outstanding until `durationMs` has
 * passed: each of `inFlight` workers starts its next call when its previous one is answered.
 * Calls still in flight at the deadline are awaited and counted. Each call's duration is
 * recorded. The first failure stops every worker and is thrown.
 */
export async function closedLoop(
  inFlight: number,
  durationMs: number,
  call: (sequence: number) => PromiseLike<unknown>,
): Promise<Sample> {
  const latencies = new Latencies();
  const deadline = deadlineAfter(durationMs);
  let operations = 0;
  let sequence = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const started = nowNs();
      if (started >= deadline) return;
      try {
        await call(sequence++);
      } catch (error) {
        failure ??= { error };
        return;
      }
      latencies.push(Number(nowNs() - started));
      operations++;
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedNs = Number(nowNs() - start);
  if (failure !== undefined) throw failure.error;
  return { operations, elapsedNs, latenciesNs: latencies.toArray() };
}

/**
 * Runs batches until `durationMs` has passed; `batch` resolves with the number of
 * operations it completed (for one-way messages: once the receiver has counted them all).
 */
export async function batchLoop(durationMs: number, batch: () => Promise<number>): Promise<Sample> {
  const deadline = deadlineAfter(durationMs);
  const start = nowNs();
  let operations = 0;
  while (nowNs() < deadline) operations += await batch();
  return { operations, elapsedNs: Number(nowNs() - start) };
}

/**
 * Runs the synchronous `operation` in chunks of `chunk` calls until `durationMs` has passed.
 * Yields to the event loop between chunks every few ms, so timers and I/O are not starved.
 */
export async function syncLoop(durationMs: number, operation: () => void, chunk = 1_000): Promise<Sample> {
  const deadline = deadlineAfter(durationMs);
  const start = nowNs();
  let operations = 0;
  let yieldAt = start + 50_000_000n;
  for (let now = start; now < deadline; now = nowNs()) {
    for (let i = 0; i < chunk; i++) operation();
    operations += chunk;
    if (now >= yieldAt) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yieldAt = nowNs() + 50_000_000n;
    }
  }
  return { operations, elapsedNs: Number(nowNs() - start) };
}

/** The `p`-th percentile (0-100, nearest rank) of ascending `sorted` values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** The median of `values` (the mean of the middle two for an even count); NaN if empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Throughput and, if the sample has latencies, p50 and p99 in µs. */
export function summarize(sample: Sample): SampleStats {
  const perSecond = sample.elapsedNs > 0 ? (sample.operations * 1e9) / sample.elapsedNs : Number.NaN;
  if (sample.latenciesNs === undefined) return { perSecond };
  const sorted = sample.latenciesNs.sort();
  return { perSecond, p50Us: percentile(sorted, 50) / 1_000, p99Us: percentile(sorted, 99) / 1_000 };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
