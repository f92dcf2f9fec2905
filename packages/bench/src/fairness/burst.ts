/**
 * The local burst of the fairness scenarios and the two watches on the event loop it is
 * measured with. Runs in the burst child ({@link ./burstServer}), the process whose event loop
 * is watched.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { nowNs, sleep } from '../measure';
import { checkEcho, makePayload } from '../payload';
import type { EchoTarget } from './promiseEcho';

/** The resolution of the event-loop delay histogram and the probe's timer, in ms. */
export const LOOP_WATCH_RESOLUTION_MS = 1;

/** What one watch of the event loop saw: its longest delay by each method, in ms. */
export interface LoopDelays {
  /** `monitorEventLoopDelay`'s max, less its resolution (its samples are whole intervals). */
  readonly histogramMaxMs: number;
  /** The largest lateness of a `setTimeout(…, 1)` chain: actual firing less expected firing. */
  readonly probeMaxMs: number;
}

/**
 * Watches the event loop two independent ways, from {@link LoopWatch.start} to
 * {@link LoopWatch.stop}: with `perf_hooks.monitorEventLoopDelay({ resolution: 1 })`, and with a
 * chain of 1-ms timers that records how late each one fired.
 */
export class LoopWatch {
  private readonly histogram = monitorEventLoopDelay({ resolution: LOOP_WATCH_RESOLUTION_MS });
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  private probeMax = 0;

  /**
   * Starts both watches (resets what they saw) and resolves once both are watching. The
   * histogram records the interval between two of its timer's firings, so its first firing
   * only sets a baseline: a block before it would go unseen. Hence the few ms of wait, in
   * which both timers fire (what
   * they see then, about nothing, counts).
   */
  async start(): Promise<void> {
    this.histogram.reset();
    this.histogram.enable();
    this.probeMax = 0;
    this.expected = performance.now() + LOOP_WATCH_RESOLUTION_MS;
    this.timer = setTimeout(this.tick, LOOP_WATCH_RESOLUTION_MS);
    // Not reset after the wait: a reset clears the histogram's baseline too.
    await sleep(5 * LOOP_WATCH_RESOLUTION_MS);
  }

  /**
   * Stops both watches and returns the longest delays they saw. Waits a few ms first, so that
   * the timers pending when the loop last blocked fire and record that block.
   */
  async stop(): Promise<LoopDelays> {
    await sleep(5 * LOOP_WATCH_RESOLUTION_MS);
    this.histogram.disable();
    clearTimeout(this.timer);
    this.timer = undefined;
    const histogramMaxNs = this.histogram.count === 0 ? 0 : this.histogram.max;
    return {
      histogramMaxMs: Math.max(0, histogramMaxNs / 1e6 - LOOP_WATCH_RESOLUTION_MS),
      probeMaxMs: this.probeMax,
    };
  }

  private readonly tick = (): void => {
    const now = performance.now();
    this.probeMax = Math.max(this.probeMax, now - this.expected);
    this.expected = now + LOOP_WATCH_RESOLUTION_MS;
    this.timer = setTimeout(this.tick, LOOP_WATCH_RESOLUTION_MS);
  };
}

/** What one burst measured. */
export interface BurstResult {
  /** Asks made and answered (every answer checked). */
  readonly asks: number;
  /** Wall time of the burst, from the first ask to the last answer, in ms. */
  readonly elapsedMs: number;
  /** Asks answered per second. */
  readonly perSecond: number;
  /** The event loop's longest delays during the burst. */
  readonly delays: LoopDelays;
}

/**
 * Makes `asks` local asks (`echo`) with `inFlight` outstanding, spread round-robin over
 * `gateways` (one per endpoint, or the floor's `PromiseEcho`), while a {@link LoopWatch}
 * watches the event loop. Each of the `inFlight` workers makes its next ask when its previous
 * one is answered; every answer is checked. The first failure stops the burst and is thrown.
 */
export async function localBurst(
  gateways: readonly EchoTarget[],
  asks: number,
  inFlight: number,
): Promise<BurstResult> {
  const watch = new LoopWatch();
  await watch.start();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < asks) {
      const sequence = next++;
      const gateway = gateways[sequence % gateways.length] as EchoTarget;
      try {
        checkEcho(sequence, await gateway.echo(makePayload(sequence)));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: Math.min(inFlight, asks) }, worker));
  const elapsedMs = Number(nowNs() - start) / 1e6;
  const delays = await watch.stop();
  if (failure !== undefined) throw failure.error;
  return { asks, elapsedMs, perSecond: (asks * 1_000) / elapsedMs, delays };
}
