import { systemClock, type Clock, type ClockTimer, type Logger } from '@nact-rpc/core';
import { MAX_DELAY_MS } from '@nact-rpc/core/internal';
import type { FrameWriter } from '../framing/FrameWriter';
import type { ResolvedTransportOptions } from '../TransportOptions';
import { encodeSignal } from '../wire/wireFormat';
import { WireKind } from '../wire/WireMessage';
import { HeartbeatWheel, heartbeatTickMs, type WheelMember } from './HeartbeatWheel';

/** What an {@link AssociationHeartbeat} watches: the association it belongs to. */
export interface HeartbeatTarget {
  /** Names the peer in the log line that declares it dead. */
  describePeer(): string;
  /** Gives up on the connection; a heartbeat never says goodbye, the peer is presumed gone. */
  close(reason: string, goodbye: boolean): void;
  /**
   * A protocol error (a frame not complete in time): the association refuses a peer still in
   * its opening (a refusal, logged as such), or logs an open one's error, and closes.
   */
  protocolError(reason: string): void;
  /** How many asks of this side wait for their answers on the connection. */
  asksInFlight(): number;
}

/** The Ping frame's payload: one for every Ping, the writer copies it. */
const PING = encodeSignal(WireKind.Ping);

/**
 * Failure detection and time bounds for one association, none of which keeps the process
 * alive:
 *
 * - until the hello exchange completes, the connection is closed `connectTimeoutMs` after it
 *   was made; bytes arriving do not extend that deadline (no slowloris);
 * - a frame whose first byte arrived must be complete within `frameTimeoutMs`, or it is a
 *   protocol error (see `Association.protocolError`): a peer still in its opening is refused,
 *   which the refusal log counts, an open one's is logged once as an error; either way the
 *   connection is closed;
 * - once open, a Ping goes out when this side has sent nothing for `heartbeatIntervalMs`, and
 *   the peer is declared dead (and the connection closed) when nothing at all has arrived for
 *   `heartbeatTimeoutMs`, and nothing arrives either when the event loop next reads the
 *   sockets (a busy process may not have read them yet): any frame is a sign of life, not
 *   only a Pong;
 * - while asks of this side wait on the association, the pace is faster, so that they fail
 *   well before their timeouts when the peer is gone: a Ping (a probe) goes out whenever
 *   nothing has arrived for `probeIntervalMs`, and the peer, which answers every Ping (with a
 *   Pong, or with its own Ping if the two crossed), is
 *   declared dead after `probeTimeoutMs` without a frame, counted from the last frame or from
 *   when the asks started waiting, whichever is later. Idle associations keep the slow pace,
 *   which costs a process with many of them almost nothing.
 *
 * While this side does not read (backpressure, see `Association.pauseReading`) nothing can
 * arrive, so silence proves nothing: the dead-peer check and a partial frame's deadline are
 * suspended, and both clocks start again when reading resumes. Pings still go out.
 *
 * Traffic only records times. The two deadlines (opening, partial frame) are exact, on a timer
 * of the association's own that is armed only while one of them runs: while the association
 * opens, and while a frame is partial. The heartbeat of an open association runs on the
 * process's {@link HeartbeatWheel}, one timer for all associations, which checks it every
 * quarter interval: a Ping goes out at most that late, and a dead peer is declared at most one
 * tick after the heartbeat timeout. While asks of this side wait, the association is on a
 * second wheel too, which ticks every quarter probe interval. An idle association costs no
 * timer of its own.
 */
