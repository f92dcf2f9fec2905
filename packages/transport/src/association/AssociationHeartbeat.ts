import type { Logger } from '@nact-rpc/core';
import type { FrameWriter } from '../framing/FrameWriter';
import type { ResolvedTransportOptions } from '../TransportOptions';
import { encodeSignal } from '../wire/wireFormat';
import { WireKind } from '../wire/WireMessage';

/** What an {@link AssociationHeartbeat} watches: the association it belongs to. */
export interface HeartbeatTarget {
  /** Names the peer in the log line that declares it dead. */
  describePeer(): string;
  /** Gives up on the connection; a heartbeat never says goodbye, the peer is presumed gone. */
  close(reason: string, goodbye: boolean): void;
}

/**
 * Failure detection for one association. Until the hello exchange completes, the connection
 * is closed if it takes longer than `connectTimeoutMs`. Once open, a Ping goes out when this
 * side has sent nothing for `heartbeatIntervalMs`, and the peer is declared dead (and the
 * connection closed) when nothing at all has arrived for `heartbeatTimeoutMs`: any frame is a
 * sign of life, not only a Pong. One timer per association, which never keeps the process alive.
 */
export class AssociationHeartbeat {
  private lastReceivedAt = Date.now();
  private lastSentAt = Date.now();
  private helloDone = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly association: HeartbeatTarget,
    private readonly writer: FrameWriter,
    private readonly options: ResolvedTransportOptions,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.tick(), Math.min(options.heartbeatIntervalMs, options.connectTimeoutMs));
    this.timer.unref();
  }

  /** Notes that bytes arrived. */
  received(): void {
    this.lastReceivedAt = Date.now();
  }

  /** Notes that bytes went out: no Ping is needed for another interval. */
  sent(): void {
    this.lastSentAt = Date.now();
  }

  /** The hello exchange completed: from now on the heartbeat timeout applies, not the connect timeout. */
  opened(): void {
    this.helloDone = true;
  }

  /** Stops the timer, when the association has closed. */
  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    if (!this.helloDone) {
      if (now - this.lastReceivedAt > this.options.connectTimeoutMs) {
        this.association.close(`no hello within ${this.options.connectTimeoutMs} ms`, false);
      }
      return;
    }
    const silentFor = now - this.lastReceivedAt;
    if (silentFor > this.options.heartbeatTimeoutMs) {
      this.logger.warn(
        `${this.association.describePeer()} sent nothing for ${silentFor} ms (heartbeat timeout ${this.options.heartbeatTimeoutMs} ms): ` +
          `declaring it dead and closing the connection.`,
      );
      this.association.close(`no heartbeat for ${silentFor} ms`, false);
      return;
    }
    if (now - this.lastSentAt >= this.options.heartbeatIntervalMs) this.writer.write(encodeSignal(WireKind.Ping));
  }
}
