import { systemClock, type Clock, type ClockTimer } from '@nact-rpc/core';
import { MAX_DELAY_MS } from '@nact-rpc/core/internal';

/** What a {@link HeartbeatWheel} checks at each tick: the heartbeat of one open association. */
export interface WheelMember {
  /** Sends a Ping if one is due and checks the peer's silence, at `now` (the wheel's clock's time). */
  beat(now: number): void;
}

/**
 * The tick of the wheel for heartbeats every `heartbeatIntervalMs`: a quarter of the interval,
 * so a Ping goes out at most a quarter interval late and a dead peer is declared at most one
 * tick after the heartbeat timeout.
 */
export function heartbeatTickMs(heartbeatIntervalMs: number): number {
  return Math.min(MAX_DELAY_MS, Math.max(1, Math.floor(heartbeatIntervalMs / 4)));
}

/**
 * One timer for the heartbeats of every open association in the process whose heartbeat
 * interval has the same tick and that runs on the same {@link Clock} (see {@link heartbeatTickMs}): instead of a timer per association,
 * armed again and again, one interval timer checks them all at each tick. Associations whose
 * Pings fall due in the same tick send them in the same event-loop turn, and so their peers'
 * answers come back together too: the process wakes up a few times per interval, not once
 * per association.
 *
 * The timer never keeps the process alive (it is unref'd), and runs only while the wheel has
 * members: the last one to leave stops it.
 */
export class HeartbeatWheel {
  private static readonly wheels = new WeakMap<Clock, Map<number, HeartbeatWheel>>();

  private readonly members = new Set<WheelMember>();
  private timer: ClockTimer | undefined;
  /**
   * What the timer was made with: the system clock's `setInterval` global at the time, or the
   * clock. A test that swaps the global timers (fake timers) between associations gets a
   * timer on the timers of its time, not one left on the old ones.
   */
  private timerMadeWith: unknown;

  private constructor(
    /** How often the members are checked, in ms. */
    readonly tickMs: number,
    private readonly clock: Clock,
  ) {}

  /** The process's wheel with this tick on `clock` (default the system clock), made on first use. */
  static withTick(tickMs: number, clock: Clock = systemClock): HeartbeatWheel {
    let ofClock = HeartbeatWheel.wheels.get(clock);
    if (ofClock === undefined) {
      ofClock = new Map();
      HeartbeatWheel.wheels.set(clock, ofClock);
    }
    let wheel = ofClock.get(tickMs);
    if (wheel === undefined) {
      wheel = new HeartbeatWheel(tickMs, clock);
      ofClock.set(tickMs, wheel);
    }
    return wheel;
  }

  /** How many members the wheel checks. */
  get size(): number {
    return this.members.size;
  }

  /** Whether the wheel's timer runs (it does exactly while the wheel has members). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Adds a member, checked from the next tick on; starts the timer if it was stopped. */
  add(member: WheelMember): void {
    this.members.add(member);
    const maker = this.clock === systemClock ? setInterval : this.clock;
    if (this.timer !== undefined && this.timerMadeWith === maker) return;
    this.clock.clearTimeout(this.timer);
    this.timerMadeWith = maker;
    this.timer = this.clock.setInterval(this.tick, this.tickMs);
    this.timer.unref();
  }

  /** Removes a member (nothing if it is not one); the last one out stops the timer. */
  remove(member: WheelMember): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerMadeWith = undefined;
  }

  /**
   * Checks every member. Members may leave (close) during the tick. One member's failure does
   * not keep the others from their check: the first failure is thrown after all were checked.
   */
  private readonly tick = (): void => {
    const now = this.clock.now();
    let failure: { readonly error: unknown } | undefined;
    for (const member of this.members) {
      try {
        member.beat(now);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  };
}