export class AssociationHeartbeat implements WheelMember {
  private lastReceivedAt: number;
  private lastSentAt: number;
  /** When this side last sent a Ping: probes go out at most once per `probeIntervalMs`. */
  private lastPingAt = Number.NEGATIVE_INFINITY;
  /** Whether this side has written a Ping and read nothing from the peer since. */
  private pingUnanswered = false;
  /** When the wheel first saw asks of this side waiting (they still are), or -1 if none wait. */
  private waitingSince = -1;
  private helloDone = false;
  /** When the connection was made: the opening deadline counts from it. */
  private readonly startedAt: number;
  /** When the first byte of the partial frame being received arrived, or -1 if none is partial. */
  private frameStartedAt = -1;
  /** The deadline timer: armed while the association opens or a frame is partial. */
  private timer: ClockTimer | undefined;
  /** When the deadline timer fires, or `Infinity` if it is not armed. */
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Whether this side has stopped reading. */
  private paused = false;
  /** Whether a verdict on the peer's silence waits for the event loop to read the sockets. */
  private judging = false;
  /** The wheel of every open association, ticking at the idle pace. */
  private readonly wheel: HeartbeatWheel;
  /** The wheel of the associations whose asks wait, ticking at the probe pace. */
  private readonly probeWheel: HeartbeatWheel;
  /** Whether this association is in {@link probeWheel} (it leaves at a tick with no ask waiting). */
  private probing = false;

  constructor(
    private readonly association: HeartbeatTarget,
    private readonly writer: FrameWriter,
    private readonly options: ResolvedTransportOptions,
    private readonly logger: Logger,
    /** When the connection was made (the clock's time; default now): the opening deadline counts from it. */
    startedAt?: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.startedAt = startedAt ?? clock.now();
    this.lastReceivedAt = this.startedAt;
    this.lastSentAt = this.startedAt;
    this.wheel = HeartbeatWheel.withTick(heartbeatTickMs(options.heartbeatIntervalMs), clock);
    this.probeWheel = HeartbeatWheel.withTick(heartbeatTickMs(options.probeIntervalMs), clock);
    this.arm(this.startedAt + options.connectTimeoutMs);
  }

  /**
   * Notes that bytes arrived at `now` (the clock's time). Returns whether they are the first
   * from the peer since this side wrote a Ping: a Ping of the peer's that comes first in them
   * crossed this side's, and needs no Pong (see `AssociationInbound`).
   */
  received(now: number): boolean {
    this.lastReceivedAt = now;
    const crossing = this.pingUnanswered;
    this.pingUnanswered = false;
    return crossing;
  }

