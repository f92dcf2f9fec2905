import { setImmediate as realSetImmediate } from 'node:timers';
import { RpcInvalidOptionError, RpcInvalidStateError, type Clock, type ClockTimer } from '@nact-rpc/core';
import { TimerQueue, type VirtualTimer } from './TimerQueue';

/** Options of a {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The time the clock starts at, in milliseconds (default 1,893,456,000,000: 2030-01-01). */
  readonly startMs?: number;
  /**
   * How many turns of the event loop {@link VirtualClock.settle} lets pass after each timer
   * (default 5): enough for the promise callbacks a timer starts, and for the runtime's own
   * tasks (delivering messages, writing frames), to run before time moves on.
   */
  readonly settleTurns?: number;
}

const DEFAULT_START_MS = Date.UTC(2030, 0, 1);
const DEFAULT_SETTLE_TURNS = 5;

/** A turn of the real event loop: Node's own `setImmediate`, which fake timers leave alone. */
const nextTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * A {@link Clock} whose time moves only when the test moves it. Give it to a service
 * (`new NactRpcService({ clock })`) and ask timeouts, scheduled runs, heartbeats, reconnect
 * backoff and connect deadlines wait for {@link advance}, {@link runToNextTimer} or
 * {@link runAll} instead of for real time: a 10-minute timeout takes as long as the test needs
 * to say "ten minutes later".
 *
 * Timers fire in order of their deadline, and timers with the same deadline in the order they
 * were set. After each timer the clock lets the process settle (see {@link settle}), so that
 * what the timer started happens at the timer's time, before later timers fire.
 *
 * It does not depend on jest's fake timers and works with or without them: it settles on
 * Node's own `setImmediate` from `node:timers`, which fake timers do not replace.
 */
export class VirtualClock implements Clock {
  private time: number;
  private readonly timers = new TimerQueue();
  private readonly settleTurns: number;

  constructor(options: VirtualClockOptions = {}) {
    this.time = options.startMs ?? DEFAULT_START_MS;
    this.settleTurns = options.settleTurns ?? DEFAULT_SETTLE_TURNS;
    if (typeof this.time !== 'number' || !Number.isFinite(this.time)) {
      throw RpcInvalidOptionError.forValue(
        'startMs',
        options.startMs,
        'a finite number of milliseconds',
        'VirtualClock',
      );
    }
    if (!Number.isInteger(this.settleTurns) || this.settleTurns < 1) {
      throw RpcInvalidOptionError.forValue('settleTurns', options.settleTurns, 'a positive integer', 'VirtualClock');
    }
  }

  /** The clock's time, in milliseconds. */
  now(): number {
    return this.time;
  }

  /** Sets a timer that fires once, `delayMs` (at least 0) from now. */
  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    return this.timers.add(callback, this.time + clampDelay(delayMs, 0), 0);
  }

  /** Sets a timer that fires every `intervalMs` (at least 1) until it is cleared. */
  setInterval(callback: () => void, intervalMs: number): ClockTimer {
    const interval = clampDelay(intervalMs, 1);
    return this.timers.add(callback, this.time + interval, interval);
  }

  /** Stops a timer of this clock; nothing happens if it is `undefined`, done, or another clock's. */
  clearTimeout(timer: ClockTimer | undefined): void {
    this.timers.cancel(timer);
  }

  /** The number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the next timer fires, or `undefined` if none is waiting. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.deadline;
  }

  /**
   * Lets the present moment play out without moving time: turns of the event loop pass (the
   * option `settleTurns`), and timers due now fire, each followed by more turns.
   */
  async settle(): Promise<void> {
    await this.settleCounting();
  }

  /** {@link settle}, returning the number of timers it fired. */
  private async settleCounting(): Promise<number> {
    for (let fired = 0; ; fired++) {
      for (let turn = 0; turn < this.settleTurns; turn++) await nextTurn();
      const due = this.timers.peek();
      if (due === undefined || due.deadline > this.time) return fired;
      this.fire(due);
    }
  }

  /**
   * Moves time forward by `ms`, firing on the way every timer that falls due, each at its own
   * deadline, and settling after each one. Timers set while advancing fire too if they fall
   * due before the end.
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) {
      throw RpcInvalidOptionError.forValue('ms', ms, 'a finite number of milliseconds >= 0', 'VirtualClock.advance');
    }
    const end = this.time + ms;
    await this.settle();
    for (;;) {
      const next = this.timers.peek();
      if (next === undefined || next.deadline > end) break;
      this.time = Math.max(this.time, next.deadline);
      this.fire(next);
      await this.settle();
    }
    this.time = end;
  }

  /**
   * Moves time to the next timer's deadline and fires it (and any others due then), settling
   * after each. Returns `false`, moving nothing, if no timer is waiting.
   */
  async runToNextTimer(): Promise<boolean> {
    await this.settle();
    const next = this.timers.peek();
    if (next === undefined) return false;
    await this.advance(next.deadline - this.time);
    return true;
  }

  /**
   * Fires timers in order until none is waiting, moving time to each. A timer that keeps
   * setting new ones (an interval, a heartbeat) would never let this end: it stops with an
   * error after `maxTimers` timers (default 10,000).
   * @returns The number of timers fired.
   */
  async runAll(maxTimers = 10_000): Promise<number> {
    let fired = await this.settleCounting();
    for (;;) {
      const next = this.timers.peek();
      if (next === undefined) return fired;
      if (fired >= maxTimers) {
        throw new RpcInvalidStateError(
          `VirtualClock.runAll: ${this.timers.size} timers still waiting after ${maxTimers} fired; ` +
            'an interval, or a timer that sets another, never lets it end (advance by an amount instead)',
        );
      }
      this.time = Math.max(this.time, next.deadline);
      this.fire(next);
      fired += 1 + (await this.settleCounting());
    }
  }

  /** Fires `timer` now: an interval is set again first, so that the callback may clear it. */
  private fire(timer: VirtualTimer): void {
    this.timers.pop();
    if (timer.interval > 0) this.timers.requeue(timer, this.time + timer.interval);
    timer.callback();
  }
}

function clampDelay(delayMs: number, min: number): number {
  // As Node does: a delay that is not a number >= min becomes min.
  return typeof delayMs === 'number' && delayMs >= min && Number.isFinite(delayMs) ? delayMs : min;
}
