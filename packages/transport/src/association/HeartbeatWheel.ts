import { MAX_DELAY_MS } from '@nact-rpc/core/internal';

/** What a {@link HeartbeatWheel} checks at each tick: the heartbeat of one open association. */
export interface WheelMember {
  /** Sends a Ping if one is due and checks the peer's silence, at `now` (a `Date.now()`). */
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
 * interval has the same tick (see {@link heartbeatTickMs}): instead of a timer per association,
 * armed again and again, one interval timer checks them all at each tick. Associations whose
 * Pings fall due in the same tick send them in the same event-loop turn, and so their peers'
 * answers come back together too: the process wakes up a few times per interval, not once
 * per association.
 *
 * The timer never keeps the process alive (it is unref'd), and runs only while the wheel has
 * members: the last one to leave stops it.
 */
export class HeartbeatWheel {
  private static readonly wheels = new Map<number, HeartbeatWheel>();

  private readonly members = new Set<WheelMember>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * The `setInterval` the timer was made with. A test that swaps the clock (fake timers)
   * between associations gets a timer on the clock of its time, not one left on the old clock.
   */
  private timerMadeWith: typeof setInterval | undefined;

  private constructor(
    /** How often the members are checked, in ms. */
    readonly tickMs: number,
  ) {}

  /** The process's wheel with this tick, made on first use. */
  static withTick(tickMs: number): HeartbeatWheel {
    let wheel = HeartbeatWheel.wheels.get(tickMs);
    if (wheel === undefined) {
      wheel = new HeartbeatWheel(tickMs);
      HeartbeatWheel.wheels.set(tickMs, wheel);
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
    if (this.timer !== undefined && this.timerMadeWith === setInterval) return;
    clearInterval(this.timer);
    this.timerMadeWith = setInterval;
    this.timer = setInterval(this.tick, this.tickMs);
    this.timer.unref();
  }

  /** Removes a member (nothing if it is not one); the last one out stops the timer. */
  remove(member: WheelMember): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.timerMadeWith = undefined;
  }

  /**
   * Checks every member. Members may leave (close) during the tick. One member's failure does
   * not keep the others from their check: the first failure is thrown after all were checked.
   */
  private readonly tick = (): void => {
    const now = Date.now();
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
