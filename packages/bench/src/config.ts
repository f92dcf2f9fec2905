/** How long and how big a benchmark run is: the full run, or the quick one (`--quick`). */

/** The sizes and durations of one run. */
export interface BenchConfig {
  /** Whether this is the quick run. */
  readonly quick: boolean;
  /** Rounds of the interleaved scenarios; each figure is the median over rounds. */
  readonly rounds: number;
  /** The measurement window of one scenario in one round, in ms. */
  readonly measureMs: number;
  /** The warm-up before each measurement, in ms: 20% of the window, at least 100 ms. */
  readonly warmupMs: number;
  /** Messages per batch for the tell / dispatch throughput scenarios. */
  readonly batchSize: number;
  /** How many endpoints (and, apart, bare nact actors) the memory scenario creates. */
  readonly memoryItems: number;
  /** How many client services (associations) the idle scenario opens. */
  readonly idleAssociations: number;
  /**
   * How long the idle scenario lets the associations settle before measuring, in ms. What is
   * measured is the steady state of a service that sits idle for hours, not its warm-up: with
   * one Ping per association every 5 s, the code that reads and answers them runs a few hundred
   * times a second, and the compiler keeps optimizing it (a few ms of a compiler thread each
   * time) for about a minute. On the bench machine, in 20 s windows after the thousand
   * connections opened, the server spent 1.89%, 0.86%, 0.59%, then 0.58%, 0.60%, 0.54% and
   * 0.50% of a core. The settling window's own figure is reported too.
   */
  readonly idleSettleMs: number;
  /**
   * The idle scenario's CPU measurement window, in ms: six heartbeat intervals (5 s by
   * default). The associations' Pings go out in bursts, one per interval, and the collector
   * still runs now and then after the settling; a 10 s window held two bursts and, in some
   * runs, one such collection, and read anywhere from 0.9% to 1.5% of a core where 5 s windows
   * read 0.6% to 0.8% most of the time. The longer window weighs the rare costs as often as
   * they come.
   */
  readonly idleWindowMs: number;
  /** Local asks per burst of the fairness scenarios: 1,000,000 in the full run. */
  readonly burstAsks: number;
  /** Asks in flight during a burst. */
  readonly burstInFlight: number;
  /** Local asks of the unmeasured warm-up burst before each fairness scenario's bursts. */
  readonly burstWarmupAsks: number;
  /** Measured bursts per fairness scenario; each figure is the median over them. */
  readonly burstRepeats: number;
}

/** The configuration of a full run, or of a quick one. */
export function benchConfig(quick: boolean): BenchConfig {
  const measureMs = quick ? 300 : 1_000;
  return {
    quick,
    rounds: quick ? 2 : 5,
    measureMs,
    warmupMs: Math.max(100, Math.round(measureMs * 0.2)),
    batchSize: 1_000,
    memoryItems: quick ? 20_000 : 100_000,
    idleAssociations: 1_000,
    idleSettleMs: quick ? 5_000 : 60_000,
    idleWindowMs: quick ? 5_000 : 30_000,
    burstAsks: quick ? 200_000 : 1_000_000,
    burstInFlight: 10_000,
    burstWarmupAsks: 100_000,
    burstRepeats: quick ? 1 : 3,
  };
}
