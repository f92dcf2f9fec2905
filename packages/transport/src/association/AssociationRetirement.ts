import { systemClock, type Clock, type ClockTimer } from '@nact-rpc/core';
/** What a retirement needs from its association. */
export interface RetirementHooks {
  /** How many of this side's asks on the association still wait for their answers. */
  inFlight(): number;
  /** Sends Goodbye: this side sends no more requests and has all its answers. */
  sendGoodbye(): void;
  /** Both sides said Goodbye: closes the association cleanly, for `reason`. */
  finish(reason: string): void;
}

/**
 * The retirement of an association that is no longer used for new calls (it lost the
 * tie-break to another connection with the same peer, or the peer said Goodbye): once this
 * side's asks on it are answered it sends Goodbye, and once both sides have, it closes. No
 * call on it is lost or answered twice.
 */
export class AssociationRetirement {
  private reason: string | undefined;
  private sentGoodbye = false;
  private peerGoodbye = false;
  private timer: ClockTimer | undefined;

  constructor(
    private readonly hooks: RetirementHooks,
    /** How often to check again: asks that time out leave the in-flight set without an answer. */
    private readonly checkEveryMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Whether the association is retiring. */
  get retiring(): boolean {
    return this.reason !== undefined;
  }

  /** Whether the peer has said Goodbye. */
  get peerSaidGoodbye(): boolean {
    return this.peerGoodbye;
  }

  /** Starts retiring, for `reason`; returns false if it already was. */
  start(reason: string): boolean {
    if (this.reason !== undefined) return false;
    this.reason = reason;
    this.timer = this.clock.setInterval(() => this.settle(), this.checkEveryMs);
    this.timer.unref();
    return true;
  }

  /** The peer said Goodbye. */
  peerSaidGoodbyeNow(): void {
    this.peerGoodbye = true;
  }

  /** Sends Goodbye and closes, as far as the asks in flight allow; call after each answer. */
  settle(): void {
    if (this.reason === undefined || this.hooks.inFlight() > 0) return;
    if (!this.sentGoodbye) {
      this.sentGoodbye = true;
      this.hooks.sendGoodbye();
    }
    if (this.peerGoodbye) {
      this.stop();
      this.hooks.finish(this.reason);
    }
  }

  /** Stops checking (the association ended). */
  stop(): void {
    this.clock.clearTimeout(this.timer);
  }
}
