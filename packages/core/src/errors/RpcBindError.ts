import { RpcError, type RpcErrorOptions } from './RpcError';

/** What an {@link RpcBindError} says about the failed attempt to listen. */
export interface RpcBindErrorOptions extends RpcErrorOptions {
  /** The host (interface) the service tried to bind. */
  readonly host: string;
  /** The port, or the range such as `'50100-50200'`, as given in the listen options. */
  readonly port: number | string;
}

/**
 * Raised (as a rejection) when a service cannot listen: the port is in use (for a range:
 * every port of it), the process may not bind it (`EACCES`, as for ports below 1024 without
 * privileges), or the host is not an address of this machine (`EADDRNOTAVAIL`) or cannot be
 * resolved. The message names the host, the port or range and the reason; `cause` is the
 * Node error of the last attempt, whose `code` (`'EADDRINUSE'`, …) tells the reasons apart.
 * Nothing is left listening.
 *
 * @example
 * ```ts
 * try { service = await NactRpcService.create({ listen: { port: 50100 } }); }
 * catch (error) {
 *   if (isRpcError(error, 'RPC_BIND')) service = await NactRpcService.create({ listen: { port: 0 } });
 *   else throw error;
 * }
 * ```
 */
export class RpcBindError extends RpcError {
  override readonly code = 'RPC_BIND' as const;
  /** The host (interface) the service tried to bind. */
  readonly host: string;
  /** The port, or the range such as `'50100-50200'`, as given in the listen options. */
  readonly port: number | string;

  constructor(message: string, options: RpcBindErrorOptions) {
    super(message, options);
    this.host = options.host;
    this.port = options.port;
  }
}
