import type { Socket } from 'node:net';
import { systemClock, type Clock } from '@nact-rpc/core';

/**
 * Resolves when `socket` has fully closed. With `destroyAfterMs`, a socket whose peer does not
 * finish the close in that time (a stopped process) is destroyed; the time is `clock`'s.
 */
export function whenSocketClosed(socket: Socket, destroyAfterMs?: number, clock: Clock = systemClock): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = destroyAfterMs === undefined ? undefined : clock.setTimeout(() => socket.destroy(), destroyAfterMs);
    socket.once('close', () => {
      clock.clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Ends `socket` once what was written to it is sent (a refusal's last words: cutting a TLS
 * connection at once would drop them), and destroys it then, or after `destroyAfterMs` if the
 * peer does not take them (by `clock`).
 */
export function endOnceSent(socket: Socket, destroyAfterMs: number, clock: Clock = systemClock): void {
  const cut = clock.setTimeout(() => socket.destroy(), destroyAfterMs);
  cut.unref();
  socket.end(() => {
    clock.clearTimeout(cut);
    socket.destroy();
  });
}
