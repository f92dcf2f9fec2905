import { RpcError } from './RpcError';

/**
 * Raised when a connection to an endpoint cannot be set up: the address is malformed or unknown, the
 * service behind it is closed or unreachable, or the connection attempt timed out.
 */
export class RpcConnectionError extends RpcError {
  override readonly code: 'RPC_CONNECTION' | 'HANDSHAKE' = 'RPC_CONNECTION';
}
