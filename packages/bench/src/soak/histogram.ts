/** A latency histogram of constant size: logarithmic buckets 1% wide, from 1 µs to about 20 s. */

const GROWTH = Math.log(1.01);
const BUCKETS = 1_700;

/** Counts latencies in 1%-wide buckets; percentiles are accurate to 1%. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;

  /** Records one latency, in ns. */
  record(ns: number): void {
    const us = Math.max(1, ns / 1_000);
    const bucket = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / GROWTH));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
  }

  /** How many latencies were recorded. */
  get count(): number {
    return this.total;
  }

  /** The `p`-th percentile (0-100), in µs (the bucket's middle); NaN if empty. */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) return Math.exp((bucket + 0.5) * GROWTH);
    }
    return Number.NaN;
  }

  /** Forgets every latency recorded. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
