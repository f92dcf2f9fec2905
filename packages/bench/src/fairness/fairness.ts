/**
 * The fairness scenarios: does a burst of local asks keep the event loop of its process
 * turning, and does a remote client of that process still get answers on time?
 *
 * One burst child ({@link ./burstServer}) hosts the service; this process is the remote client.
 * For each variant (the burst to 1 endpoint, spread over 100, and the floor), the child makes
 * an unmeasured warm-up burst, then `config.burstRepeats` bursts of `config.burstAsks` local
 * asks with `config.burstInFlight` in flight, watching its own event loop; meanwhile the client
 * here asks the child's `probe` endpoint once every millisecond (an open loop: a stalled server
 * does not slow the asking down, so every stalled ask is counted). Each figure is the median
 * over the bursts; `_worst` figures are the worst burst's.
 */
import type { GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { BenchConfig } from '../config';
import { EchoProtocol, errorsOnlyLogger } from '../echo';
import { median, nowNs, percentile, sleep } from '../measure';
import { checkEcho, makePayload } from '../payload';
import { BenchChild } from '../proc/ChildProcess';
import type { BurstResult } from './burst';
import type { BurstServerReady } from './burstServer';

/**
 * A fairness scenario: a burst to `target` (endpoints, or the floor); its figures end with
 * `suffix`.
 */
export interface FairnessVariant {
  /** The scenario's name, for `--only` and progress lines. */
  readonly name: string;
  /**
   * How many endpoints the burst's asks are spread over, round-robin; or `'floor'`: the same
   * burst made of plain promises, without nact-rpc (see `promiseEcho.ts`).
   */
  readonly target: number | 'floor';
  /** What the variant's figure names end with: `''`, `_100_endpoints` or `_floor`. */
  readonly suffix: string;
}

/**
 * The fairness scenarios: the burst to 1 endpoint, spread over 100, and the floor (what the
 * same burst costs the process with no framework: what the runtime's own collector leaves of
 * the goals).
 */
export const FAIRNESS_VARIANTS: readonly FairnessVariant[] = [
  { name: 'fairness_local_burst', target: 1, suffix: '' },
  { name: 'fairness_local_burst_100_endpoints', target: 100, suffix: '_100_endpoints' },
  { name: 'fairness_local_burst_floor', target: 'floor', suffix: '_floor' },
];

/** The figures that carry the fairness goals, without a variant's suffix. */
export const EVENT_LOOP_FIGURE = 'event_loop_max_delay_ms_local_burst';
/** The remote client's p99 during the burst, in ms, without a variant's suffix. */
export const REMOTE_P99_FIGURE = 'remote_p99_during_local_burst_ms';

/** The names `--only` may select a variant by: its own, and those of its two goal figures. */
export function fairnessNames(variant: FairnessVariant): string[] {
  return [variant.name, `${EVENT_LOOP_FIGURE}${variant.suffix}`, `${REMOTE_P99_FIGURE}${variant.suffix}`];
}

/** How long the remote client asks before the first burst, for its latency without one. */
const QUIET_WINDOW_MS = 500;
/** The remote client's pace: one ask every this many ms. */
const REMOTE_INTERVAL_MS = 1;
/** How long a burst may take before the child is given up on. */
const BURST_TIMEOUT_MS = 300_000;

/** What the fairness scenarios measured: named figures, and each burst's values. */
export interface FairnessFigures {
  readonly figures: Record<string, number>;
  /** Every measured burst's value of each per-burst figure, by figure name. */
  readonly perBurst: Record<string, number[]>;
}

/**
 * Latencies of the remote asks sent in a window, in ms, ascending; and the asks that failed
 * (rejected, or answered with another payload).
 */
interface WindowLatencies {
  readonly latenciesMs: Float64Array;
  readonly failed: number;
}

/**
 * Asks the probe endpoint once every {@link REMOTE_INTERVAL_MS}, whether or not earlier asks
 * were answered, and keeps each ask's send time and latency.
 */
class PacedClient {
  private sequence = 0;
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private sentNs: number[] = [];
  private latencyNs: number[] = [];
  private failedSentNs: number[] = [];

  constructor(private readonly gateway: GatewayOf<typeof EchoProtocol>) {}

  /** Starts asking (forgets what earlier windows recorded). */
  start(): void {
    this.sentNs = [];
    this.latencyNs = [];
    this.failedSentNs = [];
    this.timer = setInterval(this.fire, REMOTE_INTERVAL_MS);
  }

  /** Stops asking and resolves once every ask made is answered or has failed. */
  async stop(): Promise<void> {
    this.halt();
    while (this.pending > 0) await sleep(2);
  }

  /** Stops asking at once, without waiting for the asks in flight (after a failure). */
  halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The asks sent from `fromNs` to `toNs` (by {@link nowNs}). */
  window(fromNs: number, toNs: number): WindowLatencies {
    const latencies: number[] = [];
    for (let i = 0; i < this.sentNs.length; i++) {
      const sent = this.sentNs[i] as number;
      if (sent >= fromNs && sent <= toNs) latencies.push((this.latencyNs[i] as number) / 1e6);
    }
    const failed = this.failedSentNs.filter((sent) => sent >= fromNs && sent <= toNs).length;
    return { latenciesMs: Float64Array.from(latencies).sort(), failed };
  }

  private readonly fire = (): void => {
    const sequence = this.sequence++;
    const sent = Number(nowNs());
    this.pending++;
    this.gateway
      .echo(makePayload(sequence))
      .then((echoed) => {
        checkEcho(sequence, echoed);
        this.sentNs.push(sent);
        this.latencyNs.push(Number(nowNs()) - sent);
      })
      .catch(() => void this.failedSentNs.push(sent))
      .finally(() => this.pending--);
  };
}

/** Runs one burst in the child while the client asks; returns the burst's per-burst figures. */
async function burstOnce(
  child: BenchChild,
  client: PacedClient,
  variant: FairnessVariant,
  asks: number,
  inFlight: number,
): Promise<Record<string, number>> {
  client.start();
  await sleep(20);
  const started = (await child.request(`burst ${variant.target} ${asks} ${inFlight}`, BURST_TIMEOUT_MS)) as {
    error?: string;
  };
  if (started.error !== undefined) throw new Error(`fairness child: ${started.error}`);
  const fromNs = Number(nowNs());
  const done = (await child.next(BURST_TIMEOUT_MS)) as BurstResult & { error?: string };
  const toNs = Number(nowNs());
  if (done.error !== undefined) throw new Error(`fairness child: ${done.error}`);
  await client.stop();
  const { latenciesMs, failed } = client.window(fromNs, toNs);
  const s = variant.suffix;
  return {
    [`${EVENT_LOOP_FIGURE}${s}`]: Math.max(done.delays.histogramMaxMs, done.delays.probeMaxMs),
    [`event_loop_histogram_max_ms_local_burst${s}`]: done.delays.histogramMaxMs,
    [`event_loop_probe_max_ms_local_burst${s}`]: done.delays.probeMaxMs,
    [`local_burst_asks_per_s${s}`]: done.perSecond,
    [`local_burst_ms${s}`]: done.elapsedMs,
    [`remote_p50_during_local_burst_ms${s}`]: percentile(latenciesMs, 50),
    [`${REMOTE_P99_FIGURE}${s}`]: percentile(latenciesMs, 99),
    [`remote_max_during_local_burst_ms${s}`]: latenciesMs.length === 0 ? Number.NaN : (latenciesMs.at(-1) as number),
    [`remote_asks_during_local_burst${s}`]: latenciesMs.length,
    [`remote_failed_during_local_burst${s}`]: failed,
  };
}

/** The figures whose worst burst is also reported, as `<figure>_worst`. */
const WORST_OF = [EVENT_LOOP_FIGURE, 'remote_max_during_local_burst_ms', REMOTE_P99_FIGURE];

/**
 * Runs the fairness `variants` in a fresh burst child, with this process as the remote client;
 * `progress` gets a line per burst. Kills the child.
 */
export async function measureFairness(
  config: BenchConfig,
  variants: readonly FairnessVariant[],
  progress: (line: string) => void,
): Promise<FairnessFigures> {
  const { child, ready } = await BenchChild.start('fairness', 'fairness/burstServer.js', [], {
    nodeArgs: ['--expose-gc'],
  });
  const service = new NactRpcService({ name: 'bench-fair-client', logger: errorsOnlyLogger() });
  let client: PacedClient | undefined;
  try {
    client = new PacedClient(await service.connect((ready as BurstServerReady).probeAddress, EchoProtocol));
    const figures: Record<string, number> = {};
    const perBurst: Record<string, number[]> = {};

    client.start();
    await sleep(QUIET_WINDOW_MS);
    const quietTo = Number(nowNs());
    await client.stop();
    const quiet = client.window(0, quietTo).latenciesMs;
    figures.remote_p50_without_burst_ms = percentile(quiet, 50);
    figures.remote_p99_without_burst_ms = percentile(quiet, 99);
    figures.local_burst_asks = config.burstAsks;
    figures.local_burst_in_flight = config.burstInFlight;

    for (const variant of variants) {
      await burstOnce(child, client, variant, config.burstWarmupAsks, config.burstInFlight);
      for (let burst = 0; burst < config.burstRepeats; burst++) {
        const values = await burstOnce(child, client, variant, config.burstAsks, config.burstInFlight);
        for (const [key, value] of Object.entries(values)) (perBurst[key] ??= []).push(value);
        const s = variant.suffix;
        progress(
          `${variant.name} ${burst + 1}/${config.burstRepeats}: event loop max ${values[`${EVENT_LOOP_FIGURE}${s}`]?.toFixed(1)} ms, ` +
            `remote p99 ${values[`${REMOTE_P99_FIGURE}${s}`]?.toFixed(2)} ms, ` +
            `${Math.round(values[`local_burst_asks_per_s${s}`] ?? 0).toLocaleString('en-US')} local asks/s`,
        );
      }
      for (const base of WORST_OF) {
        const values = perBurst[`${base}${variant.suffix}`] ?? [];
        figures[`${base}${variant.suffix}_worst`] = Math.max(...values);
      }
    }
    for (const [key, values] of Object.entries(perBurst)) figures[key] = median(values);
    return { figures, perBurst };
  } finally {
    client?.halt();
    await service.closeAsync();
    await child.kill();
  }
}