  /** Notes that bytes went out: no Ping is needed for another interval. */
  sent(): void {
    this.lastSentAt = this.clock.now();
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

  /** The hello exchange completed: from now on the heartbeat runs, not the connect timeout. */
  opened(): void {
    if (this.stopped || this.helloDone) return;
    this.helloDone = true;
    this.wheel.add(this);
    if (this.association.asksInFlight() > 0) this.asksWaiting();
    // Only a partial frame's deadline is left: the timer waits for one, if any, or stops.
    const deadline = this.nextDeadline();
    if (deadline < this.armedFor) this.arm(deadline);
    else if (deadline === Number.POSITIVE_INFINITY) this.disarm();
  }

  /** This side stopped reading: until {@link readingResumed}, the peer's silence is not held against it. */
  readingPaused(): void {
    this.paused = true;
  }

  /** This side reads again from `now` (default the clock's time): silence, and a partial frame's wait, count from now. */
  readingResumed(now: number = this.clock.now()): void {
    this.paused = false;
    this.lastReceivedAt = now;
    if (this.frameStartedAt >= 0) this.frameStartedAt = now;
    this.arm(this.nextDeadline());
  }

  /** Stops the timer and leaves the wheel, when the association has closed. */
  stop(): void {
    this.stopped = true;
    this.disarm();
    this.wheel.remove(this);
    this.leaveProbeWheel();
  }

  /**
   * Asks of this side may wait now (the first of them was just sent): the association is
   * checked at the probe pace until a tick finds none waiting. Idle associations stay off the
   * fast wheel, so that they cost only the slow one.
   */
  asksWaiting(): void {
    if (this.probing || !this.helloDone || this.stopped || this.probeWheel === this.wheel) return;
    this.probing = true;
    this.probeWheel.add(this);
  }

  private leaveProbeWheel(): void {
    if (!this.probing) return;
    this.probing = false;
    this.probeWheel.remove(this);
  }

  /**
   * The wheel's check of an open association: the dead-peer check (unless this side does not
   * read), then a Ping if this side has sent nothing for an interval, or, while its asks wait,
   * if nothing has arrived for a probe interval.
   */
  beat(now: number): void {
    if (this.stopped || this.judging) return;
    const { options } = this;
    const waiting = this.association.asksInFlight() > 0;
    if (!waiting) {
      this.waitingSince = -1;
      this.leaveProbeWheel();
    } else if (this.waitingSince < 0) {
      this.waitingSince = now;
    }
    if (!this.paused) {
      const silentSince = waiting ? Math.max(this.lastReceivedAt, this.waitingSince) : this.lastReceivedAt;
      const timeout = waiting
        ? `probe timeout ${options.probeTimeoutMs} ms, asks waiting`
        : `heartbeat timeout ${options.heartbeatTimeoutMs} ms`;
      if (now - silentSince >= (waiting ? options.probeTimeoutMs : options.heartbeatTimeoutMs)) {
        this.judgeAfterReading(this.lastReceivedAt, timeout);
        return;
      }
    }
    const probe =
      waiting &&
      now - this.lastReceivedAt >= options.probeIntervalMs &&
      now - this.lastPingAt >= options.probeIntervalMs;
    if (probe || now - this.lastSentAt >= options.heartbeatIntervalMs) {
      this.writer.write(PING);
      // The writer reports the write when it flushes; until then the Ping counts as sent.
      this.lastSentAt = now;
      this.lastPingAt = now;
      this.pingUnanswered = true;
    }
  }

  /** Arms the deadline timer for `at`, unless it is already armed for that time or earlier, or `at` is never. */
  private arm(at: number): void {
    if (this.stopped || at >= this.armedFor || at === Number.POSITIVE_INFINITY) return;
    this.clock.clearTimeout(this.timer);
    this.armedFor = at;
    // A deadline past the longest timer delay is checked again when the clamped timer fires.
    this.timer = this.clock.setTimeout(this.onDeadline, Math.min(MAX_DELAY_MS, Math.max(1, at - this.clock.now())));
    this.timer.unref();
  }

  private disarm(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  /** The earliest deadline (opening, partial frame), or `Infinity` if none runs. */
  private nextDeadline(): number {
    if (this.paused) return Number.POSITIVE_INFINITY;
    let at = this.helloDone ? Number.POSITIVE_INFINITY : this.startedAt + this.options.connectTimeoutMs;
    if (this.frameStartedAt >= 0) at = Math.min(at, this.frameStartedAt + this.options.frameTimeoutMs);
    return at;
  }

  /**
   * The peer has been silent past the timeout, as far as this side knows: but timers fire
   * before the event loop reads its sockets, and a process busy with local work may not have
   * read what the peer sent long ago. So the verdict waits for the event loop's next poll of
   * the sockets (an immediate runs right after it): the peer is declared dead only if nothing
   * arrived then either.
   */
  private judgeAfterReading(silentSince: number, timeout: string): void {
    this.judging = true;
    setImmediate(() => {
      this.judging = false;
      if (this.stopped || this.lastReceivedAt !== silentSince || this.paused) return;
      const silentFor = this.clock.now() - silentSince;
      this.logger.warn(
        `${this.association.describePeer()} sent nothing for ${silentFor} ms (${timeout}): ` +
          `declaring it dead and closing the connection.`,
      );
      this.association.close(`no heartbeat for ${silentFor} ms`, false);
    }).unref();
  }

  /** The deadline timer fired: closes the connection if a deadline passed, or waits for the next one. */
  private readonly onDeadline = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    if (this.paused) return; // resuming arms the timer again
    const now = this.clock.now();
    const { options } = this;
    if (this.frameStartedAt >= 0 && now - this.frameStartedAt >= options.frameTimeoutMs) {
      this.association.protocolError(
        `a frame was still incomplete ${now - this.frameStartedAt} ms after its first byte (frameTimeoutMs ${options.frameTimeoutMs})`,
      );
      return;
    }
    if (!this.helloDone && now - this.startedAt >= options.connectTimeoutMs) {
      this.association.close(`no hello within ${options.connectTimeoutMs} ms (connectTimeoutMs)`, false);
      return;
    }
    this.arm(this.nextDeadline());
  };
}
