import type { Socket } from 'node:net';

/**
 * Resolves when `socket` has fully closed. With `destroyAfterMs`, a socket whose peer does not
 * finish the close in that time (a stopped process) is destroyed.
 */
export function whenSocketClosed(socket: Socket, destroyAfterMs?: number): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = destroyAfterMs === undefined ? undefined : setTimeout(() => socket.destroy(), destroyAfterMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Ends `socket` once what was written to it is sent (a refusal's last words: cutting a TLS
 * connection at once would drop them), and destroys it then, or after `destroyAfterMs` if the
 * peer does not take them.
 */
export function endOnceSent(socket: Socket, destroyAfterMs: number): void {
  const cut = setTimeout(() => socket.destroy(), destroyAfterMs);
  cut.unref();
  socket.end(() => {
    clearTimeout(cut);
    socket.destroy();
  });
}
