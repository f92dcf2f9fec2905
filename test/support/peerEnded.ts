import type { Socket } from 'node:net';

/** How the other end ended a connection, as its client saw it. */
export interface PeerEnd {
  /**
   * The reset the client saw (`ECONNRESET`, or `EPIPE` on a write), or `undefined` for an
   * orderly close. A server that cuts a connection while its client still writes resets it:
   * the bytes arriving after the cut are answered with a reset, and which comes first, the
   * close or a write, is the network's timing.
   */
  readonly reset: 'ECONNRESET' | 'EPIPE' | undefined;
}

const RESETS = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Resolves when the other end has ended `socket`'s connection, closed or reset, and rejects
 * on any other error. Unlike `once(socket, 'close')`, a reset is an outcome here, not an
 * error: tests of a server that cuts hostile clients must pass whichever the network shows.
 */
export function peerEnded(socket: Socket): Promise<PeerEnd> {
  return new Promise((resolve, reject) => {
    let reset: PeerEnd['reset'];
    let unexpected: Error | undefined;
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code !== undefined && RESETS.has(error.code)) reset ??= error.code as PeerEnd['reset'];
      else unexpected ??= error;
    };
    socket.on('error', onError);
    const onClose = (): void => {
      socket.off('error', onError);
      if (unexpected !== undefined) reject(unexpected);
      else resolve({ reset });
    };
    if (socket.closed) onClose();
    else socket.once('close', onClose);
  });
}
