import { systemClock, type Clock, type ClockTimer, type Logger } from '@nact-rpc/core';

/**
 * Why a tell was not delivered:
 *
 * - `connectionLost`: it was written to an association that ended uncleanly before the socket
 *   handed it to the network (see `FrameWriter.close`);
 * - `queueFull`: `maxQueuedMessages` messages already waited for the association to open;
 * - `notConnected`: the association could not be opened (or the endpoint handshake could not be
 *   made again with a restarted peer);
 * - `serviceClosed`: this service is closed;
 * - `unsendable`: its arguments could not be serialized, the method is local-only, or its frame
 *   is over the maximum frame size of this side or of the peer.
 */
export type TellLossReason = 'connectionLost' | 'queueFull' | 'notConnected' | 'serviceClosed' | 'unsendable';

/**
 * What a transport counts, since it was created: the hook for metrics. Every field only grows.
 * Tells are at most once: these count the tells known not to have been delivered, not those
 * the network lost after they left this process.
 */
export interface TransportStats {
  /** All tells not delivered. */
  readonly tellsLost: number;
  /** The same, by reason. */
  readonly tellsLostBy: Readonly<Record<TellLossReason, number>>;
}

/** How long the drops after a logged one are summed up before one line sums them up, in ms. */
const SUMMARY_INTERVAL_MS = 1_000;

/**
 * Counts the tells a transport could not deliver and logs them without a flood: the first drop
 * of a quiet period is logged at once, with its target and reason; the drops that follow within
 * a second are only counted, and summed up in one line at the end of that second (and so on,
 * one line per second, while they go on). A connection that ends uncleanly reports all its
 * undelivered tells in one sentence, in the line that says it ended.
 */
export class TellLosses {
  private readonly by: Record<TellLossReason, number> = {
    connectionLost: 0,
    queueFull: 0,
    notConnected: 0,
    serviceClosed: 0,
    unsendable: 0,
  };
  private total = 0;
  /** Drops counted since the last line, by reason; `undefined` while no window is open. */
  private window: Map<TellLossReason, number> | undefined;
  private timer: ClockTimer | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly summaryIntervalMs = SUMMARY_INTERVAL_MS,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * One tell was dropped. `line` names it, its recipient and why (`Dropped tell P.m to <address>:
   * <reason>`); it is logged (at `warn`, `error` for an `unsendable` tell, with `error`) only if
   * no drop was logged in the last second.
   */
  dropped(reason: TellLossReason, line: string, error?: Error): void {
    this.count(reason, 1);
    if (this.window !== undefined) {
      this.window.set(reason, (this.window.get(reason) ?? 0) + 1);
      return;
    }
    const details = error === undefined ? undefined : { error };
    if (reason === 'unsendable') this.logger.error(line, details);
    else this.logger.warn(line, details);
    this.window = new Map();
    this.armSummary();
  }

  /**
   * An association ended uncleanly with `count` tells it could not deliver: they are counted,
   * and the returned clause (`; N tells written to it could not be delivered (…)`, empty if there
   * are none) belongs at the end of the one line that reports the end of the association.
   */
  connectionLost(count: number): string {
    if (count === 0) return '';
    this.count('connectionLost', count);
    return (
      `; ${count} tell${count === 1 ? '' : 's'} written to it could not be delivered ` +
      `(tells already handed to the network may be lost too: tells are at most once)`
    );
  }

  /** The counts so far. */
  stats(): TransportStats {
    return { tellsLost: this.total, tellsLostBy: { ...this.by } };
  }

  /** Logs the summary of the drops not logged yet now, and stops the timer: the transport closes. */
  flush(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.summarize();
    this.window = undefined;
  }

  private count(reason: TellLossReason, count: number): void {
    this.by[reason] += count;
    this.total += count;
  }

  private armSummary(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      // While drops go on, one line per interval; after a quiet one, the next drop is logged at once.
      if (this.summarize()) this.armSummary();
      else this.window = undefined;
    }, this.summaryIntervalMs);
    this.timer.unref();
  }

  /** Logs the drops counted in the window, if any, and empties it; whether there were any. */
  private summarize(): boolean {
    const window = this.window;
    if (window === undefined || window.size === 0) return false;
    let count = 0;
    const parts: string[] = [];
    for (const [reason, n] of window) {
      count += n;
      parts.push(`${reason} ${n}`);
    }
    window.clear();
    this.logger.warn(
      `Dropped ${count} more tell${count === 1 ? '' : 's'} (${parts.join(', ')}); tells are at most once. ` +
        `Total tells lost: ${this.total}.`,
    );
    return true;
  }
}
