import type { Logger } from '@nact-rpc/core';
import { MAX_DELAY_MS } from '@nact-rpc/core/internal';
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
 * Failure detection and time bounds for one association, on one timer that never keeps the
 * process alive:
 *
 * - until the hello exchange completes, the connection is closed `connectTimeoutMs` after it
 *   was made; bytes arriving do not extend that deadline (no slowloris);
 * - a frame whose first byte arrived must be complete within `frameTimeoutMs`, or it is a
 *   protocol error: logged once, and the connection is closed;
 * - once open, a Ping goes out when this side has sent nothing for `heartbeatIntervalMs`, and
 *   the peer is declared dead (and the connection closed) when nothing at all has arrived for
 *   `heartbeatTimeoutMs`, and nothing arrives either when the event loop next reads the
 *   sockets (a busy process may not have read them yet): any frame is a sign of life, not
 *   only a Pong.
 *
 * While this side does not read (backpressure, see `Association.pauseReading`) nothing can
 * arrive, so silence proves nothing: the dead-peer check and a partial frame's deadline are
 * suspended, and both clocks start again when reading resumes. Pings still go out.
 *
 * Traffic only records times; the timer is armed for the earliest deadline and, when it fires,
 * checks them all and arms itself again. It is re-armed early only when a partial frame's
 * deadline comes before the armed time, never per byte or per frame otherwise.
 */
export class AssociationHeartbeat {
  private lastReceivedAt: number;
  private lastSentAt: number;
  private helloDone = false;
  /** When the first byte of the partial frame being received arrived, or -1 if none is partial. */
  private frameStartedAt = -1;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires, or `Infinity` if it is not armed. */
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Whether this side has stopped reading. */
  private paused = false;

  constructor(
    private readonly association: HeartbeatTarget,
    private readonly writer: FrameWriter,
    private readonly options: ResolvedTransportOptions,
    private readonly logger: Logger,
    /** When the connection was made (a `Date.now()`): the opening deadline counts from it. */
    private readonly startedAt: number = Date.now(),
  ) {
    this.lastReceivedAt = startedAt;
    this.lastSentAt = startedAt;
    this.arm(this.startedAt + options.connectTimeoutMs);
  }

  /** Notes that bytes arrived at `now` (a `Date.now()`). */
  received(now: number): void {
    this.lastReceivedAt = now;
  }

  /** Notes that bytes went out: no Ping is needed for another interval. */
  sent(): void {
    this.lastSentAt = Date.now();
  }

  /** The first byte of a frame not complete yet arrived at `now`: its deadline starts. */
  frameStarted(now: number): void {
    this.frameStartedAt = now;
    this.arm(now + this.options.frameTimeoutMs);
  }

  /** No frame is partial any more. */
  frameEnded(): void {
    this.frameStartedAt = -1;
  }

  /** The hello exchange completed: from now on the heartbeat timeout applies, not the connect timeout. */
  opened(): void {
    this.helloDone = true;
    this.arm(this.nextDeadline());
  }

  /** This side stopped reading: until {@link readingResumed}, the peer's silence is not held against it. */
  readingPaused(): void {
    this.paused = true;
  }

  /** This side reads again from `now` (a `Date.now()`): silence, and a partial frame's wait, count from now. */
  readingResumed(now: number): void {
    this.paused = false;
    this.lastReceivedAt = now;
    if (this.frameStartedAt >= 0) this.frameStartedAt = now;
    this.arm(this.nextDeadline());
  }

  /** Stops the timer, when the association has closed. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Arms the timer for `at`, unless it is already armed for that time or earlier. */
  private arm(at: number): void {
    if (this.stopped || at >= this.armedFor) return;
    clearTimeout(this.timer);
    this.armedFor = at;
    // A deadline past the longest timer delay is checked again when the clamped timer fires.
    this.timer = setTimeout(this.tick, Math.min(MAX_DELAY_MS, Math.max(1, at - Date.now())));
    this.timer.unref();
  }

  /** The earliest time something is due. */
  private nextDeadline(): number {
    const { options } = this;
    if (this.paused) return this.lastSentAt + options.heartbeatIntervalMs;
    let at = this.helloDone
      ? Math.min(this.lastSentAt + options.heartbeatIntervalMs, this.lastReceivedAt + options.heartbeatTimeoutMs)
      : this.startedAt + options.connectTimeoutMs;
    if (this.frameStartedAt >= 0) at = Math.min(at, this.frameStartedAt + options.frameTimeoutMs);
    return at;
  }

  /**
   * The peer has been silent past the timeout, as far as this side knows: but timers fire
   * before the event loop reads its sockets, and a process busy with local work may not have
   * read what the peer sent long ago. So the verdict waits for the event loop's next poll of
   * the sockets (an immediate runs right after it): the peer is declared dead only if nothing
   * arrived then either.
   */
  private judgeAfterReading(silentSince: number): void {
    setImmediate(() => {
      if (this.stopped) return;
      if (this.lastReceivedAt !== silentSince || this.paused) {
        this.arm(this.nextDeadline());
        return;
      }
      const silentFor = Date.now() - silentSince;
      this.logger.warn(
        `${this.association.describePeer()} sent nothing for ${silentFor} ms (heartbeat timeout ${this.options.heartbeatTimeoutMs} ms): ` +
          `declaring it dead and closing the connection.`,
      );
      this.association.close(`no heartbeat for ${silentFor} ms`, false);
    }).unref();
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const { options } = this;
    if (this.paused) {
      this.ping(now);
      this.arm(this.nextDeadline());
      return;
    }
    if (this.frameStartedAt >= 0 && now - this.frameStartedAt >= options.frameTimeoutMs) {
      const reason = `a frame was still incomplete ${now - this.frameStartedAt} ms after its first byte (frameTimeoutMs ${options.frameTimeoutMs})`;
      this.logger.error(
        `Protocol error on the connection with ${this.association.describePeer()}: ${reason}. Closing that connection.`,
      );
      this.association.close(`protocol error: ${reason}`, false);
      return;
    }
    if (!this.helloDone) {
      if (now - this.startedAt >= options.connectTimeoutMs) {
        this.association.close(`no hello within ${options.connectTimeoutMs} ms`, false);
        return;
      }
    } else {
      if (now - this.lastReceivedAt >= options.heartbeatTimeoutMs) {
        this.judgeAfterReading(this.lastReceivedAt);
        return;
      }
      this.ping(now);
    }
    this.arm(this.nextDeadline());
  };

  /** Sends a Ping if this side has sent nothing for an interval. */
  private ping(now: number): void {
    if (now - this.lastSentAt >= this.options.heartbeatIntervalMs) {
      this.writer.write(encodeSignal(WireKind.Ping));
      // The writer reports the write when it flushes; until then the Ping counts as sent.
      this.lastSentAt = now;
    }
  }
}
