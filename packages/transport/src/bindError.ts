import { RpcBindError } from '@nact-rpc/core';
import type { PortSpec } from './parsePortSpec';

/**
 * The error for a failed attempt to listen on `host` at the ports of `portSpec`: `cause` is
 * the Node error of the last port tried, `port` that port, `ranged` whether the spec named
 * several ports (so that every one of them was in use if the cause is `EADDRINUSE`).
 */
export function bindError(
  host: string,
  portSpec: PortSpec,
  ranged: boolean,
  port: number,
  cause: unknown,
): RpcBindError {
  const where = ranged ? `ports ${String(portSpec)}` : `port ${port}`;
  return new RpcBindError(`Could not listen on ${host} ${where}: ${reasonOf(host, ranged, port, cause)}`, {
    host,
    port: portSpec,
    cause,
  });
}

function reasonOf(host: string, ranged: boolean, port: number, cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const at = ranged ? ` (at port ${port})` : '';
  switch (code) {
    case 'EADDRINUSE':
      return ranged
        ? 'every port of the range is in use (EADDRINUSE). Free one, or choose another range or port 0.'
        : 'the port is in use (EADDRINUSE). Stop what uses it, or choose another port, a range or port 0.';
    case 'EACCES':
      return `permission denied (EACCES)${ranged ? ` at port ${port}` : ''}: ports below 1024 need privileges; choose a port from 1024 to 65535.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL); bind 127.0.0.1, 0.0.0.0 or one of its addresses.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} could not be resolved (${code}).`;
    default:
      return `${cause instanceof Error ? cause.message : String(cause)}${at}.`;
  }
}
