import type { Socket } from 'node:net';
import type { Logger } from '@nact-rpc/core';
import type { AssociationHeartbeat } from './AssociationHeartbeat';

/**
 * Reading from an association's connection, paused and resumed for backpressure: while an
 * endpoint has too many messages from peers waiting, the connections that send to it are not
 * read. Pauses are counted (a connection may be paused for several endpoints) and reading
 * resumes once every one is released. Frames already read are still dispatched. While paused,
 * the peer's silence proves nothing, so the heartbeat does not declare it dead (see
 * {@link AssociationHeartbeat}).
 */
export class ReadPause {
  private pauses = 0;

  constructor(
    private readonly socket: Socket,
    private readonly heartbeat: AssociationHeartbeat,
    private readonly logger: Logger,
    private readonly describePeer: () => string,
  ) {}

  /** Whether reading is paused. */
  get paused(): boolean {
    return this.pauses > 0;
  }

  /** Adds a pause, for `reason`; the first one stops reading. */
  pause(reason: string): void {
    if (this.pauses++ > 0) return;
    this.socket.pause();
    this.heartbeat.readingPaused();
    this.logger.debug(`Stopped reading from ${this.describePeer()}: ${reason}.`);
  }

  /** Releases a pause; reading resumes with the last one, if the association is still `open`. */
  resume(open: boolean): void {
    if (this.pauses === 0 || --this.pauses > 0 || !open) return;
    this.socket.resume();
    this.heartbeat.readingResumed();
    this.logger.debug(`Resumed reading from ${this.describePeer()}.`);
  }

  /** The association ended: a paused socket flows again, so what still arrives is dropped and it can close. */
  ended(): void {
    if (this.pauses > 0) this.socket.resume();
  }
}
